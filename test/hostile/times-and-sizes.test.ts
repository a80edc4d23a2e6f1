// Hostile inputs of issue 16 that used to crash the whole run: an input-sized array spread
// into a call (130,000 journal lines), and times out of any Date's range. Each now finishes,
// with the bad time a problem on its own line and every good line still read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { run, type RunIO } from '../../src/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crashlog-hostile-'));
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: RunIO = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
  return { code: await run(argv, io), out: out.join(''), err: err.join('') };
}

const entry = (i: number, extra: Record<string, string> = {}) => JSON.stringify({
  __CURSOR: `s=x;i=${i}`, __REALTIME_TIMESTAMP: String(1_795_000_000_000_000 + i), _SOURCE_MONOTONIC_TIMESTAMP: String(1_000_000 + i * 10),
  MESSAGE: `line ${i}`, ...extra,
});

describe('hostile journal exports', () => {
  it('130,000 entries, each its own record: read whole, no stack overflow', async () => {
    const p = join(tmp(), 'big.json');
    writeFileSync(p, Array.from({ length: 130_000 }, (_, i) => entry(i)).join('\n') + '\n');
    const a = await analyze([p]);
    expect(a.inputs[0]!.records).toBe(130_000);
    expect(a.timeline.boots.reduce((n, b) => n + b.messages.length, 0)).toBe(130_000);
  }, 60_000);

  it('a wall-clock time out of range is a problem on that entry; report and timeline still run', async () => {
    const p = join(tmp(), 'bad-time.json');
    writeFileSync(p, [entry(1), entry(2, { __REALTIME_TIMESTAMP: '99999999999999999999' }), entry(3, { MESSAGE: 'Kernel panic - not syncing: sysrq triggered crash' })].join('\n') + '\n');
    const a = await analyze([p]);
    expect(a.inputs[0]!.records).toBe(3);
    expect(a.inputs[0]!.problems).toEqual([expect.objectContaining({ offset: expect.any(Number), message: expect.stringMatching(/__REALTIME_TIMESTAMP 99999999999999999999 is out of range/) })]);
    expect(a.incidents[0]!.title).toBe('kernel panic: sysrq triggered crash');
    for (const cmd of ['report', 'timeline']) expect((await cli([cmd, p])).code).toBe(0);
  });

  it('a kernel time far past the clock anchor gives no wall time for that line, not a crash', async () => {
    const p = join(tmp(), 'far.log');
    writeFileSync(p, '2026-11-30T10:00:00+00:00 host kernel: [    1.000000] anchored line\n[99999999999.000000] Kernel panic - not syncing: sysrq triggered crash\n');
    for (const cmd of ['report', 'timeline']) {
      const r = await cli([cmd, p]);
      expect(r.err).not.toMatch(/Invalid time value/);
      expect(r.code).toBe(0);
    }
  });
});
