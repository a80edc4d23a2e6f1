// Line-oriented inputs (kernel logs as text, journal exports as JSON lines, mcelog logs)
// with one line that lies: a time out of any range, a level or facility too big, a field
// of the journal in the wrong shape (MESSAGE as an array of bytes, a huge or negative
// timestamp, nesting thousands deep), a line of a megabyte with no newline, a burst of
// binary noise, a register value too wide.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Rng } from '../rng.js';
import type { StructureMutator } from './types.js';

/** Files this mutator rewrites whole: line logs of a few MB at most among the seeds. */
const MAX_BYTES = 8 << 20;
const LONG_LINE = [1 << 16, 1 << 20, 8 << 20];
const NESTING = 100_000;

function journalLie(o: Record<string, unknown>, rng: Rng): string {
  const key = rng.pick(['__REALTIME_TIMESTAMP', '__MONOTONIC_TIMESTAMP', '_SOURCE_MONOTONIC_TIMESTAMP', 'MESSAGE', 'PRIORITY', '_BOOT_ID', 'SYSLOG_FACILITY', '__CURSOR']);
  const v = rng.pick<unknown>([
    '99999999999999999999', '-1', '', 'x', 1e300, null, true, {}, [],
    Array.from(Buffer.from(String(o.MESSAGE ?? 'Kernel panic - not syncing: x'))), Array.from({ length: 1 << 16 }, () => 65),
    'a'.repeat(1 << 20), '18446744073709551615', ['a', 'b'],
  ]);
  o[key] = v;
  return key;
}

function textLie(line: string, rng: Rng): string {
  return rng.pick([
    line.replace(/\[\s*[\d.]+\]/, '[99999999999999.999999]'),
    line.replace(/\[\s*[\d.]+\]/, '[-1.000000]'),
    line.replace(/^<\d+>/, '<99999999>'),
    `<4>[    1.000000] ${line}`,
    line.replace(/[0-9a-f]{8,16}/, 'f'.repeat(40)),
    line.replace(/\d+/, '99999999999999999999'),
    `${line}\r`.repeat(3),
    '\0'.repeat(64) + line,
  ]);
}

export const lines: StructureMutator = {
  id: 'lines',
  scope: 'file',
  fits: (_path, head) => head.length > 0 && head.subarray(0, 4096).every((c) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c < 0x7f) || c >= 0x80),
  async mutate({ path, rng, rewrite }) {
    if (!rewrite) return undefined;
    const text = readFileSync(path);
    if (text.length > MAX_BYTES) return undefined;
    const all = text.toString('latin1').split('\n');
    const i = rng.int(all.length);
    const json = all[i]!.startsWith('{');
    let what: string;
    switch (rng.int(json ? 4 : 3)) {
      case 0: {
        const n = rng.pick(LONG_LINE);
        all.splice(i, 0, (json ? '{"MESSAGE":"' : '<4>[    2.000000] ') + 'A'.repeat(n));
        what = `a line of ${n} bytes, no end`;
        break;
      }
      case 1: {
        const noise = Buffer.alloc(rng.pick([256, 4096, 65536]));
        for (let k = 0; k < noise.length; k++) noise[k] = rng.int(256);
        all.splice(i, 0, noise.toString('latin1'));
        what = `${noise.length} bytes of noise at line ${i}`;
        break;
      }
      case 2:
        if (json) {
          all.splice(i, 0, '['.repeat(NESTING) + ']'.repeat(NESTING));
          what = `JSON nested ${NESTING} deep at line ${i}`;
        } else {
          all[i] = textLie(all[i]!, rng);
          what = `line ${i} -> ${JSON.stringify(all[i]!.slice(0, 80))}`;
        }
        break;
      default: {
        try {
          const o = JSON.parse(all[i]!) as Record<string, unknown>;
          what = `line ${i}: ${journalLie(o, rng)} lied about`;
          all[i] = JSON.stringify(o);
        } catch {
          return undefined;
        }
      }
    }
    writeFileSync(path, Buffer.from(all.join('\n'), 'latin1'));
    return what;
  },
};
