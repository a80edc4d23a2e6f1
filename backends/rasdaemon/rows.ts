// mce_record rows -> MachineCheck, built for a million rows (scan.ts holds groups, never
// rows). Uncorrected rows (UC or PCC set), rows without a wall time and rows that cannot be
// grouped are read one by one, with rasdaemon's own words; corrected rows with identical
// registers on the same CPU within the same clock hour (a longer span when the groups are too
// many: scan.ts) are one record with a count, first and last time (the decode of identical registers is identical, and a million corrected
// errors need not be a million objects). Repeated register values, times and words are
// shared, not copied per row.
import type { MachineCheck } from '../../src/model/index.js';
import { VENDORS } from '../../src/mce/struct.js';
import { parseRasTimestamp } from './time.js';
import { MCE_RECORD_OPTIONAL } from './layout.js';
import { type ScanRow, INTEGER, REAL } from './scan-row.js';
import { type GroupFacts, type TablePlan, GROUP_SPAN_S } from './scan.js';

export { GROUP_SPAN_S } from './scan.js';
/** MCi_STATUS.UC (bit 61) and MCi_STATUS.PCC (bit 57), in the status's high 32 bits. */
const UC_PCC_HIGH = (1 << 29) | (1 << 25);
const SEP = '\u001f';

const REGS = ['status', 'mcgstatus', 'addr', 'misc'];
const SMALL = ['bank', 'cpu', 'socketid', 'apicid', 'cpuid', 'cpuvendor'];
/** Read for a row alone; the key columns come after them. */
const ALONE = ['id', 'walltime', 'timestamp', 'ip', 'tsc', 'error_msg', 'mcistatus_msg', 'user_action', 'mc_location'];
const ID = 0, WALL = 1, STAMP = 2, IP = 3, TSC = 4, WORDS = 5, KEY = ALONE.length;
const STATUS = KEY, BANK = KEY + REGS.length;

/** Every column the plan reads (each must be an ordinary column of the table). */
export const MCE_RECORD_COLUMNS = [...ALONE, ...REGS, ...SMALL];

/** Values seen often (a time, rasdaemon's words) are one shared object; the cache stays small. */
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

/** Register values (a status, an address, a MISC) by their two halves: one bigint each, made once. */
class Registers {
  private readonly byHigh = new Map<number, Map<number, bigint>>();
  private size = 0;
  constructor(private readonly max: number) {}
  get(hi: number, lo: number): bigint {
    let lows = this.byHigh.get(hi);
    let v = lows?.get(lo);
    if (v !== undefined) return v;
    v = BigInt.asUintN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
    if (this.size < this.max) {
      if (!lows) this.byHigh.set(hi, (lows = new Map()));
      lows.set(lo, v);
      this.size++;
    }
    return v;
  }
}

const INTERN_MAX = 4096;
/** A million rows over 4096 pages hold 4096 addresses; more distinct values are made per record. */
const REGISTERS_MAX = 65_536;

const asText = (v: unknown): string => (v === null || v === undefined ? '' : v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v));

export class MceRowPlan implements TablePlan<MachineCheck, unknown> {
  readonly table = 'mce_record';
  readonly columns: string[];
  readonly keyWidth: number;
  readonly coarseWidth: number;
  readonly coarseBy = 'bank, status and hour (address, CPU and the other registers not kept)';
  private readonly optional: string[];
  private readonly regs = new Registers(REGISTERS_MAX);
  private readonly times = new Interner<number, Date>(INTERN_MAX);
  private readonly notes = new Interner<string, string>(INTERN_MAX);
  /** Key columns: the 64-bit registers (two words each), then the small integers (one). */
  private readonly keyCols: Int32Array;
  private readonly wide: number;
  private readonly coarseCols: Int32Array;
  private readonly coarseWide: number;
  /** Each key column's place in a key, by name. */
  private readonly keyAt: Map<string, number>;
  private readonly coarseAt: Map<string, number>;

  constructor(private readonly path: string, columns: ReadonlySet<string>, private readonly maxGroups: number) {
    this.optional = MCE_RECORD_OPTIONAL.filter((c) => columns.has(c));
    this.columns = [...MCE_RECORD_COLUMNS, ...this.optional];
    const at = (c: string) => this.columns.indexOf(c);
    const wide = [...REGS, ...this.optional.filter((c) => c !== 'microcode')];
    const narrow = [...SMALL, ...this.optional.filter((c) => c === 'microcode')];
    this.keyCols = Int32Array.from([...wide, ...narrow].map(at));
    this.wide = wide.length;
    // Then which of them are NULL, then the span.
    this.keyWidth = 2 * wide.length + narrow.length + 2;
    // A coarse group keeps what grades and decodes the status.
    const coarseWide = ['status', 'mcgstatus', ...this.optional.filter((c) => c === 'mcgcap')];
    this.coarseCols = Int32Array.from([...coarseWide, 'bank', 'cpuvendor'].map(at));
    this.coarseWide = coarseWide.length;
    this.coarseWidth = 2 * coarseWide.length + 2 + 2;
    this.keyAt = new Map([...wide, ...narrow].map((c, i) => [c, i]));
    this.coarseAt = new Map([...coarseWide, 'bank', 'cpuvendor'].map((c, i) => [c, i]));
  }

  groupKey(row: ScanRow, key: Int32Array): number {
    const nulls = row.keyInts(this.keyCols, this.wide, key, 0);
    // Status (the first key column) and a bank (the first small one) of 0..255, no UC or PCC.
    const bank = key[2 * this.wide]!;
    if (nulls < 0 || nulls & 1 || nulls & (1 << this.wide) || bank < 0 || bank > 0xff || key[0]! & UC_PCC_HIGH) return NaN;
    if (row.kind(WALL) !== INTEGER || row.hi(WALL) !== 0 || row.kind(ID) !== INTEGER) return NaN;
    const wall = row.lo(WALL) >>> 0;
    if (wall === 0) return NaN;
    key[this.keyWidth - 2] = nulls;
    key[this.keyWidth - 1] = Math.floor(wall / GROUP_SPAN_S);
    return wall;
  }

