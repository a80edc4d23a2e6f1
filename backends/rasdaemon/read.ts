// Rows of rasdaemon's database to records: mce_record -> MachineCheck (rows.ts), mc_event ->
// MemoryError (mc-event.ts), corrected rows of both counted in groups and never held
// (scan.ts); aer_event -> a noted blob (aer.ts). Read-only; a damaged table is a problem and
// the other tables are still read. The file's own schema and pages are read in place
// (schema.ts, btree.ts); SQLite (sqlite.ts: read-only, untrusted schema, base columns only)
// is loaded only for what they cannot give: a schema not in rasdaemon's plain form, a table
// that cannot be read in place (source.ts), a file whose header is not SQLite's.
import type { ReadContext } from '../../src/backend.js';
import type { CrashRecord } from '../../src/model/index.js';
import { MCE_RECORD_COLUMNS, MceRowPlan } from './rows.js';
import { McEventPlan } from './mc-event.js';
import { AerPlan } from './aer.js';
import type { ReadOnlySqlite } from './sqlite.js';
import type { SqliteTable } from './table.js';
import { SqliteFile } from './db-file.js';
import { readSchema } from './schema.js';
import { notInPlace, tableSource } from './source.js';
import { type ScanLimits, type TablePlan, scanTable } from './scan.js';
import { messageOf } from '../../src/util/errors.js';

/** What one table scan may hold and read (scan.ts says what each cut leaves out). */
export const SCAN_LIMITS: ScanLimits = {
  rows: 50_000_000,
  /** Groups of identical registers (or of one DIMM address) within an hour: a million rows
   * over 4096 pages and 28 hours make 115,000, held in 32,768 groups of 4 hours. */
  groups: 32_768,
  coarse: 8_192,
  /** Uncorrected errors, AER events and odd rows, the most recent kept. */
  alone: 10_000,
  problems: 20,
};

const TABLES = ['mce_record', 'mc_event', 'aer_event'] as const;

export async function* readRasdaemon(path: string, ctx: ReadContext): AsyncGenerator<CrashRecord | readonly CrashRecord[]> {
  const problem = (message: string, offset?: number) => ctx.problem({ path, ...(offset !== undefined ? { offset } : {}), message });
  let file: SqliteFile | undefined;
  let db: ReadOnlySqlite | undefined;
  const sqlite = async (): Promise<ReadOnlySqlite> => (db ??= (await import('./sqlite.js')).ReadOnlySqlite.open(path));
  try {
    let tables: Map<string, SqliteTable>;
    try {
      file = SqliteFile.open(path);
    } catch {
      file = undefined; // SQLite says what is wrong with it
    }
    const schema = file ? readSchema(file) : 'no header';
    if (typeof schema !== 'string' && !TABLES.some((t) => schema.other.has(t))) tables = schema.tables;
    else {
      try {
        await sqlite();
      } catch (err) {
        problem(`not a readable SQLite database: ${messageOf(err)}`);
        return;
      }
      try {
        tables = db!.tables();
      } catch (err) {
        problem(`cannot list tables: ${messageOf(err)}`);
        return;
      }
    }
    const plans: [SqliteTable | undefined, () => TablePlan<CrashRecord, unknown>][] = [
      [tables.get('mce_record'), () => {
        const cols = new Set(tables.get('mce_record')!.columns);
        const absent = MCE_RECORD_COLUMNS.filter((c) => !cols.has(c));
        if (absent.length) throw new Error(`no ordinary column ${absent.join(', ')} (missing or generated); table not read`);
        return new MceRowPlan(path, cols, SCAN_LIMITS.groups);
      }],
      [tables.get('mc_event'), () => new McEventPlan(path, SCAN_LIMITS.groups)],
      [tables.get('aer_event'), () => new AerPlan(path)],
    ];
    for (const [t, make] of plans) {
      if (!t) continue;
      try {
        const plan = make();
        const src = tableSource(notInPlace(file, t, plan.columns) ? await sqlite() : undefined, file, t, plan.columns, SCAN_LIMITS.rows, problem);
        const recs = scanTable(src, plan, SCAN_LIMITS, problem);
        if (recs.length) yield recs;
      } catch (err) {
        problem(`${t.name}: ${messageOf(err)}`);
      }
    }
  } finally {
    file?.close();
    db?.close();
  }
}
