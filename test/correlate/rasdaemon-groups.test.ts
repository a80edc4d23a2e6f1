// Large rasdaemon databases (built with rasdaemon's schema and the same SQLite library):
// corrected rows with identical registers are read as one record with a count, and the
// history before the fatal error is counted per bank and address from those groups.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from 'node-sqlite3-wasm';
import { analyze } from '../../src/analyze.js';
import { buildRasdaemonDb, type MceRow } from '../builders/rasdaemon.js';
import { GROUP_SPAN_S } from '../../backends/rasdaemon/rows.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-ras-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CE = 0x9c0000400001009fn;
const FATAL = 0xbe0000000001009fn;
const T0 = 1_795_000_000;

describe('a large rasdaemon database', () => {
  it('20,000 corrected errors and one fatal: counted per bank and address, oldest group first', async () => {
    const db = join(work, 'large.db');
    const rows: MceRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      bank: 7 + (i % 2), cpu: i % 4, status: CE, addr: 0x20000000n + BigInt(i % 3) * 0x1000n + 0x40n, misc: 0x8cn, walltime: T0 + i,
    }));
    rows.push({ bank: 8, cpu: 0, status: FATAL, addr: 0x20001000n, misc: 0x8cn, walltime: T0 + 30_000 });
    buildRasdaemonDb(db, rows);
    const a = await analyze([db]);
    // One record per CPU, bank, registers and hour; the fatal row on its own.
    const groups = new Set(rows.slice(0, -1).map((r) => `${r.cpu}:${r.bank}:${r.addr}:${Math.floor(r.walltime! / GROUP_SPAN_S)}`));
    expect(a.inputs[0]).toMatchObject({ backend: 'rasdaemon', records: groups.size + 1, problems: [] });
    const [inc] = a.incidents;
    expect(inc).toMatchObject({ cause: 'hardware', kind: 'machine-check', title: 'machine check: Memory controller read error, channel 15 (unspecified) on CPU 0, bank 8' });
    expect(inc!.correctedBefore!.map(({ bank, count, addr }) => [bank, count, addr])).toEqual([
      [7, 3334, '0x20000000'], [8, 3334, '0x20001000'], [7, 3333, '0x20002000'], [8, 3333, '0x20000000'], [7, 3333, '0x20001000'], [8, 3333, '0x20002000'],
    ]);
    expect(inc!.correctedBefore![0]).toMatchObject({ first: new Date(T0 * 1000).toISOString(), last: new Date((T0 + 19_998) * 1000).toISOString() });
  });

  it('a group of identical rows says how many it stands for, first and last', async () => {
    const db = join(work, 'same.db');
    buildRasdaemonDb(db, Array.from({ length: 50 }, (_, i) => ({ bank: 8, cpu: 0, status: CE, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + i })));
    const a = await analyze([db]);
    expect(a.records).toMatchObject([{ kind: 'mce', bank: 8, count: 50, time: new Date(T0 * 1000), lastTime: new Date((T0 + 49) * 1000), source: { id: 'mce_record#1' } }]);
  });

  it('a row without a status is a problem naming it; the rows around it still read, grouped or not, in the order of their (first) rows', async () => {
    const db = join(work, 'holes.db');
    buildRasdaemonDb(db, [
      { bank: 8, status: CE, addr: 0x12345000n, misc: 0x8cn, walltime: T0 },
      { bank: 8, status: CE, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + 1 },
      { bank: 8, status: CE, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + 2 },
      { bank: 8, status: FATAL, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + 3 },
    ]);
    const d = new Database(db);
    d.exec('UPDATE mce_record SET status = NULL WHERE id = 2');
    d.close();
    const a = await analyze([db]);
    expect(a.inputs[0]!.problems).toEqual([{ path: db, message: 'mce_record row 2: no bank or status' }]);
    expect(a.records.map((r) => [r.kind === 'mce' ? r.source.id : '', (r as { count?: number }).count])).toEqual([['mce_record#1', 2], ['mce_record#4', undefined]]);
  });

  it('with the console log of the same boot: the logged errors are the rows, not more', async () => {
    const db = join(work, 'twins.db');
    const n = 5;
    buildRasdaemonDb(db, Array.from({ length: n }, (_, i) => ({ bank: 8, cpu: 0, status: CE, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + 10 * i })));
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      lines.push(`[  ${10 + 10 * i}.000000] mce: [Hardware Error]: CPU 0: Machine Check: 0 Bank 8: ${CE.toString(16)}`);
      lines.push(`[  ${10 + 10 * i}.000100] mce: [Hardware Error]: TSC 0 ADDR 12345000 MISC 8c `);
      lines.push(`[  ${10 + 10 * i}.000200] mce: [Hardware Error]: PROCESSOR 0:50654 TIME ${T0 + 10 * i} SOCKET 0 APIC 0 microcode 1`);
    }
    lines.push(`[   90.000000] mce: [Hardware Error]: CPU 0: Machine Check Exception: 4 Bank 8: ${FATAL.toString(16)}`);
    lines.push('[   90.000100] mce: [Hardware Error]: TSC a3e072df6 ADDR 12345000 MISC 8c ');
    lines.push(`[   90.000200] mce: [Hardware Error]: PROCESSOR 0:50654 TIME ${T0 + 80} SOCKET 0 APIC 0 microcode 1`);
    lines.push('[   90.000300] mce: [Hardware Error]: Machine check: Processor context corrupt');
    lines.push('[   90.000400] Kernel panic - not syncing: Fatal machine check');
    const log = join(work, 'console.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    const a = await analyze([db, log]);
    const [inc] = a.incidents;
    expect(inc).toMatchObject({ cause: 'hardware', panic: 'Fatal machine check' });
    expect(inc!.correctedBefore).toEqual([{ bank: 8, count: n, addr: '0x12345000', first: new Date(T0 * 1000).toISOString(), last: new Date((T0 + 40) * 1000).toISOString(), atFatalAddress: true }]);
    expect(inc!.evidence.find((e) => e.text.startsWith(`${n} corrected errors on bank 8`))?.source).toMatchObject({ backend: 'rasdaemon', id: 'mce_record#1' });
  });
});
