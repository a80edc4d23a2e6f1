// What a large rasdaemon database becomes: corrected rows counted in groups, and every bound
// on what is held (groups, coarse groups, rows read alone, rows read) a problem that says
// what it left out; no error is lost from the counts. mc_event rows are grouped by DIMM and
// address, and the verdict's memory history spans a group's first to last error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from 'node-sqlite3-wasm';
import { ReadOnlySqlite } from '../../backends/rasdaemon/sqlite.js';
import { SqliteFile } from '../../backends/rasdaemon/db-file.js';
import { tableSource } from '../../backends/rasdaemon/source.js';
import { MceRowPlan } from '../../backends/rasdaemon/rows.js';
import { scanTable, type ScanLimits } from '../../backends/rasdaemon/scan.js';
import { parseStamp } from '../../backends/rasdaemon/scan-row.js';
import { parseRasTimestamp } from '../../backends/rasdaemon/time.js';
import { buildRasdaemonDb, type McEventRow, type MceRow } from '../builders/rasdaemon.js';
import { readWith } from '../helpers/read.js';
import { analyze } from '../../src/analyze.js';
import type { MachineCheck, MemoryError } from '../../src/model/index.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-ras-groups-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CE = 0x9c0000400001009fn;
const FATAL = 0xbe0000000001009fn;
/** On a 16-hour boundary: spans of 1 to 16 hours all start there. */
const T0 = 1_795_000_000 - (1_795_000_000 % (16 * 3600));
const LIMITS: ScanLimits = { rows: 1e6, groups: 4, coarse: 2, alone: 3, problems: 5 };

function scan(name: string, rows: MceRow[], limits: Partial<ScanLimits> = {}): { records: MachineCheck[]; problems: string[] } {
  const path = join(work, name);
  buildRasdaemonDb(path, rows);
  const db = ReadOnlySqlite.open(path);
  const file = SqliteFile.open(path);
  try {
    const t = db.tables().get('mce_record')!;
    const all = { ...LIMITS, ...limits };
    const plan = new MceRowPlan(path, new Set(t.columns), all.groups);
    const problems: string[] = [];
    const records = scanTable(tableSource(db, file, t, plan.columns, all.rows, (m) => problems.push(m)), plan, all, (m) => problems.push(m));
    return { records, problems };
  } finally {
    file.close();
    db.close();
  }
}

const errors = (rs: MachineCheck[]) => rs.reduce((n, r) => n + (r.count ?? 1), 0);

