// Where a table scan's rows come from. The page bytes (btree.ts) when the table can be read
// in place: a rowid table whose columns are where its records say, in a file whose rows are
// all in it. Otherwise SQLite itself, one row at a time (slower, the same rows): a table
// WITHOUT ROWID, a column added with a default (older records lack it, SQLite supplies it),
// a database in WAL mode with a "-wal" file beside it (committed rows may be only there).
import { statSync } from 'node:fs';
import { TableWalk } from './btree.js';
import { startWork } from '../../src/input/work.js';
import { messageOf } from '../../src/util/errors.js';
import type { SqliteFile } from './db-file.js';
import { BtreeRow } from './record.js';
import { ValuesRow } from './scan-row.js';
import type { RowSource } from './scan.js';
import type { ReadOnlySqlite } from './sqlite.js';
import { QUERY_BUDGET_MS, ident, type SqliteTable } from './table.js';

const hasWal = (path: string): boolean => {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
};

/** Why the table cannot be read from its pages, or undefined when it can. */
export function notInPlace(file: SqliteFile | undefined, t: SqliteTable, columns: readonly string[]): string | undefined {
  if (!file) return 'the file header is not readable';
  if (file.wal && hasWal(file.path)) return 'the database is in WAL mode with a -wal file beside it';
  if (t.withoutRowid) return 'a WITHOUT ROWID table';
  if (t.root < 1 || t.root > file.pageCount) return `root page ${t.root} is outside the file`;
  const withDefault = columns.find((c) => t.defaults.has(c));
  if (withDefault) return `column ${withDefault} has a default`;
  return undefined;
}

/** The rows of `columns` of table t (a column the table lacks reads as NULL); `db` is needed
 * only when the table cannot be read in place. */
export function tableSource(db: ReadOnlySqlite | undefined, file: SqliteFile | undefined, t: SqliteTable, columns: readonly string[], maxRows: number, problem: (message: string, offset?: number) => void): RowSource {
  if (file && !notInPlace(file, t, columns)) {
    const slotOf = new Int16Array(1 + Math.max(-1, ...columns.map((c) => t.slots.get(c) ?? -1))).fill(-1);
    columns.forEach((c, k) => { const s = t.slots.get(c); if (s !== undefined) slotOf[s] = k; });
    const row = new BtreeRow(columns.length, t.rowidColumn ? columns.indexOf(t.rowidColumn) : -1, file.encoding);
    return {
      row,
      each: (visit) => {
        // A table scan reads about all of the file: its size is the work (src/input/work.ts).
        const work = startWork(`reading ${t.name} of ${file.path}`, file.pageCount * file.pageSize, 'bytes');
        try {
          new TableWalk(file, row, slotOf, (offset, message) => problem(`${t.name}: ${message}`, offset), (n) => work.at(n)).run(t.root, visit);
        } finally {
          work.end();
        }
      },
    };
  }
  if (!db) throw new Error(`${t.name}: SQLite is needed to read it (${notInPlace(file, t, columns)})`);
  const row = new ValuesRow();
  const select = columns.map((c, k) => (t.columns.includes(c) ? ident(c) : `NULL AS "absent ${k}"`)).join(', ');
  return {
    row,
    each: (visit) => {
      // SQLite stops at a damaged page: what was read before it still counts.
      try {
        const budget = { ms: QUERY_BUDGET_MS, onTime: (n: number) => problem(`${t.name}: SQLite read ${n} rows in ${QUERY_BUDGET_MS / 1000} s, crashlog's time for one query: the rows after them are not read`) };
        for (const values of db.rows(`SELECT ${select} FROM ${ident(t.name)}`, maxRows + 1, () => {}, budget)) {
          row.values = values;
          if (!visit()) return;
        }
      } catch (err) {
        problem(`${t.name}: ${messageOf(err)}; the rows before it are read`);
      }
    },
  };
}
