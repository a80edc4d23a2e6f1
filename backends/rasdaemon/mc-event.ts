// mc_event rows -> MemoryError. rasdaemon stores the kernel's mc_event tracepoint
// (include/trace/events/ras.h: mc_index, top/middle/lower_layer as u8) with the layers cast
// to signed char (ras-mc-handler.c), so an unused layer reads -1 (255 from a writer that kept
// the u8). The layer names are not stored; EDAC's order is outermost first (edac_mc.c:
// mci->layers[0..2]).
// A million corrected rows are grouped as mce_record's are (scan.ts): rows of one error
// message, label, memory controller, layers and address within one clock hour are one
// record whose count is the sum of their err_count. The driver's detail is not part of the
// key: ghes_edac writes the row, column and bit of each error there (ghes_edac.c
// other_detail), and errors at one address are on one DIMM; the group keeps its first row's.
import type { MemoryError, MemoryLocation } from '../../src/model/index.js';
import { parseRasTimestamp } from './time.js';
import { type ScanRow, INTEGER, MAX_TEXTS, NULL, TEXT } from './scan-row.js';
import { type GroupFacts, type TablePlan, GROUP_SPAN_S } from './scan.js';

const LAYERS = ['top_layer', 'middle_layer', 'lower_layer'] as const;
/** EDAC_MAX_LAYERS positions are small; -1 and 255 mean "layer not used". */
const UNUSED = new Set([-1, 255]);

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

type Row = Record<string, unknown>;

export function mcEventWhere(row: Row): MemoryLocation | undefined {
  const where: MemoryLocation = {};
  const mc = num(row.mc);
  if (mc !== undefined && mc >= 0) where.mc = mc;
  const layers: NonNullable<MemoryLocation['layers']> = [];
  for (const l of LAYERS) {
    const pos = num(row[l]);
    if (pos === undefined || UNUSED.has(pos) || pos < 0) break;
    layers.push({ pos });
  }
  if (layers.length) where.layers = layers;
  return Object.keys(where).length ? where : undefined;
}

