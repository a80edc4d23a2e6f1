// The late spans of a stream's segments (the kernel times of their first and last late line,
// in microseconds), found by overlap: two segments can share a line only where their spans
// overlap (build.ts overlapClusters), so a store read as a stream (join-stream.ts) keys a
// segment's lines only once another's span meets its own. Spans go in buckets of BUCKET_US;
// one over WIDE buckets (a console of hours) is looked at by every query.
const BUCKET_US = 1 << 20;
const WIDE = 64;

export class SpanIndex {
  private readonly buckets = new Map<number, number[]>();
  private readonly wide: number[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  /** The query a segment was last met in, so that one in several buckets is met once. */
  private readonly met: number[] = [];
  private query = 0;

  add(seg: number, a: number, b: number): void {
    this.from[seg] = a;
    this.to[seg] = b;
    this.met[seg] = 0;
    const first = Math.floor(a / BUCKET_US);
    const last = Math.floor(b / BUCKET_US);
    if (last - first > WIDE) return void this.wide.push(seg);
    for (let k = first; k <= last; k++) {
      const list = this.buckets.get(k);
      if (list) list.push(seg);
      else this.buckets.set(k, [seg]);
    }
  }

  /** Each segment whose span meets [a, b], once. */
  overlapping(a: number, b: number, visit: (seg: number) => void): void {
    const q = ++this.query;
    const meet = (seg: number) => {
      if (this.met[seg] === q || this.from[seg]! > b || this.to[seg]! < a) return;
      this.met[seg] = q;
      visit(seg);
    };
    for (const seg of this.wide) meet(seg);
    const first = Math.floor(a / BUCKET_US);
    const last = Math.floor(b / BUCKET_US);
    if (last - first > WIDE) {
      for (const list of this.buckets.values()) for (const seg of list) meet(seg);
      return;
    }
    for (let k = first; k <= last; k++) for (const seg of this.buckets.get(k) ?? []) meet(seg);
  }
}
