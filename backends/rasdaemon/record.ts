// One table row read from the page bytes (file-format.ts §2.1, the record format): the
// record header's serial types say each column's storage class and size; a column is decoded
// only when asked, and the grouping asks for halves and text numbers, not values.
import { type ScanRow, BLOB, INTEGER, MAX_TEXTS, NULL, REAL, TEXT, keyIntsOf, parseStamp } from './scan-row.js';
import { SERIAL_ONE, SERIAL_REAL, SERIAL_SIZE, SERIAL_ZERO } from './file-format.js';

const ENCODINGS: Record<number, string> = { 1: 'utf-8', 2: 'utf-16le', 3: 'utf-16be' };

/** Texts as numbers, keyed by their bytes: no string is made for a text seen before. */
class ByteInterner {
  private readonly buckets = new Map<number, number[]>();
  private readonly bytes: Uint8Array[] = [];
  private readonly texts: string[] = [];

  id(b: Uint8Array, start: number, len: number, decode: () => string): number {
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < start + len; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    const bucket = this.buckets.get(h);
    if (bucket) {
      for (const id of bucket) {
        const s = this.bytes[id]!;
        if (s.length !== len) continue;
        let same = true;
        for (let i = 0; i < len && same; i++) same = s[i] === b[start + i];
        if (same) return id;
      }
    }
    if (this.texts.length >= MAX_TEXTS) return -1;
    const id = this.texts.length;
    this.bytes.push(b.slice(start, start + len));
    this.texts.push(decode());
    if (bucket) bucket.push(id);
    else this.buckets.set(h, [id]);
    return id;
  }
  text(id: number): string {
    return this.texts[id] ?? '';
  }
}

export class BtreeRow implements ScanRow {
  /** The bytes holding the current payload (a page, or the overflow scratch buffer). */
  buf: Uint8Array = new Uint8Array(0);
  rowid = 0;
  /** Serial type and body offset (in buf) of each column asked for; -1: not in the record. */
  readonly st: Int32Array;
  readonly off: Int32Array;
  private readonly texts = new ByteInterner();
  private lastKs: Int32Array | undefined;
  private ksHasRowid = false;
  private readonly decoder: TextDecoder;

  /** `ipk`: the column that stands for the rowid (INTEGER PRIMARY KEY: stored as NULL), or -1. */
  constructor(columns: number, private readonly ipk: number, encoding: number) {
    this.st = new Int32Array(columns);
    this.off = new Int32Array(columns);
    this.decoder = new TextDecoder(ENCODINGS[encoding] ?? 'utf-8');
  }

  private isRowid(k: number): boolean {
    return k === this.ipk && this.st[k]! <= 0;
  }

  kind(k: number): number {
    if (this.isRowid(k)) return INTEGER;
    const t = this.st[k]!;
    if (t <= 0) return NULL;
    if (t === SERIAL_REAL) return REAL;
    if (t < 12) return INTEGER;
    return t & 1 ? TEXT : BLOB;
  }

  /** Bytes 0..n-1 of a big-endian two's-complement integer as a signed number (n <= 6). */
  private small(at: number, n: number): number {
    const b = this.buf;
    let v = b[at]! & 0x80 ? -1 : 0;
    for (let i = 0; i < n; i++) v = v * 256 + b[at + i]!;
    return v;
  }

  private word(k: number, high: boolean): number {
    if (this.isRowid(k)) return high ? Math.floor(this.rowid / 2 ** 32) | 0 : this.rowid % 2 ** 32 | 0;
    const t = this.st[k]!, at = this.off[k]!, b = this.buf;
    if (t === 6) {
      const o = high ? at : at + 4;
      return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
    }
    const v = t === SERIAL_ZERO ? 0 : t === SERIAL_ONE ? 1 : this.small(at, SERIAL_SIZE[t]!);
    return high ? Math.floor(v / 2 ** 32) | 0 : v % 2 ** 32 | 0;
  }
  hi(k: number): number {
    return this.word(k, true);
  }
  lo(k: number): number {
    return this.word(k, false);
  }

  private bodyLength(k: number): number {
    const t = this.st[k]!;
    return t >= 12 ? (t - 12) >> 1 : SERIAL_SIZE[t]!;
  }

  private decodeText(at: number, len: number): string {
    const s = this.decoder.decode(this.buf.subarray(at, at + len));
    // SQLite hands text out as a C string: node-sqlite3-wasm's stops at a NUL.
    const nul = s.indexOf('\0');
    return nul < 0 ? s : s.slice(0, nul);
  }

  textId(k: number): number {
    const at = this.off[k]!, len = this.bodyLength(k);
    return this.texts.id(this.buf, at, len, () => this.decodeText(at, len));
  }
  textOf(id: number): string {
    return this.texts.text(id);
  }
  stampSeconds(k: number): number {
    return this.kind(k) === TEXT && this.decoder.encoding === 'utf-8' ? parseStamp(this.buf, this.off[k]!, this.bodyLength(k)) : NaN;
  }

  /** keyIntsOf() in one loop over the serial types: the scan's hottest path. */
  keyInts(ks: Int32Array, wide: number, out: Int32Array, at: number): number {
    if (ks !== this.lastKs) { this.lastKs = ks; this.ksHasRowid = this.ipk >= 0 && ks.includes(this.ipk); }
    if (this.ksHasRowid) return keyIntsOf(this, ks, wide, out, at);
    const b = this.buf;
    let nulls = 0;
    for (let i = 0; i < ks.length; i++) {
      const k = ks[i]!, t = this.st[k]!, o = this.off[k]!;
      let hi = 0, lo = 0;
      if (t <= 0) {
        nulls |= 1 << i;
      } else if (t === 6) {
        hi = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
        lo = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
      } else if (t === SERIAL_ONE) {
        lo = 1;
      } else if (t !== SERIAL_ZERO) {
        if (t >= SERIAL_REAL) return -1;
        const v = this.small(o, SERIAL_SIZE[t]!);
        hi = t === 5 ? Math.floor(v / 2 ** 32) | 0 : v < 0 ? -1 : 0;
        lo = v % 2 ** 32 | 0;
      }
      if (i < wide) out[at++] = hi;
      else if (hi !== lo >> 31) return -1;
      out[at++] = lo;
    }
    return nulls;
  }

  value(k: number): unknown {
    if (this.isRowid(k)) return this.rowid;
    const t = this.st[k]!, at = this.off[k]!;
    switch (this.kind(k)) {
      case NULL: return null;
      case REAL: return new DataView(this.buf.buffer, this.buf.byteOffset + at, 8).getFloat64(0);
      case TEXT: return this.decodeText(at, this.bodyLength(k));
      case BLOB: return this.buf.slice(at, at + this.bodyLength(k));
    }
    if (t !== 6) return t === SERIAL_ZERO ? 0 : t === SERIAL_ONE ? 1 : this.small(at, SERIAL_SIZE[t]!);
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + at, 8).getBigInt64(0);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
}
