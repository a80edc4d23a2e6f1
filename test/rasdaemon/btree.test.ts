// The table reader that reads SQLite's pages in place (btree.ts, record.ts) against SQLite
// itself (node-sqlite3-wasm, the same library rasdaemon's schema was made with): every value
// of every row equal, over every storage class and integer size, payloads that spill into
// overflow pages, b-trees of several levels, page sizes from 512 to 65536, UTF-16 text,
// columns added later and generated columns. Then what a user sees of a damaged file: the
// damaged cell or page named at its offset, and every other row still read.
import { mkdtempSync, openSync, readSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from 'node-sqlite3-wasm';
import { ReadOnlySqlite } from '../../backends/rasdaemon/sqlite.js';
import { SqliteFile } from '../../backends/rasdaemon/db-file.js';
import { notInPlace, tableSource } from '../../backends/rasdaemon/source.js';
import { INTEGER } from '../../backends/rasdaemon/scan-row.js';
import { plainColumns, readSchema } from '../../backends/rasdaemon/schema.js';
import type { SqliteTable } from '../../backends/rasdaemon/table.js';
import { readWith } from '../helpers/read.js';
import { buildRasdaemonDb, type MceRow } from '../builders/rasdaemon.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-btree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Values of every storage class, and integers at each serial type's edges (§2.1: 1 to 8 bytes). */
const INTS = [0, 1, -1, 127, -128, 128, 32767, -32768, 8388607, -8388608, 2147483647, -2147483648, 2 ** 40, -(2 ** 40), 2 ** 47 - 1, -(2 ** 47), 2 ** 53 - 1, 2n ** 62n, -(2n ** 63n), 2n ** 63n - 1n];
const OTHERS: unknown[] = [null, 1.5, -0.25, 1e300, '', 'memory read error', 'ÄÖÜ ✓ 日本', new Uint8Array([0, 1, 2, 255]), 'x'.repeat(3000), new Uint8Array(9000).fill(7)];
/** Longer than a 64 KiB page: an overflow chain on every page size. */
const HUGE = 'y'.repeat(70_000);

function valuesFor(i: number): unknown[] {
  const all = [...INTS, ...OTHERS];
  return [all[i % all.length], all[(i * 7 + 3) % all.length], i % 97 === 1 ? HUGE : all[(i * 13 + 5) % all.length], i % 5 === 0 ? null : `row ${i}`];
}

function makeDb(path: string, opts: { pageSize: number; rows: number; encoding?: string; later?: boolean; generated?: boolean }): void {
  const db = new Database(path);
  try {
    db.exec(`PRAGMA page_size = ${opts.pageSize}`);
    if (opts.encoding) db.exec(`PRAGMA encoding = '${opts.encoding}'`);
    const gen = opts.generated ? ', g1 INTEGER GENERATED ALWAYS AS (length(c)) VIRTUAL, g2 TEXT GENERATED ALWAYS AS (upper(d)) STORED' : '';
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, a, b${gen}, c, d TEXT)`);
    db.exec('BEGIN');
    const ins = db.prepare('INSERT INTO t (a, b, c, d) VALUES (?, ?, ?, ?)');
    for (let i = 0; i < opts.rows; i++) ins.run(valuesFor(i) as never);
    ins.finalize();
    db.exec('COMMIT');
    if (opts.later) {
      db.exec('ALTER TABLE t ADD COLUMN e INTEGER');
      db.exec('UPDATE t SET e = id * 3 WHERE id % 2 = 0');
    }
  } finally {
    db.close();
  }
}

/** Every row of table t as values, read from the pages (file given) or by SQLite. */
function rowsOf(path: string, columns: string[], inPlace: boolean): { rows: unknown[][]; problems: string[] } {
  const db = ReadOnlySqlite.open(path);
  const file = inPlace ? SqliteFile.open(path) : undefined;
  try {
    const t = db.tables().get('t')!;
    if (inPlace) expect(notInPlace(file, t, columns)).toBeUndefined();
    const problems: string[] = [];
    const src = tableSource(db, file, t, columns, 1e9, (m) => problems.push(m));
    const rows: unknown[][] = [];
    // Blobs as hex: a deep compare of a typed array goes element by element.
    const plain = (v: unknown) => (v instanceof Uint8Array ? `blob ${Buffer.from(v).toString('hex')}` : v);
    // An integer also as the grouping reads it: its storage class, its two 32-bit halves.
    const halves = (k: number) => (src.row.kind(k) === INTEGER ? `int ${BigInt.asIntN(64, (BigInt(src.row.hi(k)) << 32n) | BigInt(src.row.lo(k) >>> 0))}` : `class ${src.row.kind(k)}`);
    src.each(() => { rows.push(columns.flatMap((_, k) => [plain(src.row.value(k)), halves(k)])); return true; });
    return { rows, problems };
  } finally {
    file?.close();
    db.close();
  }
}

describe('reading a table from its pages', () => {
  const cases = [
    { name: '512-byte pages, a b-tree of 3 levels, overflow chains', pageSize: 512, rows: 1500 },
    { name: '4096-byte pages', pageSize: 4096, rows: 1200 },
    { name: '65536-byte pages', pageSize: 65536, rows: 400 },
    { name: 'UTF-16le text', pageSize: 1024, rows: 300, encoding: 'UTF-16le' },
    { name: 'UTF-16be text', pageSize: 1024, rows: 300, encoding: 'UTF-16be' },
    { name: 'a column added later (older records are shorter)', pageSize: 1024, rows: 300, later: true },
    { name: 'generated columns (a VIRTUAL one has no place in the record)', pageSize: 1024, rows: 300, generated: true },
  ];
  for (const c of cases) {
    it(`gives what SQLite gives: ${c.name}`, () => {
      const path = join(work, `${c.name.replace(/\W+/g, '-')}.db`);
      makeDb(path, c);
      const columns = ['id', 'a', 'b', 'c', 'd', ...(c.later ? ['e'] : []), ...(c.generated ? ['g2'] : []), 'absent'];
      const sql = rowsOf(path, columns, false);
      const pages = rowsOf(path, columns, true);
      expect(pages.problems).toEqual([]);
      expect(pages.rows).toHaveLength(c.rows);
      expect(pages.rows).toEqual(sql.rows);
    });
  }
});

/** File offsets of a table's leaf pages (type 0x0d), the root excepted. */
function leafPages(path: string, pageSize: number): number[] {
  const fd = openSync(path, 'r');
  const b = Buffer.alloc(1);
  const out: number[] = [];
  for (let n = 2; ; n++) {
    if (readSync(fd, b, 0, 1, (n - 1) * pageSize) < 1) break;
    if (b[0] === 0x0d) out.push((n - 1) * pageSize);
  }
  closeSync(fd);
  return out;
}

function poke(path: string, offset: number, bytes: number[]): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from(bytes), 0, bytes.length, offset);
  closeSync(fd);
}

describe('a damaged rasdaemon database', () => {
  const FATAL = 0xbe0000000001009fn;
  const build = (name: string): { path: string; rows: MceRow[] } => {
    const path = join(work, name);
    // Uncorrected errors are read one by one: each row is one record.
    const rows: MceRow[] = Array.from({ length: 400 }, (_, i) => ({ bank: i % 20, status: FATAL, addr: BigInt(0x1000 * i), misc: 0x8cn, walltime: 1_795_000_000 + i, cpu: i % 8 }));
    buildRasdaemonDb(path, rows, [], 512);
    return { path, rows };
  };

  it('a cell pointer off its page: that cell is a problem at its offset, every other row is read', async () => {
    const { path, rows } = build('cell.db');
    const leaf = leafPages(path, 512).at(-5)!; // one of mce_record's (the first ones are the empty tables')
    poke(path, leaf + 8, [0xff, 0xf0]); // the first cell pointer, past the page end
    const { records, problems } = await readWith('rasdaemon', path);
    expect(problems).toEqual([{ path, offset: leaf + 0xfff0, message: expect.stringMatching(/^mce_record: page \d+: cell 0: is outside the page$/) }]);
    expect(records).toHaveLength(rows.length - 1);
  });

  it('a loop in the b-tree: the page reached again is a problem, read once; the scan ends', async () => {
    const { path, rows } = build('loop.db');
    const db = new Database(path);
    const root = (db.get("SELECT rootpage FROM sqlite_schema WHERE name = 'mce_record'") as { rootpage: number }).rootpage;
    db.close();
    const at = (root - 1) * 512;
    const head = Buffer.alloc(12);
    const fd = openSync(path, 'r');
    readSync(fd, head, 0, 12, at);
    closeSync(fd);
    expect(head[0]).toBe(0x05); // an interior page: the table has more than one level
    poke(path, at + 8, [(root >>> 24) & 0xff, (root >>> 16) & 0xff, (root >>> 8) & 0xff, root & 0xff]); // its right-most child: itself
    const { records, problems } = await readWith('rasdaemon', path);
    expect(problems).toEqual([{ path, offset: at, message: `mce_record: page ${root}: child page ${root} was reached before (a loop in the b-tree): not read again` }]);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(rows.length);
  });
});

describe("the schema read from the file's own sqlite_schema", () => {
  const described = (t: SqliteTable) => ({ ...t, slots: [...t.slots], defaults: [...t.defaults] });

  it("says of rasdaemon's database what SQLite says", () => {
    const path = fileURLToPath(new URL('../../fixtures/rasdaemon/rasdaemon-erst-mce/ras-mc_event.db', import.meta.url));
    const file = SqliteFile.open(path);
    const db = ReadOnlySqlite.open(path);
    try {
      const ours = readSchema(file);
      if (typeof ours === 'string') throw new Error(ours);
      expect(ours.other).toEqual(new Set());
      expect([...ours.tables.values()].map(described)).toEqual([...db.tables().values()].map(described));
    } finally {
      db.close();
      file.close();
    }
  });

  it('reads the plain form only; anything else is left to SQLite', () => {
    expect(plainColumns('CREATE TABLE IF NOT EXISTS mc_event (id INTEGER PRIMARY KEY, timestamp TEXT, "err count" INTEGER NOT NULL, [label] VARCHAR(64), `mc` UNSIGNED BIG INT UNIQUE)')).toEqual([
      { name: 'id', type: 'INTEGER', pk: true }, { name: 'timestamp', type: 'TEXT', pk: false }, { name: 'err count', type: 'INTEGER', pk: false },
      { name: 'label', type: 'VARCHAR', pk: false }, { name: 'mc', type: 'UNSIGNED BIG INT', pk: false },
    ]);
    for (const odd of [
      'CREATE TABLE t (a INTEGER DEFAULT 3)',
      'CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL)',
      'CREATE TABLE t (a INTEGER, PRIMARY KEY (a))',
      'CREATE TABLE t (a INTEGER PRIMARY KEY DESC)',
      'CREATE TABLE t (a INTEGER PRIMARY KEY) WITHOUT ROWID',
      'CREATE TABLE t (a INTEGER -- a comment\n)',
      'CREATE TABLE t (a TEXT COLLATE NOCASE)',
      'CREATE VIRTUAL TABLE t USING fts5(a)',
      'CREATE TABLE t AS SELECT 1',
    ]) expect([odd, plainColumns(odd)]).toEqual([odd, undefined]);
  });
});
