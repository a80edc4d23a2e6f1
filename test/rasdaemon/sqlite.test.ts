// The SQLite layer of the rasdaemon backend treats a database as untrusted input: opened
// read-only, nothing written beside it, only base tables and ordinary columns read, every
// query cut at a row limit that is reported.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from 'node-sqlite3-wasm';
import { ReadOnlySqlite } from '../../backends/rasdaemon/sqlite.js';
import { readRasdaemon } from '../../backends/rasdaemon/read.js';
import { buildRasdaemonDb } from '../builders/rasdaemon.js';
import type { Problem } from '../../src/model/index.js';
import { readAll } from '../../src/backend.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-sqlite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const FATAL = 0xbe0000000001009fn;

async function read(path: string) {
  const problems: Problem[] = [];
  const records = await readAll(readRasdaemon(path, { options: {}, problem: (p) => problems.push(p) }));
  return { records, problems };
}

function alter(path: string, sql: string): void {
  const db = new Database(path);
  db.exec(sql);
  db.close();
}

describe('ReadOnlySqlite', () => {
  it('writes nothing beside the file, and reads even where a stale lock directory stands', async () => {
    const dir = join(work, 'quiet');
    mkdirSync(dir);
    const p = join(dir, 'ras-mc_event.db');
    buildRasdaemonDb(p, [{ bank: 8, status: FATAL }]);
    const before = readdirSync(dir);
    const db = ReadOnlySqlite.open(p);
    expect([...db.rows('SELECT id FROM mce_record', 10, () => {})]).toEqual([[1]]);
    expect(readdirSync(dir)).toEqual(before);
    db.close();
    mkdirSync(`${p}.lock`); // what a killed writer of this VFS would leave
    expect((await read(p)).records).toHaveLength(1);
    expect(existsSync(`${p}.lock`)).toBe(true);
  });

  it('refuses to write', () => {
    const p = join(work, 'ro.db');
    buildRasdaemonDb(p, [{ bank: 8, status: FATAL }]);
    const db = ReadOnlySqlite.open(p);
    expect(() => [...db.rows('DELETE FROM mce_record RETURNING id', 10, () => {})]).toThrow();
    db.close();
  });

  it('lists base tables with their ordinary columns only: no views, no generated columns', () => {
    const p = join(work, 'schema.db');
    buildRasdaemonDb(p, [{ bank: 8, status: FATAL }]);
    alter(p, "ALTER TABLE mc_event ADD COLUMN twice INTEGER GENERATED ALWAYS AS (err_count * 2) VIRTUAL; CREATE VIEW aer_view AS SELECT * FROM aer_event");
    const db = ReadOnlySqlite.open(p);
    const tables = db.tables();
    db.close();
    expect([...tables.keys()].sort()).toEqual(['aer_event', 'extlog_event', 'mc_event', 'mce_record']);
    expect(tables.get('mc_event')!.columns).not.toContain('twice');
  });

  it('a view in the place of a table is not read', async () => {
    const p = join(work, 'view.db');
    buildRasdaemonDb(p, []);
    alter(p, "DROP TABLE mc_event; CREATE VIEW mc_event AS SELECT 1 AS id, 'x' AS err_type");
    const { records, problems } = await read(p);
    expect(records).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('a generated register column is not evaluated: the table is a problem', async () => {
    const p = join(work, 'generated.db');
    buildRasdaemonDb(p, []);
    alter(p, 'DROP TABLE mce_record; CREATE TABLE mce_record (id INTEGER PRIMARY KEY, timestamp TEXT, mcgstatus INTEGER, status INTEGER GENERATED ALWAYS AS (bank * 2) VIRTUAL, addr INTEGER, misc INTEGER, ip INTEGER, tsc INTEGER, walltime INTEGER, cpu INTEGER, cpuid INTEGER, apicid INTEGER, socketid INTEGER, bank INTEGER, cpuvendor INTEGER, error_msg TEXT, mcistatus_msg TEXT, user_action TEXT, mc_location TEXT); INSERT INTO mce_record (bank) VALUES (1)');
    const { records, problems } = await read(p);
    expect(records).toEqual([]);
    expect(problems).toEqual([{ path: p, message: 'mce_record: no ordinary column status (missing or generated); table not read' }]);
  });

  it('stops a query at its row limit and says so', () => {
    const p = join(work, 'limit.db');
    buildRasdaemonDb(p, Array.from({ length: 5 }, (_, i) => ({ bank: 8, status: FATAL, walltime: 1_795_000_000 + i })));
    const db = ReadOnlySqlite.open(p);
    const hit: number[] = [];
    const rows = [...db.rows('SELECT id FROM mce_record ORDER BY id', 3, (max) => hit.push(max))];
    db.close();
    expect(rows).toEqual([[1], [2], [3]]);
    expect(hit).toEqual([3]);
  });

  it('stops a query at its time budget, giving the rows read before, and says how many', () => {
    const p = join(work, 'budget.db');
    buildRasdaemonDb(p, Array.from({ length: 2000 }, (_, i) => ({ bank: 8, status: FATAL, walltime: 1_795_000_000 + i })));
    const db = ReadOnlySqlite.open(p);
    const said: number[] = [];
    let n = 0;
    // A budget already spent: the first clock look (row 256) ends the query.
    for (const _ of db.rows('SELECT id FROM mce_record', 10_000, () => {}, { ms: -1, onTime: (rows) => said.push(rows) })) n++;
    db.close();
    expect(n).toBe(255);
    expect(said).toEqual([255]);
  });

  it('a file that is not SQLite is a problem', async () => {
    const p = join(work, 'not.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(p, 'SQLite format 3\0' + 'garbage'.repeat(100));
    const { records, problems } = await read(p);
    expect(records).toEqual([]);
    expect(problems).toHaveLength(1);
  });
});