describe('bounds on a scan', () => {
  it('more groups of an hour than the limit: the span doubles, every field but time is kept', () => {
    const rows = Array.from({ length: 16 }, (_, i) => ({ bank: 8, status: CE, addr: 0x1000n, misc: 0x8cn, walltime: T0 + (i >> 1) * 3600 + (i & 1) }));
    const { records, problems } = scan('span.db', rows);
    expect(problems).toEqual(["mce_record: more than 4 groups of 1 hour: counted in groups of 2 hours (crashlog's limit)"]);
    expect(records.map((r) => [r.count, r.time!.getTime() / 1000 - T0, r.lastTime!.getTime() / 1000 - T0, r.addr])).toEqual([
      [4, 0, 3601, 0x1000n], [4, 7200, 10801, 0x1000n], [4, 14400, 18001, 0x1000n], [4, 21600, 25201, 0x1000n],
    ]);
  });

  it('more register sets than the limit even in 16 hours: the rest counted by bank and status, said so', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ bank: 8, status: CE, addr: BigInt(0x1000 * i), misc: 0x8cn, walltime: T0 + i }));
    const { records, problems } = scan('coarse.db', rows);
    expect(problems).toEqual([
      "mce_record: more than 4 groups of 1 hour: counted in groups of 16 hours (crashlog's limit)",
      'mce_record: 6 rows past 4 distinct groups counted by bank, status and hour (address, CPU and the other registers not kept) only',
    ]);
    expect(records.slice(0, 4).map((r) => r.addr)).toEqual([0n, 0x1000n, 0x2000n, 0x3000n]);
    expect(records[4]).toMatchObject({ bank: 8, status: CE, count: 6, time: new Date((T0 + 4) * 1000), lastTime: new Date((T0 + 9) * 1000) });
    expect(records[4]!.addr).toBeUndefined();
    expect(errors(records)).toBe(rows.length);
  });

  it('past the coarse groups too: those rows only counted, and the count said', () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ bank: i, status: CE, addr: BigInt(0x1000 * i), misc: 0x8cn, walltime: T0 + i }));
    const { records, problems } = scan('lost.db', rows);
    expect(problems.at(-1)).toBe('mce_record: 6 rows (6 errors) past 2 coarse groups counted here only, not read');
    expect(errors(records) + 6).toBe(rows.length);
  });

  it('rows read one by one (uncorrected) are kept to the last ones, the others counted', () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ bank: 8, status: FATAL, addr: 0x1000n, misc: 0x8cn, walltime: T0 + i }));
    const { records, problems } = scan('alone.db', rows);
    expect(problems).toEqual(['mce_record: 2 earlier rows that are read one by one (uncorrected errors, rows that cannot be grouped) not kept: crashlog keeps the last 3']);
    expect(records.map((r) => r.source.id)).toEqual(['mce_record#3', 'mce_record#4', 'mce_record#5']);
  });

  it('a scan stops at its row limit and says so', () => {
    const rows = Array.from({ length: 8 }, (_, i) => ({ bank: 8, status: FATAL, walltime: T0 + i }));
    const { records, problems } = scan('stop.db', rows, { rows: 5, alone: 100 });
    expect(problems).toEqual(["mce_record: stopped after 5 rows (crashlog's limit per table); the rest is not read"]);
    expect(records).toHaveLength(5);
  });
});

describe('the table read without its pages', () => {
  it('a WITHOUT ROWID table is read through SQLite, to the same records', async () => {
    const rows: MceRow[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ bank: 7, status: CE, addr: 0x2000n, misc: 0x8cn, walltime: T0 + i, cpu: 1 })),
      { bank: 8, status: FATAL, addr: 0x12345000n, misc: 0x8cn, walltime: T0 + 10 },
    ];
    const plain = join(work, 'plain.db'), odd = join(work, 'norowid.db');
    buildRasdaemonDb(plain, rows);
    buildRasdaemonDb(odd, rows);
    const db = new Database(odd);
    db.exec('CREATE TABLE m2 AS SELECT * FROM mce_record; DROP TABLE mce_record');
    db.exec((db.get("SELECT sql FROM sqlite_schema WHERE name = 'm2'") as { sql: string }).sql.replace('m2', 'mce_record').replace('id INT', 'id INTEGER PRIMARY KEY').replace(/\)$/, ') WITHOUT ROWID'));
    db.exec('INSERT INTO mce_record SELECT * FROM m2; DROP TABLE m2');
    db.close();
    const a = await readWith('rasdaemon', plain), b = await readWith('rasdaemon', odd);
    expect(b.problems).toEqual([]);
    const strip = (rs: typeof a.records) => rs.map((r) => ({ ...r, source: { ...r.source, path: '' } }));
    expect(strip(b.records)).toEqual(strip(a.records));
    expect(a.records).toHaveLength(2);
  });
});

describe('a damaged table SQLite reads', () => {
  it('SQLite stopping at a damaged page is a problem; the rows before it are still read', async () => {
    const path = join(work, 'norowid-damaged.db');
    buildRasdaemonDb(path, Array.from({ length: 300 }, (_, i) => ({ bank: 8, status: FATAL, addr: BigInt(0x1000 * i), misc: 0x8cn, walltime: T0 + i })), [], 512);
    const db = new Database(path);
    db.exec('CREATE TABLE m2 AS SELECT * FROM mce_record; DROP TABLE mce_record');
    db.exec((db.get("SELECT sql FROM sqlite_schema WHERE name = 'm2'") as { sql: string }).sql.replace('m2', 'mce_record').replace('id INT', 'id INTEGER PRIMARY KEY').replace(/\)$/, ') WITHOUT ROWID'));
    db.exec('INSERT INTO mce_record SELECT * FROM m2 ORDER BY id; DROP TABLE m2; VACUUM');
    db.close();
    // The last index leaf page (type 0x0a) of the file: its type byte spoiled.
    const bytes = readFileSync(path);
    let last = -1;
    for (let at = 512; at < bytes.length; at += 512) if (bytes[at] === 0x0a) last = at;
    bytes[last] = 0x77;
    writeFileSync(path, bytes);
    const { records, problems } = await readWith('rasdaemon', path);
    expect(problems).toEqual([{ path, message: 'mce_record: database disk image is malformed; the rows before it are read' }]);
    expect(records.length).toBeGreaterThan(200);
    expect(records.length).toBeLessThan(300);
  });
});