  coarseKey(row: ScanRow, key: Int32Array, time: number): void {
    key[this.coarseWidth - 2] = row.keyInts(this.coarseCols, this.coarseWide, key, 0);
    key[this.coarseWidth - 1] = Math.floor(time / GROUP_SPAN_S);
  }

  weight(): number {
    return 1;
  }

  /** A group keeps its first row's id. */
  first(row: ScanRow): unknown {
    return row.value(ID);
  }

  /** An INTEGER column as an unsigned 64-bit register, else undefined. */
  private u64(row: ScanRow, k: number): bigint | undefined {
    const kind = row.kind(k);
    if (kind === INTEGER) return this.regs.get(row.hi(k), row.lo(k));
    const v = kind === REAL ? row.value(k) : undefined;
    return typeof v === 'number' && Number.isSafeInteger(v) ? BigInt.asUintN(64, BigInt(v)) : undefined;
  }

  private static int(v: unknown): number | undefined {
    if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? v : undefined;
    return typeof v === 'bigint' && v >= 0n && v <= 0xffffffffn ? Number(v) : undefined;
  }

  private at(seconds: number): Date {
    return this.times.get(seconds, () => new Date(seconds * 1000));
  }

  /** Fields by column name, as both a row and a group's key give them. */
  private fill(mc: MachineCheck, reg: (c: string) => bigint | undefined, int: (c: string) => number | undefined): void {
    const m = reg('mcgstatus'); if (m !== undefined) mc.mcgStatus = m;
    const v = int('cpuvendor'); if (v !== undefined && VENDORS[v]) mc.cpuVendor = VENDORS[v];
    for (const name of this.optional) {
      if (name === 'microcode') { const u = int(name); if (u !== undefined) mc.microcode = u; continue; }
      const r = reg(name);
      if (r) mc[name === 'mcgcap' ? 'mcgCap' : (name as 'synd' | 'ipid')] = r;
    }
    const a = reg('addr'); if (a !== undefined) mc.addr = a;
    const x = reg('misc'); if (x !== undefined) mc.misc = x;
    const c = int('cpu'); if (c !== undefined) mc.cpu = c;
    const so = int('socketid'); if (so !== undefined) mc.socket = so;
    const ap = int('apicid'); if (ap !== undefined) mc.apicId = ap;
    const cid = int('cpuid'); if (cid !== undefined) mc.cpuid = cid;
  }

  /** A row read alone: every register, rasdaemon's words. */
  record(row: ScanRow): MachineCheck | string {
    const id = String(row.value(ID));
    const s = this.u64(row, STATUS);
    const b = MceRowPlan.int(row.value(BANK));
    if (s === undefined || b === undefined || b > 0xff) return `mce_record row ${id}: no bank or status`;
    const mc: MachineCheck = { kind: 'mce', bank: b, status: s, source: { backend: 'rasdaemon', path: this.path, id: `mce_record#${id}` } };
    const wall = MceRowPlan.int(row.value(WALL));
    const when = wall !== undefined && wall > 0 ? this.at(wall) : parseRasTimestamp(row.value(STAMP));
    if (when) mc.time = when;
    this.fill(mc, (c) => this.u64(row, this.columns.indexOf(c)), (c) => MceRowPlan.int(row.value(this.columns.indexOf(c))));
    const i = this.u64(row, IP); if (i) mc.ip = i;
    const t = this.u64(row, TSC); if (t) mc.tsc = t;
    const said = [0, 1, 2, 3].map((j) => asText(row.value(WORDS + j)));
    if (said.some((p) => p.length > 0)) mc.note = this.notes.get(said.join(SEP), () => `rasdaemon: ${said.filter((p) => p.length > 0).join('; ')}`);
    return mc;
  }

  /** A group from its key: the registers its rows share (not ip, tsc or rasdaemon's words,
   * which differ between them); a coarse group's only what grades its status. Its count and
   * first and last time say the rest (a note per group cost 40 MB a million rows). */
  grouped(key: Int32Array, id: unknown, g: GroupFacts): MachineCheck {
    const [at, wide] = g.coarse ? [this.coarseAt, this.coarseWide] : [this.keyAt, this.wide];
    const nulls = key[key.length - 2]!;
    const place = (c: string): number => {
      const i = at.get(c);
      return i === undefined || nulls & (1 << i) ? -1 : i;
    };
    const reg = (c: string): bigint | undefined => {
      const i = place(c);
      return i >= 0 && i < wide ? this.regs.get(key[2 * i]!, key[2 * i + 1]!) : undefined;
    };
    const int = (c: string): number | undefined => {
      const i = place(c);
      const v = i >= wide ? key[2 * wide + i - wide]! : -1;
      return v >= 0 ? v : undefined;
    };
    const mc: MachineCheck = { kind: 'mce', bank: int('bank')!, status: reg('status')!, source: { backend: 'rasdaemon', path: this.path, id: `mce_record#${String(id)}` } };
    mc.time = this.at(g.first);
    this.fill(mc, reg, int);
    if (g.weight > 1) { mc.count = g.weight; mc.lastTime = this.at(g.last); }
    if (g.coarse) mc.note = `rasdaemon: corrected errors with this status on bank ${mc.bank}, not told apart by address or CPU: the database has more than ${this.maxGroups} register sets`;
    return mc;
  }
}
