// Finding the PT_LOAD that holds an address among very many: QEMU's paging ELF of an x86_64
// guest has ~65,700 program headers (one physical page mapped again and again in the
// ESPFIX area), and a linear scan per byte of an uncovered page never ended. Segments
// sorted by start, with the running maximum of their ends, answer "which holds a" and
// "where does the next one start" by bisection.
export interface Extent { start: bigint; end: bigint }

export class SegmentIndex<T> {
  private readonly segs: { start: bigint; end: bigint; seg: T }[];
  /** maxEnd[i]: the furthest end of segs[0..i]. */
  private readonly maxEnd: bigint[];

  constructor(items: readonly T[], extent: (s: T) => Extent) {
    const sorted = items.map((seg) => ({ ...extent(seg), seg })).filter((x) => x.end > x.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    // The same extent again (QEMU maps the ESPFIX page ~65,000 times) answers nothing new, and
    // would make every look-up past it walk back over all of them: keep the first.
    this.segs = sorted.filter((x, i) => i === 0 || x.start !== sorted[i - 1]!.start || x.end !== sorted[i - 1]!.end);
    this.maxEnd = [];
    let m = -1n;
    for (const s of this.segs) { if (s.end > m) m = s.end; this.maxEnd.push(m); }
  }

  get size(): number {
    return this.segs.length;
  }

  /** Index of the last segment starting at or before `a`, or -1. */
  private lastStartingBy(a: bigint): number {
    let lo = 0;
    let hi = this.segs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.segs[mid]!.start <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  /** A segment holding `a` (the latest-starting one), or undefined. */
  find(a: bigint): T | undefined {
    for (let i = this.lastStartingBy(a); i >= 0 && this.maxEnd[i]! > a; i--) {
      const s = this.segs[i]!;
      if (a < s.end) return s.seg;
    }
    return undefined;
  }

  /** Start of the first segment that starts after `a`, or undefined. */
  nextStart(a: bigint): bigint | undefined {
    return this.segs[this.lastStartingBy(a) + 1]?.start;
  }
}
