// The schema of an SQLite file read without SQLite: the rows of sqlite_schema (the table on
// page 1: type, name, tbl_name, rootpage, sql; https://www.sqlite.org/schematab.html), and
// each table's CREATE TABLE statement parsed for its columns, but only in the plain form
// rasdaemon writes (ras-record.c: "CREATE TABLE IF NOT EXISTS name (col TYPE, ...)", the
// first column "id INTEGER PRIMARY KEY"): names, type words and PRIMARY KEY, NOT NULL,
// NULL, UNIQUE. A table in any other form (a default, a generated column, a constraint,
// WITHOUT ROWID, a comment) is not described here, and SQLite reads the schema instead
// (sqlite.ts): what is described here is what SQLite's table_xinfo would say.
import type { SqliteFile } from './db-file.js';
import { TableWalk } from './btree.js';
import { BtreeRow } from './record.js';
import type { SqliteTable } from './table.js';

/** Rows of sqlite_schema looked at, at most (as sqlite.ts's MAX_TABLES). */
const MAX_OBJECTS = 1000;
/** Column definitions in one statement, at most. */
const MAX_COLUMNS = 1000;

const TOKEN = /\s*(?:([A-Za-z_][A-Za-z0-9_$]*)|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|(\d+)|([(),])|(\S))/y;

interface Token { word?: string; name?: string; num?: string; punct?: string }

function tokens(sql: string): Token[] | undefined {
  const out: Token[] = [];
  const text = sql.trimEnd();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text)!; // something not blank is left: one of the alternatives matches
    if (m[7] !== undefined) return undefined; // any other character (a comment, a quote, ";"): not plain
    if (m[1] !== undefined) out.push({ word: m[1], name: m[1] });
    else if (m[2] !== undefined) out.push({ name: m[2].replace(/""/g, '"') });
    else if (m[3] !== undefined) out.push({ name: m[3].replace(/``/g, '`') });
    else if (m[4] !== undefined) out.push({ name: m[4] });
    else if (m[5] !== undefined) out.push({ num: m[5] });
    else out.push({ punct: m[6]! });
  }
  return out;
}

const kw = (t: Token | undefined, w: string): boolean => t?.word?.toUpperCase() === w;

/** The columns of a plain CREATE TABLE statement, or undefined when it is not plain. */
export function plainColumns(sql: string): { name: string; type: string; pk: boolean }[] | undefined {
  const t = tokens(sql);
  if (!t || !kw(t[0], 'CREATE') || !kw(t[1], 'TABLE')) return undefined;
  let i = 2;
  if (kw(t[i], 'IF') && kw(t[i + 1], 'NOT') && kw(t[i + 2], 'EXISTS')) i += 3;
  if (t[i]?.name === undefined || t[i + 1]?.punct !== '(') return undefined;
  i += 2;
  const cols: { name: string; type: string; pk: boolean }[] = [];
  for (;;) {
    const name = t[i]?.name;
    if (name === undefined || cols.length >= MAX_COLUMNS) return undefined;
    if (['PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN', 'CONSTRAINT'].some((w) => kw(t[i], w))) return undefined; // a table constraint
    i++;
    const type: string[] = [];
    while (t[i]?.word && !['PRIMARY', 'NOT', 'NULL', 'UNIQUE'].some((w) => kw(t[i], w))) {
      if (['DEFAULT', 'GENERATED', 'AS', 'CHECK', 'COLLATE', 'REFERENCES', 'CONSTRAINT'].some((w) => kw(t[i], w))) return undefined;
      type.push(t[i++]!.word!);
    }
    if (t[i]?.punct === '(') { // VARCHAR(255), DECIMAL(10, 2)
      const close = t.findIndex((x, j) => j > i && x.punct === ')');
      if (close < 0 || t.slice(i + 1, close).some((x) => x.num === undefined && x.punct !== ',')) return undefined;
      i = close + 1;
    }
    let pk = false;
    for (;;) {
      if (kw(t[i], 'PRIMARY') && kw(t[i + 1], 'KEY')) {
        i += 2;
        if (kw(t[i], 'DESC')) return undefined; // not the rowid, though INTEGER
        if (kw(t[i], 'ASC')) i++;
        if (kw(t[i], 'AUTOINCREMENT')) i++;
        pk = true;
      } else if (kw(t[i], 'NOT') && kw(t[i + 1], 'NULL')) i += 2;
      else if (kw(t[i], 'NULL') || kw(t[i], 'UNIQUE')) i++;
      else break;
    }
    cols.push({ name, type: type.join(' '), pk });
    if (t[i]?.punct === ',') { i++; continue; }
    if (t[i]?.punct === ')' && i === t.length - 1) return cols;
    return undefined;
  }
}

export interface Schema {
  /** Base tables in the plain form, described. */
  tables: Map<string, SqliteTable>;
  /** Base tables in another form: SQLite must describe (and read) them. */
  other: Set<string>;
}

/** The file's base tables, or why its schema cannot be read without SQLite. */
export function readSchema(file: SqliteFile): Schema | string {
  const row = new BtreeRow(5, -1, file.encoding);
  const problems: string[] = [];
  const walk = new TableWalk(file, row, Int16Array.from([0, 1, 2, 3, 4]), (_, m) => problems.push(m));
  const schema: Schema = { tables: new Map(), other: new Set() };
  let n = 0;
  walk.run(1, () => {
    const [type, name, , root, sql] = [0, 1, 2, 3, 4].map((k) => row.value(k));
    if (++n > MAX_OBJECTS) return false;
    if (type !== 'table' || typeof name !== 'string' || name.startsWith('sqlite_')) return true;
    const cols = typeof sql === 'string' && typeof root === 'number' ? plainColumns(sql) : undefined;
    if (!cols) { schema.other.add(name); return true; }
    const pk = cols.filter((c) => c.pk);
    const t: SqliteTable = { name, columns: cols.map((c) => c.name), root: root as number, withoutRowid: false, slots: new Map(cols.map((c, i) => [c.name, i])), defaults: new Set() };
    if (pk.length === 1 && pk[0]!.type.toUpperCase() === 'INTEGER') t.rowidColumn = pk[0]!.name;
    schema.tables.set(name, t);
    return true;
  });
  return problems.length ? `the schema's pages: ${problems[0]}` : schema;
}
