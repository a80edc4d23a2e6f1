// rasdaemon's database (ras-mc_event.db) with a hostile schema or hostile values, made
// with SQLite itself on the case's copy: a GENERATED column (evaluated on every read, if
// anything reads it) in place of a column the reader needs or beside it, a view or a
// recursive view where a table should be, triggers, huge TEXT and BLOB values, values of
// the wrong type, many tables, many rows, WAL mode, a schema text that lies.
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import sqliteWasm from 'node-sqlite3-wasm';
import type { Rng } from '../rng.js';
import type { StructureMutator } from './types.js';

const MAGIC = 'SQLite format 3\0';
/** What one expensive expression costs if evaluated: a 128 MiB string per row. */
const COSTLY = 'length(hex(zeroblob(67108864)))';
const TABLES = ['mce_record', 'mc_event', 'aer_event'];
const HUGE_VALUE_BYTES = [1 << 16, 1 << 20, 16 << 20];
const MANY_ROWS = [20_000, 200_000];
const MANY_TABLES = [1200, 3000];

type Db = InstanceType<typeof sqliteWasm.Database>;
const ident = (n: string) => `"${n.replace(/"/g, '""')}"`;

function columns(db: Db, table: string): { name: string; type: string; pk: number }[] {
  return db.all(`SELECT name, type, pk FROM pragma_table_info(?)`, [table]) as { name: string; type: string; pk: number }[];
}

/** Recreate `table` with one column replaced by a generated one (its data kept in the others). */
function generatedInPlaceOf(db: Db, table: string, col: string, expr: string, stored: boolean): void {
  const cols = columns(db, table);
  const defs = cols.map((c) => (c.name === col ? `${ident(c.name)} ${c.type} GENERATED ALWAYS AS (${expr}) ${stored ? 'STORED' : 'VIRTUAL'}` : `${ident(c.name)} ${c.type}${c.pk ? ' PRIMARY KEY' : ''}`));
  const keep = cols.filter((c) => c.name !== col).map((c) => ident(c.name)).join(', ');
  db.exec(`CREATE TABLE fuzz_new (${defs.join(', ')}); INSERT INTO fuzz_new (${keep}) SELECT ${keep} FROM ${ident(table)}; DROP TABLE ${ident(table)}; ALTER TABLE fuzz_new RENAME TO ${ident(table)};`);
}

