// mce_record rows -> MachineCheck, built for a million rows: the query names only the
// columns used, rasdaemon's own words (and ip/tsc) are fetched for uncorrected rows only,
// and repeated register values, times and words are shared, not copied per row.
import type { MachineCheck } from '../../src/model/index.js';
import { VENDORS } from '../../src/mce/struct.js';
import { parseRasTimestamp } from './time.js';
import { MCE_RECORD_OPTIONAL } from './layout.js';

/** MCi_STATUS.UC (bit 61) as SQLite sees the signed INTEGER. */
const UC_SQL = '(status & 2305843009213693952)';
const SEP = '\u001f';

/** Columns read, in order; the optional ones only when the table has them. */
export function mceQuery(columns: ReadonlySet<string>): { sql: string; optional: string[] } {
  const optional: string[] = MCE_RECORD_OPTIONAL.filter((c) => columns.has(c));
  // Small integers come back as REAL (a JS number): a BigInt per cell costs more than the query.
  const small = ['walltime', 'bank', 'cpu', 'socketid', 'apicid', 'cpuid', 'cpuvendor'].map((c) => `CAST(${c} AS REAL)`).join(', ');
  const sql = `SELECT CAST(id AS TEXT), status, mcgstatus, addr, misc, ${small},
    CASE WHEN ${UC_SQL} THEN ip END, CASE WHEN ${UC_SQL} THEN tsc END,
    CASE WHEN ${UC_SQL} THEN coalesce(error_msg, '') || char(31) || coalesce(mcistatus_msg, '') || char(31) || coalesce(user_action, '') || char(31) || coalesce(mc_location, '') END,
    CASE WHEN walltime > 0 THEN NULL ELSE timestamp END${optional.map((c) => `, ${c}`).join('')}
    FROM mce_record ORDER BY id`;
  return { sql, optional };
}

/** Values seen often (a status, a MISC, a time) are one shared object; the cache stays small. */
class Interner<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(key: K, make: () => V): V {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make();
      if (this.map.size < this.max) this.map.set(key, v);
    }
    return v;
  }
}

const INTERN_MAX = 4096;

export class MceRowReader {
  private readonly regs = new Interner<bigint, bigint>(INTERN_MAX);
  private readonly times = new Interner<number, Date>(INTERN_MAX);
  private readonly notes = new Interner<string, string>(INTERN_MAX);
  private readonly sources = new Map<string, string>();
  constructor(private readonly path: string, private readonly optional: string[]) {}

  private u64(v: unknown): bigint | undefined {
    if (typeof v !== 'bigint') return typeof v === 'number' && Number.isInteger(v) ? this.u64(BigInt(v)) : undefined;
    const u = v < 0n ? BigInt.asUintN(64, v) : v;
    return this.regs.get(u, () => u);
  }

  private static int(v: unknown): number | undefined {
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : undefined;
    return typeof v === 'bigint' && v >= 0n && v <= 0xffffffffn ? Number(v) : undefined;
  }

  /** A raw row of mceQuery(), or undefined when it has no bank or status. */
  read(row: unknown[]): MachineCheck | undefined {
    const [id, status, mcg, addr, misc, wall, bank, cpu, socket, apic, cpuid, vendor, ip, tsc, words, stamp, ...opt] = row;
    const s = this.u64(status);
    const b = MceRowReader.int(bank);
    if (s === undefined || b === undefined || b > 0xff) return undefined;
    const mc: MachineCheck = { kind: 'mce', bank: b, status: s, source: { backend: 'rasdaemon', path: this.path, id: `mce_record#${id as string}` } };
    const m = this.u64(mcg); if (m !== undefined) mc.mcgStatus = m;
    const a = this.u64(addr); if (a !== undefined) mc.addr = a;
    const x = this.u64(misc); if (x !== undefined) mc.misc = x;
    const c = MceRowReader.int(cpu); if (c !== undefined) mc.cpu = c;
    const so = MceRowReader.int(socket); if (so !== undefined) mc.socket = so;
    const ap = MceRowReader.int(apic); if (ap !== undefined) mc.apicId = ap;
    const cid = MceRowReader.int(cpuid); if (cid !== undefined) mc.cpuid = cid;
    const v = MceRowReader.int(vendor); if (v !== undefined && VENDORS[v]) mc.cpuVendor = VENDORS[v];
    const i = this.u64(ip); if (i) mc.ip = i;
    const t = this.u64(tsc); if (t) mc.tsc = t;
    const w = MceRowReader.int(wall);
    if (w !== undefined && w > 0) mc.time = this.times.get(w, () => new Date(w * 1000));
    else { const d = parseRasTimestamp(stamp); if (d) mc.time = d; }
    if (typeof words === 'string') {
      const said = words.split(SEP).filter((p) => p.length > 0);
      if (said.length) mc.note = this.notes.get(words, () => `rasdaemon: ${said.join('; ')}`);
    }
    this.optional.forEach((name, k) => {
      if (name === 'microcode') { const u = MceRowReader.int(opt[k]); if (u !== undefined) mc.microcode = u; return; }
      const r = this.u64(opt[k]);
      if (r) mc[name as 'synd' | 'ipid'] = r;
    });
    return mc;
  }
}
