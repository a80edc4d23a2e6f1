// Output between two restart points of a gzip index (gzindex.ts), decoded again for a read.
// Node's zlib does it (faster than inflate.ts) when the segment is small enough to hold
// (GzipLimits.decodeWhole). It has no inflatePrime (zran.c's way to start mid-byte), and
// shifting the input would break stored blocks, which align to the original bytes; so a
// primer goes first: one fixed-Huffman block whose literals are the point's window (the
// history the segment's matches reach back into), of a bit length that ends where the
// point starts within its byte, and whose output is then dropped. A larger segment (its
// span grew as points were thinned) goes through inflate.ts, keeping only the bytes asked
// for: memory stays bounded whatever the dump's size.
import { constants, inflateRawSync } from 'node:zlib';
import { Inflater } from './inflate.js';

export interface Point {
  /** Input position of the block that starts here, in bits. */
  inBits: number;
  /** Output offset. */
  out: number;
  /** The 32 KiB of output before `out`, deflated (empty at a member's start). */
  window: Uint8Array;
  wlen: number;
  /** The first point of a gzip member. */
  member: boolean;
}

export interface Compressed {
  pull(pos: number, n?: number): Uint8Array;
}

/** Decoded segments kept. */
export const CACHE_BYTES = 32 << 20;

export class SegmentCache {
  private readonly map = new Map<number, Uint8Array>();
  private bytes = 0;
  /** Segments decoded by Node's zlib, and by inflate.ts (larger ones, or where zlib failed). */
  readonly decoded = { zlib: 0, inflate: 0 };
  get(i: number): Uint8Array | undefined {
    const s = this.map.get(i);
    if (s) { this.map.delete(i); this.map.set(i, s); } // most recent last
    return s;
  }
  put(i: number, s: Uint8Array): void {
    const old = this.map.get(i);
    if (old) { this.map.delete(i); this.bytes -= old.buffer.byteLength; }
    for (const [k, v] of this.map) {
      if (this.bytes + s.buffer.byteLength <= CACHE_BYTES) break;
      this.map.delete(k);
      this.bytes -= v.buffer.byteLength;
    }
    this.map.set(i, s);
    this.bytes += s.buffer.byteLength; // a view keeps its whole buffer
  }
  clear(): void { this.map.clear(); this.bytes = 0; }
}

const windowOf = (p: Point): Uint8Array => (p.wlen ? inflateRawSync(p.window, { maxOutputLength: p.wlen }) : new Uint8Array(0));

/** Output [point.out, end) between two points, from input bits [point.inBits, inEnd * 8). */
export interface Segment { index: number; point: Point; end: number; inEnd: number }

/** RFC 1951 3.2.6: fixed literal codes, bit-reversed for an LSB-first stream, and their lengths. */
const FIXED = (() => {
  const code = new Uint16Array(256);
  const len = new Uint8Array(256);
  for (let lit = 0; lit < 256; lit++) {
    const [c, n] = lit < 144 ? [0x30 + lit, 8] : [0x190 + lit - 144, 9];
    let r = 0;
    for (let i = 0; i < n; i++) r |= ((c >>> (n - 1 - i)) & 1) << i;
    code[lit] = r;
    len[lit] = n;
  }
  return { code, len };
})();
const PAD = 0x90; // a 9-bit literal: each one changes the primer's length by 1 mod 8

/**
 * A non-final fixed-Huffman block of literals: `pad` copies of PAD, then `window`; its bit
 * length is made to be `bit` mod 8, so the point's own bits follow on in the same byte.
 * Returns the bytes (the last one partly used) and the output bytes to drop.
 */
export function primer(window: Uint8Array, bit: number): { bytes: Uint8Array; drop: number } {
  let bits = 3 + 7; // header, end-of-block
  for (const b of window) bits += FIXED.len[b]!;
  const pad = (((bit - bits) % 8) + 8) % 8;
  const total = bits + 9 * pad;
  const out = new Uint8Array(Math.ceil(total / 8) + 1);
  let pos = 0;
  const put = (v: number, n: number) => {
    for (let i = 0; i < n; i++, pos++) out[pos >>> 3]! |= ((v >>> i) & 1) << (pos & 7);
  };
  put(0b010, 3); // BFINAL 0, BTYPE 01 (LSB first)
  for (let i = 0; i < pad; i++) put(FIXED.code[PAD]!, 9);
  for (const b of window) put(FIXED.code[b]!, FIXED.len[b]!);
  put(0, 7); // end of block: code 256 is seven zero bits
  return { bytes: out.subarray(0, Math.ceil(total / 8)), drop: pad + window.length };
}

/** The segment whole by Node's zlib, or undefined if it cannot. */
function native(src: Compressed, { point: p, end: segEnd, inEnd }: Segment, most: number): Uint8Array | undefined {
  const len = segEnd - p.out;
  const from = Math.floor(p.inBits / 8);
  const k = p.inBits % 8;
  if (inEnd - from > 2 * most) return undefined; // blocks of little output: not worth holding
  const comp = src.pull(from, inEnd - from);
  if (comp.length === 0) return undefined;
  const pr = primer(windowOf(p), k);
  const input = Buffer.allocUnsafe(pr.bytes.length + comp.length - (k ? 1 : 0));
  input.set(pr.bytes, 0);
  if (k) input[pr.bytes.length - 1] = (pr.bytes.at(-1)! & ((1 << k) - 1)) | (comp[0]! & ~((1 << k) - 1) & 0xff);
  input.set(k ? comp.subarray(1) : comp, pr.bytes.length);
  try {
    const out = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: pr.drop + len + (1 << 16) });
    return out.length >= pr.drop + len ? out.subarray(pr.drop, pr.drop + len) : undefined;
  } catch {
    return undefined; // inflate.ts will say what is wrong, at its offset
  }
}

/** Copy output [a, b) of segment `s` into `out`; a segment up to `whole` bytes is decoded whole and cached. */
export function decodeSegment(src: Compressed, s: Segment, a: number, b: number, out: Uint8Array, cache: SegmentCache, whole: number): void {
  const p = s.point;
  if (s.end - p.out <= whole) {
    let seg = cache.get(s.index);
    // The last segment grows as the pass goes on: one decoded before is too short now.
    if (!seg || seg.length < s.end - p.out) {
      seg = native(src, s, whole);
      if (seg) { cache.put(s.index, seg); cache.decoded.zlib++; }
    }
    if (seg) { out.set(seg.subarray(a - p.out, b - p.out)); return; }
  }
  cache.decoded.inflate++;
  const inf = new Inflater((pos) => src.pull(pos), Math.floor(p.inBits / 8), p.inBits % 8, windowOf(p), p.out, (bytes, at) => {
    const from = Math.max(at, a);
    const to = Math.min(at + bytes.length, b);
    if (from < to) out.set(bytes.subarray(from - at, to - at), from - a);
  });
  while (inf.total < b && !inf.ended) inf.block();
  inf.flush();
}
