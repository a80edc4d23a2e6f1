// A `journalctl -k -o json` export built from a real serial console capture: each
// stamped line becomes an entry of one boot, with the fields journald gives kernel lines.
import { readFileSync } from 'node:fs';

export function journalFromConsole(consolePath: string, bootId: string, bootWallUs: bigint): string {
  const out: string[] = [];
  let seq = 0;
  for (const line of readFileSync(consolePath, 'utf8').split('\n')) {
    const m = /\[\s*(\d+)\.(\d{6})\] (.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const mono = BigInt(m[1]!) * 1_000_000n + BigInt(m[2]!);
    out.push(JSON.stringify({
      __CURSOR: `s=${bootId};i=${++seq}`,
      __REALTIME_TIMESTAMP: String(bootWallUs + mono),
      __MONOTONIC_TIMESTAMP: String(mono),
      _BOOT_ID: bootId,
      _TRANSPORT: 'kernel',
      PRIORITY: /panic|BUG|Oops/.test(m[3]!) ? '0' : '6',
      SYSLOG_FACILITY: '0',
      SYSLOG_IDENTIFIER: 'kernel',
      _SOURCE_MONOTONIC_TIMESTAMP: String(mono),
      MESSAGE: m[3],
    }));
  }
  return out.join('\n') + '\n';
}