describe('mc_event rows', () => {
  const ev = (i: number, over: Partial<McEventRow> = {}): McEventRow => ({
    timestamp: new Date((T0 + i) * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000'),
    err_count: 1, err_type: 'Corrected', err_msg: 'memory read error', label: 'CPU_SrcID#0_MC#0_Chan#1_DIMM#0', mc: 0, address: 0x40001000n, ...over,
  });

  it('corrected errors at one DIMM address in an hour are one record: errors summed, first to last; others alone, in row order', async () => {
    const path = join(work, 'mc.db');
    buildRasdaemonDb(path, [], [ev(0, { driver_detail: 'row:0x12 col:0x8' }), ev(5, { err_count: 2, driver_detail: 'row:0x13 col:0x10' }), ev(7, { address: 0x80002000n }), ev(9, { err_type: 'Uncorrected' }), ev(20, { err_count: 3 })]);
    const { records, problems } = await readWith('rasdaemon', path);
    expect(problems).toEqual([]);
    const m = records as MemoryError[];
    // The driver's detail (row and column of each error) is not part of the group: the first row's is kept.
    expect(m[0]!.detail).toBe('memory read error; row:0x12 col:0x8; layers 0:0:0');
    expect(m.map((e) => [e.source.id, e.severity, e.count, e.physAddr, e.time!.getTime() / 1000 - T0, e.lastTime && e.lastTime.getTime() / 1000 - T0])).toEqual([
      ['mc_event#1', 'corrected', 6, 0x40001000n, 0, 20],
      ['mc_event#3', 'corrected', 1, 0x80002000n, 7, undefined],
      ['mc_event#4', 'uncorrected', 1, 0x40001000n, 9, undefined],
    ]);
  });

  it('the verdict counts a group whole and spans its first to its last error', async () => {
    const path = join(work, 'mc-verdict.db');
    buildRasdaemonDb(path, [{ bank: 8, status: FATAL, addr: 0x40001000n, misc: 0x8cn, walltime: T0 + 100 }], [ev(0), ev(30), ev(60)]);
    const [inc] = (await analyze([path])).incidents;
    const at = (s: number) => new Date((T0 + s) * 1000).toISOString();
    expect(inc!.evidence.map((e) => e.text)).toContain(`3 corrected memory errors on CPU_SrcID#0_MC#0_Chan#1_DIMM#0 at 0x40001000 (rasdaemon) before the fatal one (first ${at(0)}, last ${at(60)})`);
  });
});

describe("rasdaemon's timestamps read from bytes", () => {
  it('agree with the text parser wherever they give a time', () => {
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    let checked = 0;
    for (let i = 0; i < 5000; i++) {
      const r = (n: number) => Math.floor(((Math.sin(i * 12.9898 + n * 78.233) * 43758.5453) % 1 + 1) % 1 * 1e6);
      const s = `${pad(1960 + (r(1) % 150), 4)}-${pad(1 + (r(2) % 13))}-${pad(1 + (r(3) % 32))} ${pad(r(4) % 25)}:${pad(r(5) % 61)}:${pad(r(6) % 61)} ${r(7) % 2 ? '+' : '-'}${pad(r(8) % 25)}${pad(r(9) % 61)}`;
      const fast = parseStamp(Buffer.from(s), 0, s.length);
      if (Number.isNaN(fast)) continue;
      checked++;
      expect([s, fast * 1000]).toEqual([s, parseRasTimestamp(s)!.getTime()]);
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
