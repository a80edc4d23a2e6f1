// Rows of rasdaemon's database to records: mce_record -> MachineCheck (rows.ts: corrected
// rows with identical registers grouped into one record with a count; 64-bit
// registers are stored as SQLite's signed INTEGER: read as bigint, taken unsigned),
// mc_event -> MemoryError, aer_event -> a noted blob. Read-only; a damaged table is a
// problem and the other tables are still read. The database is opened by sqlite.ts
// (read-only, untrusted schema, base columns only, a row limit per query).
import type { ReadContext } from '../../src/backend.js';
import type { BlobRecord, CrashRecord, MemoryError } from '../../src/model/index.js';
import { MCE_RECORD_COLUMNS, MceRowReader, mceQuery } from './rows.js';
import { MAX_ROWS_PER_QUERY, ReadOnlySqlite, ident, type SqliteTable } from './sqlite.js';
import { parseRasTimestamp } from './time.js';
import { mcEventWhere } from './mc-event.js';
import { messageOf } from '../../src/util/errors.js';

type Row = Record<string, unknown>;

const u64 = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? BigInt.asUintN(64, v) : typeof v === 'number' && Number.isInteger(v) ? BigInt.asUintN(64, BigInt(v)) : undefined);
const int = (v: unknown): number | undefined => {
  const b = u64(v);
  return b === undefined || b > 0xffffffffn ? undefined : Number(b);
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const ERR_TYPES: Record<string, MemoryError['severity']> = { corrected: 'corrected', uncorrected: 'uncorrected', fatal: 'fatal', info: 'info', deferred: 'uncorrected' };

function memErrOf(r: Row, path: string): MemoryError {
  const e: MemoryError = {
    kind: 'memerr',
    severity: ERR_TYPES[String(r.err_type ?? '').toLowerCase()] ?? 'info',
    source: { backend: 'rasdaemon', path, id: `mc_event#${String(r.id)}` },
  };
  const count = int(r.err_count);
  if (count !== undefined) e.count = count;
  const addr = u64(r.address);
  if (addr) e.physAddr = addr;
  const label = str(r.label);
  if (label) e.label = label;
  const mc = int(r.mc);
  if (mc !== undefined) e.card = mc;
  const where = mcEventWhere(r);
  if (where) e.where = where;
  const detail = [str(r.err_msg), str(r.driver_detail), `layers ${String(r.top_layer)}:${String(r.middle_layer)}:${String(r.lower_layer)}`].filter(Boolean).join('; ');
  e.detail = detail;
  const t = parseRasTimestamp(r.timestamp);
  if (t) e.time = t;
  return e;
}

function aerOf(r: Row, path: string): BlobRecord {
  const b: BlobRecord = { kind: 'blob', type: `aer ${String(r.err_type ?? '')} ${String(r.dev_name ?? '')}: ${String(r.err_msg ?? '')}`.trim(), size: 0, source: { backend: 'rasdaemon', path, id: `aer_event#${String(r.id)}` } };
  const t = parseRasTimestamp(r.timestamp);
  if (t) b.time = t;
  return b;
}

/** Row objects of a table's ordinary columns, in id order when it has one. */
function* tableRows(db: ReadOnlySqlite, t: SqliteTable, onLimit: (max: number) => void): Generator<Row> {
  const order = t.columns.includes('id') ? ' ORDER BY id' : '';
  for (const values of db.rows(`SELECT ${t.columns.map(ident).join(', ')} FROM ${ident(t.name)}${order}`, MAX_ROWS_PER_QUERY, onLimit)) {
    const row: Row = {};
    t.columns.forEach((c, i) => { row[c] = values[i]; });
    yield row;
  }
}

export async function* readRasdaemon(path: string, ctx: ReadContext): AsyncGenerator<CrashRecord> {
  let db: ReadOnlySqlite;
  try {
    db = ReadOnlySqlite.open(path);
  } catch (err) {
    ctx.problem({ path, message: `not a readable SQLite database: ${messageOf(err)}` });
    return;
  }
  try {
    let tables: Map<string, SqliteTable>;
    const limited = (what: string) => (max: number) => ctx.problem({ path, message: `${what}: stopped after ${max} rows (crashlog's limit per query); the rest is not read` });
    try {
      tables = db.tables();
    } catch (err) {
      ctx.problem({ path, message: `cannot list tables: ${messageOf(err)}` });
      return;
    }
    const mceTable = tables.get('mce_record');
    if (mceTable) {
      try {
        const cols = new Set(mceTable.columns);
        const absent = MCE_RECORD_COLUMNS.filter((c) => !cols.has(c));
        if (absent.length) throw new Error(`no ordinary column ${absent.join(', ')} (missing or generated); table not read`);
        // Uncorrected (and damaged) rows one by one, then the corrected ones in groups.
        for (const what of ['rows', 'groups'] as const) {
          const { sql, optional } = mceQuery(cols, what);
          const rows = new MceRowReader(path, optional);
          for (const row of db.rows(sql, MAX_ROWS_PER_QUERY, limited(`mce_record (${what})`))) {
            const mc = what === 'rows' ? rows.read(row) : rows.readGroup(row);
            if (mc) yield mc;
            else ctx.problem({ path, message: `mce_record row ${String(row[0])}: no bank or status` });
          }
        }
      } catch (err) {
        ctx.problem({ path, message: `mce_record: ${messageOf(err)}` });
      }
    }
    const plan: [string, (r: Row) => CrashRecord][] = [
      ['mc_event', (r) => memErrOf(r, path)],
      ['aer_event', (r) => aerOf(r, path)],
    ];
    for (const [table, convert] of plan) {
      const t = tables.get(table);
      if (!t) continue;
      try {
        for (const row of tableRows(db, t, limited(table))) yield convert(row);
      } catch (err) {
        ctx.problem({ path, message: `${table}: ${messageOf(err)}` });
      }
    }
  } finally {
    db.close();
  }
}
