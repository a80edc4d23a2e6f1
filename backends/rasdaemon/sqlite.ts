// The one place that opens an SQLite file: read-only, in place, through WebAssembly
// (node-sqlite3-wasm: no native build, pages read with positional reads, never the whole
// file). A database from a crashed machine is untrusted input, so:
// - `PRAGMA trusted_schema = OFF`: functions named in the schema run only if harmless;
// - only base tables are read (no views, no virtual tables), only their ordinary columns
//   (table_xinfo's hidden = 0: no generated columns), and callers name the columns;
// - every query stops after a row limit, and the caller reports when it was hit.
// Reading writes nothing: node-sqlite3-wasm's VFS takes its file lock by making a
// "<db>.lock" directory beside the file, which fails on read-only media (a mounted image,
// an evidence copy) and would be left behind if the process were killed. A read-only
// connection needs no lock against itself, and rasdaemon locks with fcntl(), which this
// VFS never saw either, so the lock directory of a file opened here is not made.
import fs from 'node:fs';
import { resolve } from 'node:path';
// A CommonJS module that sets its exports at run time: Node's ESM sees only the default.
import sqliteWasm from 'node-sqlite3-wasm';
import type { Database as WasmDatabase } from 'node-sqlite3-wasm';
import type { SqliteTable } from './table.js';

export { ident, QUERY_BUDGET_MS, type QueryBudget, type SqliteTable } from './table.js';
import { QUERY_BUDGET_MS, type QueryBudget } from './table.js';
import { startWork } from '../../src/input/work.js';

/** A million rows: what a query of the reader was once cut at. The reader's bounds are now
 * read.ts's SCAN_LIMITS (a million rows pass them); scripts/fuzz/grow.ts still builds its
 * large database one row past this. */
export const MAX_ROWS_PER_QUERY = 1_000_000;
/** Tables and columns looked at in one schema. */
const MAX_TABLES = 1000;

/** Lock directories not to make: those of the files open read-only here. */
const readOnlyLocks = new Set<string>();
let lockHookInstalled = false;

/**
 * The work of a query is the bytes SQLite reads of the file (src/input/work.ts): the
 * descriptor the VFS opens for a database opened here, and what is counted on it now.
 */
const fdOfPath = new Map<string, number>();
const counting = new Map<number, (bytes: number) => void>();

