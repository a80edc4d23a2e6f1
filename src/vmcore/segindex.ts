// Finding the PT_LOAD that holds an address among very many: QEMU's paging ELF of an x86_64
// guest has ~65,700 program headers (one physical page mapped again and again in the
// ESPFIX area). Extents are kept as 32-bit halves in typed arrays (no BigInt and no object
// per segment: 65,700 of each cost seconds of sorting and GC), sorted by start with the
// running maximum of their ends, so "which holds a" and "where does the next one start"
// are answered by bisection.

import { sortByKey } from './sortkeys.js';

/** 64-bit extents [start, end) of segments 0..n-1, as high and low 32-bit halves. */
export interface Extents { startHi: Uint32Array; startLo: Uint32Array; endHi: Uint32Array; endLo: Uint32Array }

const TWO32 = 2 ** 32;
const hi = (a: bigint): number => Number(a >> 32n);
const lo = (a: bigint): number => Number(a & 0xffffffffn);
/** (h1:l1) < (h2:l2) */
const lt = (h1: number, l1: number, h2: number, l2: number): boolean => h1 < h2 || (h1 === h2 && l1 < l2);

export const range = (n: number): Uint32Array => {
  const r = new Uint32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
};

export function extentsOf(n: number): Extents {
  return { startHi: new Uint32Array(n), startLo: new Uint32Array(n), endHi: new Uint32Array(n), endLo: new Uint32Array(n) };
}

export class SegmentIndex {
  /** Segment ids by start (input order among equal starts); identical extents once. */
  private readonly ids: Uint32Array;
  private readonly sHi: Uint32Array;
  private readonly sLo: Uint32Array;
  private readonly eHi: Uint32Array;
  private readonly eLo: Uint32Array;
  /** The furthest end of the first i+1 sorted segments. */
  private readonly mHi: Uint32Array;
  private readonly mLo: Uint32Array;

  /**
   * Segments `only` (all when absent) of `x`; empty extents are dropped. The loops run once,
   * mostly before V8 optimises them: columns are held in locals and comparisons written out.
   */
  constructor(x: Extents, only?: Uint32Array) {
    const { startHi: SH, startLo: SL, endHi: EH, endLo: EL } = x;
    const cand = only ?? range(SH.length);
    let ids: Uint32Array = new Uint32Array(cand.length);
    let m = 0;
    let sorted = true;
    for (let k = 0, ph = 0, pl = 0; k < cand.length; k++) {
      const i = cand[k]!;
      const sh = SH[i]!, sl = SL[i]!, eh = EH[i]!, el = EL[i]!;
      if (!(sh < eh || (sh === eh && sl < el))) continue; // empty
      if (m && (sh < ph || (sh === ph && sl < pl))) sorted = false;
      ph = sh; pl = sl;
      ids[m++] = i;
    }
    ids = ids.subarray(0, m);
    if (!sorted) ids = sortByKey(ids, SH, SL);
    // The same extent again (QEMU maps the ESPFIX page ~65,000 times) answers nothing new, and
    // would make every look-up past it walk back over all of them: keep the first.
    const keep = new Uint32Array(m);
    let n = 0;
    for (let k = 0, b = -1; k < m; k++) {
      const a = ids[k]!;
      if (b >= 0 && SH[a] === SH[b] && SL[a] === SL[b] && EH[a] === EH[b] && EL[a] === EL[b]) continue;
      keep[n++] = b = a;
    }
    this.ids = keep.slice(0, n);
    this.sHi = new Uint32Array(n); this.sLo = new Uint32Array(n); this.eHi = new Uint32Array(n); this.eLo = new Uint32Array(n);
    this.mHi = new Uint32Array(n); this.mLo = new Uint32Array(n);
    let mh = 0, ml = 0;
    for (let k = 0; k < n; k++) {
      const id = this.ids[k]!;
      this.sHi[k] = SH[id]!; this.sLo[k] = SL[id]!; this.eHi[k] = EH[id]!; this.eLo[k] = EL[id]!;
      if (k === 0 || lt(mh, ml, this.eHi[k]!, this.eLo[k]!)) { mh = this.eHi[k]!; ml = this.eLo[k]!; }
      this.mHi[k] = mh; this.mLo[k] = ml;
    }
  }

  /** An index over plain items, for callers with few segments (and tests). */
  static of<T>(items: readonly T[], extent: (s: T) => { start: bigint; end: bigint }): { index: SegmentIndex; find(a: bigint): T | undefined } {
    const x = extentsOf(items.length);
    items.forEach((s, i) => {
      const e = extent(s);
      x.startHi[i] = hi(e.start); x.startLo[i] = lo(e.start); x.endHi[i] = hi(e.end); x.endLo[i] = lo(e.end);
    });
    const index = new SegmentIndex(x);
    return { index, find: (a) => { const i = index.find(a); return i < 0 ? undefined : items[i]; } };
  }

  get size(): number {
    return this.ids.length;
  }

  /** Sorted position of the last segment starting at or before (ah:al), or -1. */
  private lastStartingBy(ah: number, al: number): number {
    let a = 0;
    let b = this.ids.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (!lt(ah, al, this.sHi[mid]!, this.sLo[mid]!)) a = mid + 1;
      else b = mid;
    }
    return a - 1;
  }

  /** Id of a segment holding `addr` (the latest-starting one), or -1. */
  find(addr: bigint): number {
    if (addr < 0n || addr >= 1n << 64n) return -1;
    const ah = hi(addr), al = lo(addr);
    for (let k = this.lastStartingBy(ah, al); k >= 0 && lt(ah, al, this.mHi[k]!, this.mLo[k]!); k--) {
      if (lt(ah, al, this.eHi[k]!, this.eLo[k]!)) return this.ids[k]!;
    }
    return -1;
  }

  /** Start of the first segment that starts after `addr`, or undefined. */
  nextStart(addr: bigint): bigint | undefined {
    if (addr < 0n) return this.size ? this.startAt(0) : undefined;
    const k = this.lastStartingBy(hi(addr), lo(addr)) + 1;
    return k < this.ids.length ? this.startAt(k) : undefined;
  }

  private startAt(k: number): bigint {
    return (BigInt(this.sHi[k]!) << 32n) | BigInt(this.sLo[k]!);
  }
}