const u64 = (v: unknown): bigint | undefined => (typeof v === 'bigint' ? BigInt.asUintN(64, v) : typeof v === 'number' && Number.isInteger(v) ? BigInt.asUintN(64, BigInt(v)) : undefined);
const int = (v: unknown): number | undefined => {
  const b = u64(v);
  return b === undefined || b > 0xffffffffn ? undefined : Number(b);
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

const ERR_TYPES: Record<string, MemoryError['severity']> = { corrected: 'corrected', uncorrected: 'uncorrected', fatal: 'fatal', info: 'info', deferred: 'uncorrected' };

export function memErrOf(r: Row, path: string): MemoryError {
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
  e.detail = [str(r.err_msg), str(r.driver_detail), `layers ${String(r.top_layer)}:${String(r.middle_layer)}:${String(r.lower_layer)}`].filter(Boolean).join('; ');
  const t = parseRasTimestamp(r.timestamp);
  if (t) e.time = t;
  return e;
}

const COLUMNS = ['id', 'timestamp', 'err_count', 'err_type', 'driver_detail', 'err_msg', 'label', 'mc', ...LAYERS, 'address'] as const;
const ID = 0, STAMP = 1, COUNT = 2, TYPE = 3, DETAIL = 4, MSG = 5, LABEL = 6, MC = 7, ADDRESS = 11;
/** A NULL text in a key (-1 is a text past the interning limit). */
const NO_TEXT = -2;
/** Key columns: the texts (a number each), then the address (two words), mc and the layers (one each). */
const KEY_TEXTS = [MSG, LABEL], KEY_INTS = Int32Array.from([ADDRESS, MC, MC + 1, MC + 2, MC + 3]);

/** What a group keeps of its first row: its id, the driver's detail, its own err_count. */
interface First { id: unknown; detail: unknown; count: number | undefined }

export class McEventPlan implements TablePlan<MemoryError, First> {
  readonly table = 'mc_event';
  readonly columns = COLUMNS;
  readonly keyWidth = KEY_TEXTS.length + KEY_INTS.length + 1 + 2;
  readonly coarseWidth = 6;
  readonly coarseBy = 'label, memory controller, layers and hour (address and message not kept)';
  /** Per text number: 1 when it is a corrected error type, 2 when not, 0 not known yet. */
  private readonly corrected = new Uint8Array(MAX_TEXTS);

  constructor(private readonly path: string, private readonly maxGroups: number) {}

  private isCorrected(row: ScanRow): boolean {
    if (row.kind(TYPE) !== TEXT) return false;
    const id = row.textId(TYPE);
    if (id < 0) return ERR_TYPES[String(row.value(TYPE)).toLowerCase()] === 'corrected';
    if (!this.corrected[id]) this.corrected[id] = ERR_TYPES[row.textOf(id).toLowerCase()] === 'corrected' ? 1 : 2;
    return this.corrected[id] === 1;
  }

  groupKey(row: ScanRow, key: Int32Array): number {
    if (!this.isCorrected(row)) return NaN;
    const t = row.stampSeconds(STAMP);
    if (Number.isNaN(t) || (row.kind(COUNT) !== INTEGER && row.kind(COUNT) !== NULL)) return NaN;
    let w = 0;
    for (const k of KEY_TEXTS) {
      const kind = row.kind(k);
      if (kind !== TEXT && kind !== NULL) return NaN;
      const id = kind === TEXT ? row.textId(k) : NO_TEXT;
      if (id === -1) return NaN;
      key[w++] = id;
    }
    const nulls = row.keyInts(KEY_INTS, 1, key, w);
    if (nulls < 0) return NaN;
    key[this.keyWidth - 2] = nulls;
    key[this.keyWidth - 1] = Math.floor(t / GROUP_SPAN_S);
    return t;
  }

  coarseKey(row: ScanRow, key: Int32Array, time: number): void {
    key[0] = row.kind(LABEL) === TEXT ? row.textId(LABEL) : NO_TEXT;
    for (let i = 0; i < 4; i++) key[1 + i] = row.kind(MC + i) === INTEGER ? row.lo(MC + i) : -1;
    key[5] = Math.floor(time / GROUP_SPAN_S);
  }

  weight(row: ScanRow): number {
    return row.kind(COUNT) === INTEGER ? (int(row.value(COUNT)) ?? 1) : 1;
  }

  first(row: ScanRow): First {
    return { id: row.value(ID), detail: row.value(DETAIL), count: int(row.value(COUNT)) };
  }

  /** A text seen before is the same string (a label, a message), not one per record. */
  record(row: ScanRow): MemoryError {
    const r: Row = {};
    COLUMNS.forEach((c, k) => {
      const id = row.kind(k) === TEXT ? row.textId(k) : -1;
      r[c] = id >= 0 && k !== DETAIL ? row.textOf(id) : row.value(k);
    });
    return memErrOf(r, this.path);
  }

  grouped(key: Int32Array, f: First, g: GroupFacts, texts: ScanRow): MemoryError {
    const text = (id: number) => (id >= 0 ? texts.textOf(id) : null);
    const r: Row = { id: f.id, err_type: 'corrected', err_count: g.rows > 1 ? g.weight : f.count, driver_detail: f.detail };
    if (g.coarse) {
      r.label = text(key[0]!);
      LAYERS.forEach((l, i) => { r[l] = key[2 + i]; });
      r.mc = key[1];
    } else {
      const nulls = key[this.keyWidth - 2]!, ints = KEY_TEXTS.length;
      r.err_msg = text(key[0]!);
      r.label = text(key[1]!);
      r.address = nulls & 1 ? null : BigInt.asIntN(64, (BigInt(key[ints]!) << 32n) | BigInt(key[ints + 1]! >>> 0));
      ['mc', ...LAYERS].forEach((c, i) => { r[c] = nulls & (2 << i) ? null : key[ints + 2 + i]; });
    }
    const e = memErrOf(r, this.path);
    e.time = new Date(g.first * 1000);
    if (g.rows > 1) e.lastTime = new Date(g.last * 1000);
    if (g.coarse) e.detail = `${g.weight} corrected errors on this memory controller and layers, not told apart by address or message: the database has more than ${this.maxGroups} groups`;
    return e;
  }
}
