// rasdaemon databases made with the same SQLite library (node-sqlite3-wasm) and rasdaemon's own schema
// (backends/rasdaemon/layout.ts, taken from a database the real rasdaemon 0.6.8 wrote).
import { Database } from 'node-sqlite3-wasm';
import { RASDAEMON_SCHEMA } from '../../backends/rasdaemon/layout.js';

export interface MceRow {
  bank: number; status: bigint; addr?: bigint; misc?: bigint; mcgstatus?: bigint; mcgcap?: bigint;
  ip?: bigint; tsc?: bigint; walltime?: number; cpu?: number; cpuid?: number; apicid?: number; socketid?: number;
  cpuvendor?: number; error_msg?: string;
}

export interface McEventRow {
  timestamp: string; err_count: number; err_type: string; err_msg: string; label: string; mc: number; address: bigint; driver_detail?: string;
}

/** rasdaemon stores u64 registers in SQLite's signed INTEGER. */
const signed = (v: bigint | undefined): bigint => BigInt.asIntN(64, v ?? 0n);

function stamp(walltime: number): string {
  return new Date(walltime * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000');
}

export function buildRasdaemonDb(path: string, mces: Iterable<MceRow>, events: McEventRow[] = [], pageSize?: number): void {
  const db = new Database(path);
  try {
    if (pageSize) db.exec(`PRAGMA page_size = ${pageSize}`);
    for (const sql of Object.values(RASDAEMON_SCHEMA)) db.exec(sql);
    db.exec('CREATE TABLE extlog_event (id INTEGER PRIMARY KEY, timestamp TEXT, etype INTEGER, error_count INTEGER, severity INTEGER, address INTEGER, fru_id BLOB, fru_text TEXT, cper_data BLOB)');
    const ins = db.prepare(`INSERT INTO mce_record (timestamp, mcgcap, mcgstatus, status, addr, misc, ip, tsc, walltime, cpu, cpuid, apicid, socketid, cs, bank, cpuvendor, bank_name, error_msg, mcgstatus_msg, mcistatus_msg, mcastatus_msg, user_action, mc_location)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, '', ?, '', '', '', '', '')`);
    const insEv = db.prepare('INSERT INTO mc_event (timestamp, err_count, err_type, err_msg, label, mc, top_layer, middle_layer, lower_layer, address, grain, syndrome, driver_detail) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 32, 0, ?)');
    db.exec('BEGIN');
    {
      for (const r of mces) {
        const wall = r.walltime ?? 1_795_375_938;
        ins.run([stamp(wall), signed(r.mcgcap ?? 0x100010an), signed(r.mcgstatus), signed(r.status), signed(r.addr), signed(r.misc), signed(r.ip), signed(r.tsc), wall, r.cpu ?? 0, r.cpuid ?? 0x50654, r.apicid ?? r.cpu ?? 0, r.socketid ?? 0, r.bank, r.cpuvendor ?? 0, r.error_msg ?? '']);
      }
      for (const e of events) insEv.run([e.timestamp, e.err_count, e.err_type, e.err_msg, e.label, e.mc, signed(e.address), e.driver_detail ?? '']);
    }
    db.exec('COMMIT');
    ins.finalize();
    insEv.finalize();
  } finally {
    db.close();
  }
}
