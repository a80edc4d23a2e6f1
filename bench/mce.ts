// Issue 15's rasdaemon benchmark: databases of 1,000,000 rows in rasdaemon's schema, read by
// `crashlog report --json` (the rasdaemon backend, merged, graded, correlated): wall and CPU
// time (medians of RUNS) and peak RSS, beside the goal (under 5 s and 300 MB) and beside the
// peer in the same run: a full scan of the same table by Debian's sqlite3 CLI (SELECT
// count(*), sum(length(...))), or the same query through node-sqlite3-wasm when the CLI is
// not installed. Three databases: mce_record rows whose time, address and CPU vary (4096
// pages: the backend groups them, so the record count printed is the groups'); the same
// with every row at its own address (past the group limit: counted coarser, said in a
// problem); mc_event rows whose time, address, DIMM and driver detail vary.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqliteWasm from 'node-sqlite3-wasm';
import { RASDAEMON_SCHEMA } from '../backends/rasdaemon/layout.js';
import { fmt, measure, measureCli, nodeStartup, type Measured } from './util.js';

const ROWS = 1_000_000;
const START = 1_795_000_000;
const RUNS = Number(process.env.MCE_BENCH_RUNS ?? 3);
const GOAL_S = 5;
const GOAL_MB = 300;
const SQLITE3 = '/usr/bin/sqlite3';

type Kind = 'varied' | 'distinct' | 'mc_event';

