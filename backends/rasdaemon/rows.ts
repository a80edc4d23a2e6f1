// mce_record rows -> MachineCheck, built for a million rows. Uncorrected rows (UC or PCC
// set), rows without a wall time and damaged rows are read one by one, with rasdaemon's
// own words; corrected rows with identical registers on the same CPU within the same
// clock hour are one record with a count,
// first and last time, grouped by SQLite (the decode of identical registers is identical,
// and a million corrected errors need not be a million objects). Repeated register
// values, times and words are shared, not copied per row.
import type { MachineCheck } from '../../src/model/index.js';
import { VENDORS } from '../../src/mce/struct.js';
import { parseRasTimestamp } from './time.js';
import { MCE_RECORD_OPTIONAL } from './layout.js';

/** MCi_STATUS.UC (bit 61) | MCi_STATUS.PCC (bit 57), as SQLite sees the signed INTEGER. */
const UC_PCC = '2449958197289549824';
/** Rows read as a group: well-formed, neither UC nor PCC, with the kernel's wall time. */
const GROUPED = `typeof(status) = 'integer' AND typeof(bank) = 'integer' AND (status & ${UC_PCC}) = 0 AND walltime > 0`;
/** Groups are cut at multiples of this many seconds of wall time: a group that straddles
 * a reboot (counted whole, placed by its first row) is limited to one such span. */
export const GROUP_SPAN_S = 3600;
const SEP = '\u001f';
/** Small integers come back as REAL (a JS number): a BigInt per cell costs more than the query. */
const SMALL = ['bank', 'cpu', 'socketid', 'apicid', 'cpuid', 'cpuvendor'];
const REGS = ['status', 'mcgstatus', 'addr', 'misc'];

/** Every column the queries read (each must be an ordinary column of the table). */
export const MCE_RECORD_COLUMNS = ['id', 'timestamp', ...REGS, 'walltime', ...SMALL, 'ip', 'tsc', 'error_msg', 'mcistatus_msg', 'user_action', 'mc_location'];

/** The query for rows one by one (`rows`, in id order) or corrected groups (`groups`, in
 * SQLite's grouping order: sorting a hundred thousand groups by id costs a tenth of the
 * read, and every consumer orders by time); both have the same leading columns, and
 * result columns have distinct names (rows come back by name). */
export function mceQuery(columns: ReadonlySet<string>, what: 'rows' | 'groups'): { sql: string; optional: string[] } {
  const optional: string[] = MCE_RECORD_OPTIONAL.filter((c) => columns.has(c));
  const small = SMALL.map((c) => `CAST(${c} AS REAL)`).join(', ');
  const opt = optional.map((c) => `, ${c}`).join('');
  if (what === 'rows') {
    return {
      optional,
      sql: `SELECT CAST(id AS TEXT), ${REGS.join(', ')}, CAST(walltime AS REAL), ${small},
        ip, tsc,
        coalesce(error_msg, '') || char(31) || coalesce(mcistatus_msg, '') || char(31) || coalesce(user_action, '') || char(31) || coalesce(mc_location, ''),
        CASE WHEN walltime > 0 THEN NULL ELSE timestamp END${opt}
        FROM mce_record WHERE NOT coalesce(${GROUPED}, 0) ORDER BY id`,
    };
  }
  return {
    optional,
    sql: `SELECT CAST(min(id) AS TEXT), ${REGS.join(', ')}, min(walltime), ${small},
      NULL AS ip, NULL AS tsc, NULL AS words, NULL AS stamp${opt}, count(*), max(walltime)
      FROM mce_record WHERE ${GROUPED}
      GROUP BY ${[...REGS, ...SMALL, ...optional].join(', ')}, walltime / ${GROUP_SPAN_S}`,
  };
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

  private time(wall: unknown, stamp: unknown): Date | undefined {
    const w = MceRowReader.int(wall);
    return w !== undefined && w > 0 ? this.times.get(w, () => new Date(w * 1000)) : parseRasTimestamp(stamp);
  }

  /** A raw row of mceQuery(), or undefined when it has no bank or status. */
  read(row: unknown[]): MachineCheck | undefined {
    const [id, status, mcg, addr, misc, wall, bank, cpu, socket, apic, cpuid, vendor, ip, tsc, words, stamp, ...rest] = row;
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
    const when = this.time(wall, stamp); if (when) mc.time = when;
    if (typeof words === 'string') {
      const said = words.split(SEP).filter((p) => p.length > 0);
      if (said.length) mc.note = this.notes.get(words, () => `rasdaemon: ${said.join('; ')}`);
    }
    this.optional.forEach((name, k) => {
      if (name === 'microcode') { const u = MceRowReader.int(rest[k]); if (u !== undefined) mc.microcode = u; return; }
      const r = this.u64(rest[k]);
      if (r) mc[name === 'mcgcap' ? 'mcgCap' : (name as 'synd' | 'ipid')] = r;
    });
    return mc;
  }

  /** A raw row of mceQuery(..., 'groups'): one record for `count` identical corrected rows. */
  readGroup(row: unknown[]): MachineCheck | undefined {
    const mc = this.read(row);
    const [count, lastWall] = row.slice(16 + this.optional.length);
    const n = MceRowReader.int(count);
    if (!mc || n === undefined || n <= 1) return mc;
    mc.count = n;
    const last = this.time(lastWall, undefined);
    if (last) mc.lastTime = last;
    mc.note = `rasdaemon: ${n} corrected errors with these registers on this CPU (rows from ${mc.source.id!}, ${mc.time?.toISOString() ?? '?'} to ${last?.toISOString() ?? '?'})`;
    return mc;
  }
}
