// The late lines segments own (build.ts joinSegments: a line's key is its time to the
// microsecond and its text, owned by the first segment to hold it), by time and a hash of the
// text, in typed arrays (a hash of chains over an append-only arena): a store of thousands of
// dumps read as a stream (join-stream.ts) looks each line up by two numbers, and builds no
// key string. A judged segment's lines keep their time, hash and segment, not their text.
const NONE = -1;
/** Entries made room for at first (grown four times over when full). */
const INITIAL = 1 << 14;

export class LineTable {
  private heads = new Int32Array(INITIAL).fill(NONE);
  private times = new Float64Array(INITIAL);
  private hashes = new Int32Array(INITIAL);
  private segs = new Int32Array(INITIAL);
  private next = new Int32Array(INITIAL);
  /** The line's text while its segment is open; undefined once judged. */
  private readonly texts: (string | undefined)[] = [];
  /** Entries made. */
  size = 0;

  /** The first entry at time `us` whose text hashes to `h` (then `after(e)` for the next), NONE when there is none. */
  first(us: number, h: number): number {
    let e = this.heads[this.bucket(us, h)]!;
    while (e !== NONE && (this.times[e] !== us || this.hashes[e] !== h)) e = this.next[e]!;
    return e;
  }

  after(e: number): number {
    const us = this.times[e];
    const h = this.hashes[e];
    for (e = this.next[e]!; e !== NONE; e = this.next[e]!) if (this.times[e] === us && this.hashes[e] === h) return e;
    return NONE;
  }

  seg(e: number): number {
    return this.segs[e]!;
  }

  text(e: number): string | undefined {
    return this.texts[e];
  }

  add(us: number, h: number, seg: number, text: string): void {
    if (this.size === this.segs.length) this.grow();
    const e = this.size++;
    this.times[e] = us;
    this.hashes[e] = h;
    this.segs[e] = seg;
    this.texts[e] = text;
    const b = this.bucket(us, h);
    this.next[e] = this.heads[b]!;
    this.heads[b] = e;
  }

  /** Entries from `from` to `to` (a judged segment's) keep their time only. */
  forget(from: number, to: number): void {
    for (let e = from; e < to; e++) this.texts[e] = undefined;
  }

  private bucket(us: number, text: number): number {
    const lo = us % 0x1_0000_0000;
    const hi = Math.floor(us / 0x1_0000_0000);
    // murmur3's finalizer: every bit of the time and the text's hash reaches the bucket's bits.
    let h = lo ^ Math.imul(hi, 0x9e3779b1) ^ Math.imul(text, 0x27d4eb2f);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & (this.heads.length - 1);
  }

  private grow(): void {
    const n = this.segs.length * 4;
    const times = new Float64Array(n);
    times.set(this.times);
    this.times = times;
    const hashes = new Int32Array(n);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const segs = new Int32Array(n);
    segs.set(this.segs);
    this.segs = segs;
    this.next = new Int32Array(n);
    this.heads = new Int32Array(n).fill(NONE);
    for (let e = 0; e < this.size; e++) {
      const b = this.bucket(this.times[e]!, this.hashes[e]!);
      this.next[e] = this.heads[b]!;
      this.heads[b] = e;
    }
  }
}

export const NO_ENTRY = NONE;

/** FNV-1a of a line's text (its UTF-16 units): a judged line is known by its time and this. */
export function textHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}
