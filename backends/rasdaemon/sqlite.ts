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

/** Rows one query may return before it is cut (and a problem reported). */
export const MAX_ROWS_PER_QUERY = 1_000_000;
/** Tables and columns looked at in one schema. */
const MAX_TABLES = 1000;

/** Lock directories not to make: those of the files open read-only here. */
const readOnlyLocks = new Set<string>();
let lockHookInstalled = false;

function installLockHook(): void {
  if (lockHookInstalled) return;
  lockHookInstalled = true;
  const { mkdirSync, rmdirSync } = fs;
  // The VFS calls fs.mkdirSync / fs.rmdirSync through the shared node:fs module object.
  fs.mkdirSync = ((path: fs.PathLike, ...rest: unknown[]) =>
    typeof path === 'string' && readOnlyLocks.has(path) ? undefined : (mkdirSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.mkdirSync;
  fs.rmdirSync = ((path: fs.PathLike, ...rest: unknown[]) =>
    typeof path === 'string' && readOnlyLocks.has(path) ? undefined : (rmdirSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.rmdirSync;
}

export interface SqliteTable {
  name: string;
  /** Ordinary columns, in declaration order (no generated or hidden ones). */
  columns: string[];
}

/** A double-quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

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
    const rows = this.db.all(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' LIMIT ${MAX_TABLES}`) as { name: unknown; sql: unknown }[];
    for (const { name, sql } of rows) {
      if (typeof name !== 'string' || name.startsWith('sqlite_')) continue;
      if (typeof sql !== 'string' || /^\s*CREATE\s+VIRTUAL\b/i.test(sql)) continue;
      const cols = this.db.all(`SELECT name, hidden FROM pragma_table_xinfo(?) LIMIT ${MAX_TABLES}`, [name]) as { name: unknown; hidden: unknown }[];
      out.set(name, { name, columns: cols.filter((c) => c.hidden === 0 && typeof c.name === 'string').map((c) => c.name as string) });
    }
    return out;
  }

  /**
   * The rows of `sql` as arrays of values in column order, at most `max`; `onLimit` is
   * called when there were more. Integers come as numbers when safe, else as bigints.
   * The result columns must have distinct names (each row comes as an object by name).
   */
  *rows(sql: string, max: number, onLimit: (max: number) => void): Generator<unknown[]> {
    const stmt = this.db.prepare(`${sql} LIMIT ${max + 1}`);
    try {
      let n = 0;
      for (const row of stmt.iterate()) {
        if (++n > max) {
          onLimit(max);
          return;
        }
        yield Object.values(row as object);
      }
    } finally {
      stmt.finalize();
    }
  }

  close(): void {
    try {
      if (this.db.isOpen) this.db.close();
    } finally {
      readOnlyLocks.delete(this.lockPath);
    }
  }
}
