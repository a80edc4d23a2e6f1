// `crashlog watch` on a file of /dev/kmsg records (the corpus records, a GPF then a sysrq
// panic): each crash event once, with the detector's titles; a restart with the same state
// file reports nothing again; records appended later are followed and reported.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { constants, accessSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchKernelLog, type WatchEvent } from '../../src/live/index.js';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';

const RECORDS = fixture('pcap', 'netconsole-extended', 'expected-netconsole-records.txt');
const WARNING = [
  '4,500,30000000,-;------------[ cut here ]------------',
  '4,501,30000001,-;WARNING: CPU: 1 PID: 80 at drivers/forge/forgedev.c:42 forge_check_state+0x1c/0x30 [forgedev]',
  '4,502,30000002,-;Modules linked in: forgedev(OE)',
  '4,503,30000003,-;CPU: 1 PID: 80 Comm: sh Tainted: G      D    OE      6.1.0-56-amd64 #1 Debian 6.1.192-2',
  '4,504,30000004,-;RIP: 0010:forge_check_state+0x1c/0x30 [forgedev]',
  '4,505,30000005,-;Call Trace:',
  '4,506,30000006,-; <TASK>',
  '4,507,30000007,-; forge_write+0x40/0x90 [forgedev]',
  '4,508,30000008,-; vfs_write+0xb8/0x3d0',
  '4,509,30000009,-; </TASK>',
  '4,510,30000010,-;---[ end trace 0000000000000000 ]---',
].join('\n') + '\n';

describe('crashlog watch', () => {
  it('reports each crash event once, and nothing again after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-watch-'));
    const log = join(dir, 'kmsg');
    const state = join(dir, 'state');
    writeFileSync(log, readFileSync(RECORDS));
    const first = await runCli(['watch', '--kmsg', log, '--state', state, '--once']);
    expect(first.code).toBe(0);
    const events = first.stdout.trim().split('\n').map((l) => JSON.parse(l) as WatchEvent);
    expect(events.map((e) => [e.kind, e.title, e.seq])).toEqual([
      ['oops', 'general protection fault in forgedev_walk_list', '390'],
      ['panic', 'kernel panic: sysrq triggered crash', '441'],
    ]);
    expect(events[0]).toMatchObject({ cause: 'software', function: 'forgedev_walk_list', module: 'forgedev', tsNs: '18776622000' });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ boot: `file:${log}`, seq: '443' });

    const again = await runCli(['watch', '--kmsg', log, '--state', state, '--once']);
    expect(again).toMatchObject({ code: 0, stdout: '' });

    appendFileSync(log, WARNING);
    const third = await runCli(['watch', '--kmsg', log, '--state', state, '--once']);
    expect(third.stdout.trim().split('\n').map((l) => (JSON.parse(l) as WatchEvent).title)).toEqual(['WARNING in forge_check_state']);
  });

  it('follows records appended while it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-watchf-'));
    const log = join(dir, 'kmsg');
    writeFileSync(log, '6,1,100,-;boot line\n');
    const seen: WatchEvent[] = [];
    let stop!: () => void;
    const done = watchKernelLog({ source: log, settleMs: 100, pollMs: 20, stop: new Promise((r) => (stop = r)), onEvent: (e) => seen.push(e) });
    await new Promise((r) => setTimeout(r, 150));
    expect(seen).toEqual([]);
    appendFileSync(log, WARNING);
    for (let i = 0; i < 100 && !seen.length; i++) await new Promise((r) => setTimeout(r, 20));
    stop();
    const result = await done;
    expect(seen.map((e) => e.title)).toEqual(['WARNING in forge_check_state']);
    expect(result.records).toBe(12);
  });

  const readable = existsSync('/dev/kmsg') && (() => { try { accessSync('/dev/kmsg', constants.R_OK); return true; } catch { return false; } })();
  it.skipIf(!readable)('reads /dev/kmsg itself', async () => {
    const r = await watchKernelLog({ source: '/dev/kmsg', once: true, onEvent: () => {} });
    expect(r.records).toBeGreaterThan(0);
  });
});
