// Issue 4's benchmark: a rasdaemon database with 1,000,000 mce_record rows (rasdaemon's
// schema), read by the rasdaemon backend, merged, graded and correlated by
// `crashlog report --json`: wall time and peak RSS (goal: under 5 s and 500 MB). The
// backend groups identical corrected rows (backends/rasdaemon/rows.ts), so the record count
// printed is the number of groups.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqliteWasm from 'node-sqlite3-wasm';
import { RASDAEMON_SCHEMA } from '../backends/rasdaemon/layout.js';
import { fmt, measureCli, nodeStartup } from './util.js';

const ROWS = 1_000_000;
const START = 1_795_000_000;

/** Corrected errors over 16 banks, 64 CPUs and 4096 pages, then one fatal error. */
function makeDb(path: string): void {
  const db = new sqliteWasm.Database(path);
  db.exec('PRAGMA journal_mode = OFF');
  db.exec('PRAGMA synchronous = OFF');
  db.exec(RASDAEMON_SCHEMA.mce_record);
  db.exec(RASDAEMON_SCHEMA.mc_event);
  const ins = db.prepare(`INSERT INTO mce_record (timestamp, mcgcap, mcgstatus, status, addr, misc, ip, tsc, walltime, cpu, cpuid, apicid, socketid, cs, bank, cpuvendor, bank_name, error_msg, mcgstatus_msg, mcistatus_msg, mcastatus_msg, user_action, mc_location)
    VALUES (?, 16777482, ?, ?, ?, 140, 0, 0, ?, ?, 329300, ?, 0, 0, ?, 0, '', ?, 'mcgstatus=0', 'Corrected_error Error_enabled', '', '', 'n_errors=1')`);
  db.exec('BEGIN');
  {
    for (let i = 0; i < ROWS; i++) {
      const last = i === ROWS - 1;
      const bank = 7 + (i % 16);
      const cpu = i % 64;
      // Stored as SQLite's signed INTEGER, as rasdaemon does.
      const status = last ? BigInt.asIntN(64, 0xbe0000000001009fn) : BigInt.asIntN(64, 0x9c0000400001009fn | BigInt(i % 4));
      const wall = START + Math.floor(i / 10);
      ins.run([new Date(wall * 1000).toISOString(), last ? 4 : 0, status, BigInt(0x10000000 + (i % 4096) * 0x1000), wall, cpu, cpu, bank, last ? 'MEMORY CONTROLLER RD_CHANNELunspecified_ERR' : 'MEMORY CONTROLLER RD_CHANNELunspecified_ERR Transaction: Memory read error']);
    }
  }
  db.exec('COMMIT');
  ins.finalize();
  db.close();
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-mce-bench-'));
  try {
    const db = join(dir, 'ras-mc_event.db');
    const t0 = Date.now();
    makeDb(db);
    console.log(`mce: generated ${ROWS.toLocaleString('en')} mce_record rows (${fmt(statSync(db).size / 1e6, 1)} MB) in ${fmt((Date.now() - t0) / 1000)} s`);
    const base = nodeStartup();
    const r = measureCli(['report', '--json', db]);
    if (r.status !== 0) throw new Error(`crashlog report failed (${r.status}): ${r.stderr.slice(0, 500)}`);
    const report = JSON.parse(r.stdout) as { inputs: { records: number }[]; incidents: { cause: string; correctedBefore?: { count: number }[] }[] };
    const corrected = report.incidents[0]?.correctedBefore?.reduce((n, h) => n + h.count, 0) ?? 0;
    console.log(`mce: report on ${ROWS.toLocaleString('en')} rows (read as ${report.inputs[0]?.records.toLocaleString('en')} records): ${fmt(r.seconds)} s (node start-up ${fmt(base.seconds)} s), peak RSS ${fmt(r.peakRssMb, 0)} MB; ` +
      `${report.incidents.length} incident (${report.incidents[0]?.cause}), ${corrected.toLocaleString('en')} corrected errors in ${report.incidents[0]?.correctedBefore?.length ?? 0} bank/address groups`);
    console.log(`mce: goal under 5 s and 500 MB: ${r.seconds < 5 && r.peakRssMb < 500 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
