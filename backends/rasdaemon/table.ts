// What a reader knows of one table, whoever read the schema (SQLite in sqlite.ts, or the
// file's own sqlite_schema in schema.ts): kept apart from both, so that reading a table in
// place does not load SQLite.

export interface SqliteTable {
  name: string;
  /** Ordinary columns, in declaration order (no generated or hidden ones). */
  columns: string[];
  /** What reading the table's b-tree in place needs (btree.ts): its root page, whether it
   * has rowids, each ordinary column's place in a record (a VIRTUAL generated column has
   * none), the column that is the rowid (INTEGER PRIMARY KEY), and the columns with a
   * default other than NULL (a record written before ALTER TABLE ADD COLUMN lacks them). */
  root: number;
  withoutRowid: boolean;
  slots: Map<string, number>;
  rowidColumn?: string;
  defaults: Set<string>;
}

/** A double-quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Wall time one query through SQLite may take (the in-place reader, btree.ts, is bounded by
 * the file's pages): past it the rows read so far are what the table gives, and a problem says so. */
export const QUERY_BUDGET_MS = 20_000;
export interface QueryBudget { ms: number; onTime?: (rows: number) => void }