const MUTATIONS: ((db: Db, rng: Rng, tables: string[]) => string)[] = [
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const c = rng.pick(columns(db, t).filter((x) => !x.pk)).name;
    // STORED would be computed now, at 128 MiB a row: only cheap expressions are stored.
    const stored = rng.chance(0.3);
    const expr = stored ? rng.pick(['1', "'x'", '-1']) : rng.pick([COSTLY, '1', "'x'"]);
    generatedInPlaceOf(db, t, c, expr, stored);
    return `${t}.${c} made GENERATED ALWAYS AS (${expr}) ${stored ? 'STORED' : 'VIRTUAL'}`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    db.exec(`ALTER TABLE ${ident(t)} ADD COLUMN fuzz_g INTEGER GENERATED ALWAYS AS (${COSTLY}) VIRTUAL`);
    return `${t} gains a VIRTUAL generated column costing 128 MiB a row`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const endless = rng.chance(0.5);
    const body = endless ? `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT b.* FROM fuzz_base b, c` : 'SELECT * FROM fuzz_base';
    db.exec(`ALTER TABLE ${ident(t)} RENAME TO fuzz_base; CREATE VIEW ${ident(t)} AS ${body};`);
    return `${t} is a ${endless ? 'recursive, endless ' : ''}view`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    db.exec(`CREATE TRIGGER fuzz_t AFTER INSERT ON ${ident(t)} BEGIN SELECT ${COSTLY}; END; CREATE TRIGGER fuzz_u BEFORE DELETE ON ${ident(t)} BEGIN SELECT RAISE(ABORT, 'no'); END;`);
    return `${t} has triggers`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const c = rng.pick(columns(db, t).filter((x) => !x.pk)).name;
    const n = rng.pick(HUGE_VALUE_BYTES);
    const v = rng.pick([`zeroblob(${n})`, `printf('%.*c', ${n}, 'x')`, `hex(randomblob(${n >> 1}))`, `printf('%.*c', ${n}, char(10))`]);
    db.exec(`UPDATE ${ident(t)} SET ${ident(c)} = ${v}`);
    return `${t}.${c} = ${v} in every row`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const c = rng.pick(columns(db, t).filter((x) => !x.pk)).name;
    const v = rng.pick(["'garbage'", '1.5e300', "x'00ff'", '-1', 'NULL', '-9223372036854775808', "'0x8000'", '9.0', "''", "'2026-13-45 99:99:99 +9999'", '1e19']);
    db.exec(`UPDATE ${ident(t)} SET ${ident(c)} = ${v}`);
    return `${t}.${c} = ${v} (wrong type or range) in every row`;
  },
  (db, rng) => {
    const n = rng.pick(MANY_TABLES);
    db.exec('BEGIN');
    for (let i = 0; i < n; i++) db.exec(`CREATE TABLE fuzz_t${i} (a INTEGER, b TEXT)`);
    db.exec('COMMIT');
    return `${n} extra tables`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const n = rng.pick(MANY_ROWS);
    const cols = columns(db, t).filter((x) => !x.pk).map((x) => ident(x.name)).join(', ');
    const any = db.all(`SELECT count(*) AS n FROM ${ident(t)}`) as { n: number }[];
    if (!any[0]?.n) db.exec(`INSERT INTO ${ident(t)} DEFAULT VALUES`);
    db.exec(`INSERT INTO ${ident(t)} (${cols}) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${n}) SELECT ${cols} FROM c, (SELECT * FROM ${ident(t)} LIMIT 1)`);
    return `${n} more rows in ${t}`;
  },
  (db, rng, tables) => {
    const t = rng.pick(tables);
    const name = rng.pick([t.toUpperCase(), `${t} `, `main.${t}`, `${t}_old`]);
    db.exec(`ALTER TABLE ${ident(t)} RENAME TO ${ident(name)}`);
    return `${t} renamed ${JSON.stringify(name)}`;
  },
  (db) => {
    db.exec('PRAGMA journal_mode = WAL');
    return 'journal_mode WAL (no -wal or -shm file beside it)';
  },
  (db, rng, tables) => {
    // A schema text that lies about the table's columns: SQLite trusts it to decode rows.
    const t = rng.pick(tables);
    const sql = rng.pick([`CREATE TABLE ${ident(t)} (id INTEGER PRIMARY KEY)`, `CREATE TABLE ${ident(t)} (status TEXT, id INTEGER PRIMARY KEY, bank BLOB)`, `CREATE TABLE ${ident(t)} (id INTEGER PRIMARY KEY, status INTEGER GENERATED ALWAYS AS (${COSTLY}) VIRTUAL, bank INTEGER)`]);
    db.exec(`PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = '${sql.replace(/'/g, "''")}' WHERE name = '${t}'; PRAGMA writable_schema = OFF;`);
    return `schema text of ${t} says: ${sql}`;
  },
];

export const sqlite: StructureMutator = {
  id: 'sqlite',
  scope: 'file',
  weight: 2,
  fits: (_path, head) => Buffer.from(head.buffer, head.byteOffset, Math.min(16, head.byteLength)).toString('latin1') === MAGIC,
  async mutate({ path, rng, rewrite }) {
    if (!rewrite) return undefined;
    const db = new sqliteWasm.Database(path);
    try {
      const tables = (db.all(`SELECT name FROM sqlite_schema WHERE type = 'table'`) as { name: string }[]).map((r) => r.name).filter((n) => TABLES.includes(n));
      if (tables.length === 0) return undefined;
      return rng.pick(MUTATIONS)(db, rng, tables);
    } catch {
      return undefined;
    } finally {
      db.close();
      rmSync(`${resolve(path)}.lock`, { recursive: true, force: true });
    }
  },
};
