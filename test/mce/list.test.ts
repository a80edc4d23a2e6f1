// `crashlog mce list` (as ras-mc-ctl --errors / --summary) and `mce decode --mcg-cap`.
import { describe, expect, it } from 'vitest';
import { run, type RunIO } from '../../src/cli.js';
import { corpus } from '../corpus.js';

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: RunIO = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
  return { code: await run(argv, io), out: out.join(''), err: err.join('') };
}

describe('mce list', () => {
  it('lists every record of the rasdaemon item once, merged across its database and ERST, decoded', async () => {
    const r = await cli(['mce', 'list', '--json', corpus('rasdaemon-erst-mce')]);
    expect(r.code).toBe(0);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; bank: number; severity: string; status: string; cpu?: number });
    expect(rows.map((x) => [x.bank, x.cpu, x.severity, x.status]).sort()).toEqual([
      [7, 0, 'corrected', '0x9c000040000100c1'],
      [8, 0, 'corrected', '0x9c0000400001009f'],
      [8, 0, 'fatal', '0xbe0000000001009f'],
      [8, 1, 'corrected', '0x9c0000400001009f'],
    ]);
  });

  it('--summary counts per bank and CPU', async () => {
    const r = await cli(['mce', 'list', '--summary', '--json', corpus('rasdaemon-erst-mce')]);
    const s = JSON.parse(r.out) as { banks: { what: string; corrected: number; fatal: number }[]; cpus: { what: string }[] };
    expect(s.banks).toEqual([{ what: 'bank 7', corrected: 1, uncorrected: 0, fatal: 0 }, { what: 'bank 8', corrected: 2, uncorrected: 0, fatal: 1 }]);
    expect(s.cpus.map((c) => c.what)).toEqual(['CPU 0', 'CPU 1']);
  });
});

describe('mce decode --mcg-cap', () => {
  it('says whether the machine has software error recovery (MCG_SER_P, bit 24)', async () => {
    const ser = await cli(['mce', 'decode', '--status', '0xbd80000000100134', '--mcg-cap', '0x1000c14']);
    expect(ser.out).toMatch(/MCG_CAP: +0x1000c14 SER_P/);
    const none = await cli(['mce', 'decode', '--status', '0xbd80000000100134', '--mcg-cap', '0xc14']);
    expect(none.out).toMatch(/MCG_CAP: +0xc14 no SER_P/);
    expect((await cli(['mce', 'decode', '--status', '0x1', '--mcg-cap', 'x'])).code).toBe(2);
  });
});