function installLockHook(): void {
  if (lockHookInstalled) return;
  lockHookInstalled = true;
  const { mkdirSync, rmdirSync, openSync, readSync } = fs;
  // The VFS calls fs.mkdirSync / fs.rmdirSync through the shared node:fs module object.
  fs.mkdirSync = ((path: fs.PathLike, ...rest: unknown[]) =>
    typeof path === 'string' && readOnlyLocks.has(path) ? undefined : (mkdirSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.mkdirSync;
  fs.rmdirSync = ((path: fs.PathLike, ...rest: unknown[]) =>
    typeof path === 'string' && readOnlyLocks.has(path) ? undefined : (rmdirSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.rmdirSync;
  // And fs.openSync / fs.readSync (its xOpen and xRead), so a query's reads can be counted.
  fs.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
    const fd = (openSync as (...a: unknown[]) => number)(path, ...rest);
    if (typeof path === 'string' && readOnlyLocks.has(`${path}.lock`)) fdOfPath.set(path, fd);
    return fd;
  }) as typeof fs.openSync;
  fs.readSync = ((fd: number, ...rest: unknown[]) => {
    const n = (readSync as (...a: unknown[]) => number)(fd, ...rest);
    counting.get(fd)?.(n);
    return n;
  }) as typeof fs.readSync;
}

interface ColumnInfo { name: unknown; type: unknown; dflt_value: unknown; pk: unknown; hidden: unknown }
/** table_xinfo's hidden: 2 is a VIRTUAL generated column, not stored in the record. */
const VIRTUAL_GENERATED = 2;


export class ReadOnlySqlite {
  private constructor(
    readonly path: string,
    private readonly db: WasmDatabase,
    private readonly lockPath: string,
  ) {}

  /** Opens `path` read-only; throws when it is not an SQLite database SQLite can open. */
  static open(path: string): ReadOnlySqlite {
    // The VFS names the lock after the full path, as SQLite gives it (path.resolve).
    const lockPath = `${resolve(path)}.lock`;
    installLockHook();
    readOnlyLocks.add(lockPath);
    const { Database } = sqliteWasm;
    let db: WasmDatabase;
    try {
      db = new Database(path, { readOnly: true });
    } catch (err) {
      readOnlyLocks.delete(lockPath);
      throw err;
    }
    const me = new ReadOnlySqlite(path, db, lockPath);
    try {
      db.exec('PRAGMA trusted_schema = OFF');
      db.exec('PRAGMA query_only = ON');
    } catch (err) {
      me.close();
      throw err;
    }
    return me;
  }

  /** Base tables (not views, not virtual tables, not SQLite's own) with their ordinary columns. */
  tables(): Map<string, SqliteTable> {
    const out = new Map<string, SqliteTable>();
    const rows = this.db.all(`SELECT name, sql, rootpage FROM sqlite_schema WHERE type = 'table' LIMIT ${MAX_TABLES}`) as { name: unknown; sql: unknown; rootpage: unknown }[];
    for (const { name, sql, rootpage } of rows) {
      if (typeof name !== 'string' || name.startsWith('sqlite_')) continue;
      if (typeof sql !== 'string' || /^\s*CREATE\s+VIRTUAL\b/i.test(sql)) continue;
      const cols = this.db.all(`SELECT name, type, dflt_value, pk, hidden FROM pragma_table_xinfo(?) LIMIT ${MAX_TABLES}`, [name]) as unknown as ColumnInfo[];
      const t: SqliteTable = { name, columns: [], root: typeof rootpage === 'number' ? rootpage : 0, withoutRowid: /\bWITHOUT\s+ROWID\b/i.test(sql), slots: new Map(), defaults: new Set() };
      let slot = 0;
      for (const c of cols) {
        const stored = c.hidden !== VIRTUAL_GENERATED;
        if (typeof c.name === 'string' && c.hidden === 0) {
          t.columns.push(c.name);
          t.slots.set(c.name, slot);
          if (c.dflt_value !== null) t.defaults.add(c.name);
        }
        if (stored) slot++;
      }
      const pk = cols.filter((c) => typeof c.pk === 'number' && c.pk > 0);
      if (!t.withoutRowid && pk.length === 1 && String(pk[0]!.type).toUpperCase() === 'INTEGER' && typeof pk[0]!.name === 'string') t.rowidColumn = pk[0]!.name;
      out.set(name, t);
    }
    return out;
  }

  /**
   * The rows of `sql` as arrays of values in column order, at most `max`; `onLimit` is
   * called when there were more, `budget.onTime` when the query ran out of time (the rows
   * before are given). Integers come as numbers when safe, else as bigints.
   * The result columns must have distinct names (each row comes as an object by name).
   */
  *rows(sql: string, max: number, onLimit: (max: number) => void, budget: QueryBudget = { ms: QUERY_BUDGET_MS }): Generator<unknown[]> {
    const deadline = performance.now() + budget.ms;
    const stmt = this.db.prepare(`${sql} LIMIT ${max + 1}`);
    // A query's work: the bytes it reads, of the file's size (a table scan reads about all).
    const fd = fdOfPath.get(resolve(this.path));
    const work = startWork(`querying ${this.path}`, fd === undefined ? undefined : fs.fstatSync(fd).size, 'bytes');
    let read = 0;
    if (fd !== undefined) counting.set(fd, (n) => work.at((read += n)));
    try {
      let n = 0;
      for (const row of stmt.iterate()) {
        if (++n > max) {
          onLimit(max);
          return;
        }
        // A clock look every 256 rows: a query's time is bounded, whatever its table holds.
        if ((n & 0xff) === 0 && performance.now() > deadline) {
          budget.onTime?.(n - 1);
          return;
        }
        yield Object.values(row as object);
      }
    } finally {
      if (fd !== undefined) counting.delete(fd);
      work.end();
      stmt.finalize();
    }
  }

  close(): void {
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      fdOfPath.delete(resolve(this.path));
      readOnlyLocks.delete(this.lockPath);
    }
  }
}
