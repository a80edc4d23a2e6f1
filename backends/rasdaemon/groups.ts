// Rows with equal keys counted together, in typed arrays: a key is a row of 32-bit words,
// found through an open-addressing hash index; each group keeps its row count, summed
// weight (errors), first and last time and the scan position of its first row. Nothing
// per row is allocated, and the table stops growing at `max` groups. A key's last word is
// its time bucket: rollUp() halves the buckets' resolution and merges the groups that then
// share a key (scan.ts does that before it gives up a row's fields).

const EMPTY = -1;

export class GroupTable {
  size = 0;
  private capacity = 4096;
  private keys: Int32Array;
  private index: Int32Array;
  rows: Float64Array;
  weight: Float64Array;
  first: Float64Array;
  last: Float64Array;
  /** Scan position of each group's first row (output order). */
  firstSeq: Float64Array;

  constructor(readonly width: number, readonly max: number) {
    this.keys = new Int32Array(this.capacity * width);
    this.index = new Int32Array(this.capacity * 2).fill(EMPTY);
    this.rows = new Float64Array(this.capacity);
    this.weight = new Float64Array(this.capacity);
    this.first = new Float64Array(this.capacity);
    this.last = new Float64Array(this.capacity);
    this.firstSeq = new Float64Array(this.capacity);
  }

  get full(): boolean {
    return this.size >= this.max;
  }

  private hash(key: Int32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < this.width; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private same(g: number, key: Int32Array): boolean {
    const base = g * this.width;
    for (let i = 0; i < this.width; i++) if (this.keys[base + i] !== key[i]) return false;
    return true;
  }

  /** The group with this key, or -1. */
  find(key: Int32Array): number {
    const mask = this.index.length - 1;
    for (let s = this.hash(key) & mask; ; s = (s + 1) & mask) {
      const g = this.index[s]!;
      if (g === EMPTY) return -1;
      if (this.same(g, key)) return g;
    }
  }

  /** Group g's key words (a view: valid until the table changes). */
  keyOf(g: number): Int32Array {
    return this.keys.subarray(g * this.width, (g + 1) * this.width);
  }

  /** Counts a row in group g. */
  hit(g: number, time: number, weight: number): void {
    this.rows[g]! += 1;
    this.weight[g]! += weight;
    if (time < this.first[g]!) this.first[g] = time;
    if (time > this.last[g]!) this.last[g] = time;
  }

  /** A new group for a key find() did not know, or -1 when the table is full. */
  add(key: Int32Array, time: number, weight: number, seq: number): number {
    return this.full ? -1 : this.insert(key, 1, weight, time, time, seq);
  }

  private insert(key: Int32Array, rows: number, weight: number, first: number, last: number, seq: number): number {
    if (this.size === this.capacity) this.grow();
    const g = this.size++;
    this.keys.set(key.subarray(0, this.width), g * this.width);
    this.rows[g] = rows;
    this.weight[g] = weight;
    this.first[g] = first;
    this.last[g] = last;
    this.firstSeq[g] = seq;
    this.place(g);
    return g;
  }

  /**
   * Every group's time bucket (the key's last word) halved, and groups whose keys are then
   * equal merged into one. Returns, per old group, its new group number.
   */
  rollUp(): Int32Array {
    const w = this.width, n = this.size, to = new Int32Array(n);
    const keys = this.keys.slice(0, n * w), rows = this.rows.slice(0, n), weight = this.weight.slice(0, n);
    const first = this.first.slice(0, n), last = this.last.slice(0, n), seq = this.firstSeq.slice(0, n);
    this.size = 0;
    this.index.fill(EMPTY);
    const key = new Int32Array(w);
    for (let g = 0; g < n; g++) {
      key.set(keys.subarray(g * w, (g + 1) * w));
      key[w - 1] = Math.floor(key[w - 1]! / 2);
      const h = this.find(key);
      if (h < 0) { to[g] = this.insert(key, rows[g]!, weight[g]!, first[g]!, last[g]!, seq[g]!); continue; }
      to[g] = h;
      this.rows[h]! += rows[g]!;
      this.weight[h]! += weight[g]!;
      if (first[g]! < this.first[h]!) this.first[h] = first[g]!;
      if (last[g]! > this.last[h]!) this.last[h] = last[g]!;
      if (seq[g]! < this.firstSeq[h]!) this.firstSeq[h] = seq[g]!;
    }
    return to;
  }

  private place(g: number): void {
    const mask = this.index.length - 1;
    let s = this.hash(this.keys.subarray(g * this.width, (g + 1) * this.width)) & mask;
    while (this.index[s] !== EMPTY) s = (s + 1) & mask;
    this.index[s] = g;
  }

  private grow(): void {
    const cap = this.capacity * (this.capacity < 65_536 ? 4 : 2);
    const widen = <T extends Int32Array | Float64Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.keys = widen(this.keys, cap * this.width);
    for (const f of ['rows', 'weight', 'first', 'last', 'firstSeq'] as const) this[f] = widen(this[f], cap);
    this.capacity = cap;
    this.index = new Int32Array(cap * 2).fill(EMPTY);
    for (let g = 0; g < this.size; g++) this.place(g);
  }
}