const stamp = (wall: number): string => new Date(wall * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000');

/** Corrected errors over 16 banks, 64 CPUs and 4096 pages (or a page per row), then one fatal error. */
function fillMce(db: InstanceType<typeof sqliteWasm.Database>, distinct: boolean): void {
  const ins = db.prepare(`INSERT INTO mce_record (timestamp, mcgcap, mcgstatus, status, addr, misc, ip, tsc, walltime, cpu, cpuid, apicid, socketid, cs, bank, cpuvendor, bank_name, error_msg, mcgstatus_msg, mcistatus_msg, mcastatus_msg, user_action, mc_location)
    VALUES (?, 16777482, ?, ?, ?, 140, 0, 0, ?, ?, 329300, ?, 0, 0, ?, 0, '', ?, 'mcgstatus=0', 'Corrected_error Error_enabled', '', '', 'n_errors=1')`);
  for (let i = 0; i < ROWS; i++) {
    const last = i === ROWS - 1;
    const bank = 7 + (i % 16);
    const cpu = i % 64;
    // Stored as SQLite's signed INTEGER, as rasdaemon does.
    const status = last ? BigInt.asIntN(64, 0xbe0000000001009fn) : BigInt.asIntN(64, 0x9c0000400001009fn | BigInt(i % 4));
    const wall = START + Math.floor(i / 10);
    const page = distinct ? i : i % 4096;
    ins.run([stamp(wall), last ? 4 : 0, status, BigInt(0x10000000 + page * 0x1000), wall, cpu, cpu, bank, last ? 'MEMORY CONTROLLER RD_CHANNELunspecified_ERR' : 'MEMORY CONTROLLER RD_CHANNELunspecified_ERR Transaction: Memory read error']);
  }
  ins.finalize();
}

/** Corrected memory errors as skx_edac reports them: 2 controllers x 3 channels x 2 DIMMs,
 * 4096 pages, a detail naming the row and column of each; then one uncorrected. */
function fillMcEvent(db: InstanceType<typeof sqliteWasm.Database>): void {
  const ins = db.prepare('INSERT INTO mc_event (timestamp, err_count, err_type, err_msg, label, mc, top_layer, middle_layer, lower_layer, address, grain, syndrome, driver_detail) VALUES (?, 1, ?, ?, ?, ?, ?, ?, -1, ?, 32, 0, ?)');
  for (let i = 0; i < ROWS; i++) {
    const last = i === ROWS - 1;
    const page = i % 4096, mc = page % 2, chan = (page >> 1) % 3, dimm = (page >> 3) % 2;
    ins.run([stamp(START + Math.floor(i / 10)), last ? 'Uncorrected' : 'Corrected', last ? 'memory read error' : 'memory scrubbing error', `CPU_SrcID#0_MC#${mc}_Chan#${chan}_DIMM#${dimm}`, mc, chan, dimm,
      BigInt(0x10000000 + page * 0x1000), `err_code:0x0000:0x00c${chan} ProcessorSocketId:0x0 MemoryControllerId:0x${mc} ChannelAddress:0x${(i * 64).toString(16)} rank:0 bg:1 ba:${i % 4} row:0x${(i % 65536).toString(16)} col:0x${((i * 8) % 1024).toString(16)}`]);
  }
  ins.finalize();
}

export function makeDb(path: string, kind: Kind = 'varied'): void {
  const db = new sqliteWasm.Database(path);
  try {
    db.exec('PRAGMA journal_mode = OFF');
    db.exec('PRAGMA synchronous = OFF');
    db.exec(RASDAEMON_SCHEMA.mce_record);
    db.exec(RASDAEMON_SCHEMA.mc_event);
    db.exec('BEGIN');
    if (kind === 'mc_event') fillMcEvent(db);
    else fillMce(db, kind === 'distinct');
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

const SCANS: Record<Kind, string> = {
  varied: 'SELECT count(*), sum(length(status) + length(addr) + length(misc) + length(walltime) + length(cpu) + length(bank)) FROM mce_record',
  distinct: 'SELECT count(*), sum(length(status) + length(addr) + length(misc) + length(walltime) + length(cpu) + length(bank)) FROM mce_record',
  mc_event: 'SELECT count(*), sum(length(timestamp) + length(err_type) + length(label) + length(address) + length(driver_detail)) FROM mc_event',
};

function runs(n: number, one: () => Measured): { wall: number; cpu: number; rssMb: number; last: Measured } {
  const all = Array.from({ length: n }, one);
  const mid = (f: (m: Measured) => number) => all.map(f).sort((a, b) => a - b)[Math.floor(n / 2)]!;
  return { wall: mid((m) => m.seconds), cpu: mid((m) => m.cpuSeconds), rssMb: Math.max(...all.map((m) => m.peakRssMb)), last: all[n - 1]! };
}

/** The peer: a full scan of the table, by the sqlite3 CLI or through node-sqlite3-wasm. */
function peer(db: string, kind: Kind): { name: string; run: () => Measured } {
  if (existsSync(SQLITE3)) return { name: 'sqlite3 CLI full scan', run: () => measure(SQLITE3, [db, SCANS[kind]]) };
  const script = `const { Database } = require(${JSON.stringify(createRequire(import.meta.url).resolve('node-sqlite3-wasm'))}); const d = new Database(${JSON.stringify(db)}, { readOnly: true }); console.log(JSON.stringify(d.all(${JSON.stringify(SCANS[kind])}))); d.close();`;
  return { name: 'node-sqlite3-wasm full scan (sqlite3 CLI not installed)', run: () => measure(process.execPath, ['-e', script]) };
}

async function one(dir: string, kind: Kind): Promise<void> {
  const db = join(dir, `ras-${kind}.db`);
  const t0 = Date.now();
  makeDb(db, kind);
  const table = kind === 'mc_event' ? 'mc_event' : 'mce_record';
  console.log(`mce: ${kind}: generated ${ROWS.toLocaleString('en')} ${table} rows (${fmt(statSync(db).size / 1e6, 1)} MB) in ${fmt((Date.now() - t0) / 1000)} s`);
  const p = peer(db, kind);
  const ours = runs(RUNS, () => measureCli(['report', '--json', db]));
  const theirs = runs(RUNS, p.run);
  const r = ours.last;
  if (r.status !== 0) throw new Error(`crashlog report failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const report = JSON.parse(r.stdout) as { inputs: { records: number; problems: { message: string }[] }[]; incidents: { cause: string; correctedBefore?: { count: number }[] }[] };
  const input = report.inputs[0]!;
  const inc = report.incidents[0];
  const corrected = inc?.correctedBefore?.reduce((n, h) => n + h.count, 0) ?? 0;
  console.log(`mce: ${kind}: crashlog report --json: ${fmt(ours.wall)} s wall, ${fmt(ours.cpu)} s CPU (medians of ${RUNS}), peak RSS ${fmt(ours.rssMb, 0)} MB; ` +
    `${input.records.toLocaleString('en')} records, ${input.problems.length} problems${input.problems.length ? ` (${input.problems.map((x) => x.message).join(' | ').slice(0, 300)})` : ''}; ` +
    `${report.incidents.length} incident${report.incidents.length === 1 ? '' : 's'}${inc ? ` (${inc.cause})` : ''}${inc?.correctedBefore ? `, ${corrected.toLocaleString('en')} corrected errors before it in ${inc.correctedBefore.length} bank/address groups` : ''}`);
  console.log(`mce: ${kind}: peer (${p.name}): ${fmt(theirs.wall)} s wall, ${fmt(theirs.cpu)} s CPU, peak RSS ${fmt(theirs.rssMb, 0)} MB; crashlog/peer ${fmt(ours.wall / theirs.wall)}x wall, ${fmt(ours.cpu / theirs.cpu)}x CPU`);
  console.log(`mce: ${kind}: goal: under ${GOAL_S} s and ${GOAL_MB} MB: ${ours.wall < GOAL_S && ours.rssMb < GOAL_MB ? 'met' : 'NOT met'} (${fmt(ours.wall)} s, ${fmt(ours.rssMb, 0)} MB)`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-mce-bench-'));
  try {
    const base = nodeStartup();
    console.log(`mce: node start-up ${fmt(base.seconds)} s wall, ${fmt(base.cpuSeconds)} s CPU`);
    for (const kind of ['varied', 'distinct', 'mc_event'] as const) {
      await one(dir, kind);
      rmSync(join(dir, `ras-${kind}.db`), { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
