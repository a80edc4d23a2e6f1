// A raw deflate decoder (RFC 1951) that decodes one block at a time and says where each
// block ends, to the bit, in the input and the output. The gzip index (gzindex.ts) keeps
// restart points there, as zlib's examples/zran.c does with inflate(Z_BLOCK) and
// strm.data_type, which Node's zlib does not expose. Input is pulled synchronously (the
// dump is a file read by position); output goes through a buffer that keeps deflate's 32 KiB
// of history and hands each filled part to a sink.

/** Deflate's window: a match reaches at most this far back (RFC 1951 3.2.5). */
export const WINDOW = 32768;

// RFC 1951 3.2.5: base and extra bits of length codes 257..285 and distance codes 0..29.
const LEN_BASE = Uint16Array.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258);
const LEN_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
const DIST_BASE = Uint16Array.of(1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577);
const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
/** RFC 1951 3.2.7: the order code length code lengths are sent in. */
const CLEN_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);
/** Output held before it goes to the sink, beyond the window. */
const CHUNK = 1 << 20;
/** Bytes of zeros fed past the end of the input before the stream counts as cut short. */
const OVERRUN_MAX = 8;

export class InflateError extends Error {
  override name = 'InflateError';
  /** Byte offset in the input near which decoding failed. */
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Where the compressed bytes come from: a piece at `pos` (empty at the end). */
export type Pull = (pos: number) => Uint8Array;
/** Receives output in order: `bytes` is output at stream offset `at` (valid during the call). */
export type Sink = (bytes: Uint8Array, at: number) => void;

interface Table { t: Uint16Array; bits: number }

/**
 * A canonical Huffman code as one look-up table indexed by the next `bits` input bits
 * (codes are sent most significant bit first, into an LSB-first stream, hence reversed);
 * each entry is symbol << 4 | code length, 0 where no code lands. zlib's inftrees.c rules:
 * an over-subscribed set is an error, an incomplete one only as a single 1-bit code.
 */
function build(into: Uint16Array, lens: Uint8Array, n: number, what: string, at: number): Table {
  const count = new Uint16Array(16);
  let max = 0;
  for (let i = 0; i < n; i++) { count[lens[i]!]++; if (lens[i]! > max) max = lens[i]!; }
  count[0] = 0;
  if (max === 0) { into.fill(0, 0, 2); return { t: into, bits: 1 }; } // no codes: any use is an error
  let left = 1;
  for (let len = 1; len <= 15; len++) { left = (left << 1) - count[len]!; if (left < 0) throw new InflateError(`over-subscribed ${what} code`, at); }
  if (left > 0 && (what === 'code length' || max !== 1)) throw new InflateError(`incomplete ${what} code`, at);
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len <= 15; len++) { code = (code + count[len - 1]!) << 1; next[len] = code; }
  const size = 1 << max;
  into.fill(0, 0, size);
  for (let sym = 0; sym < n; sym++) {
    const len = lens[sym]!;
    if (!len) continue;
    let code = next[len]++;
    let rev = 0;
    for (let k = 0; k < len; k++) { rev = (rev << 1) | (code & 1); code >>>= 1; }
    for (let j = rev; j < size; j += 1 << len) into[j] = (sym << 4) | len;
  }
  return { t: into, bits: max };
}

const fixedLens = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
const FIXED_LIT = build(new Uint16Array(1 << 9), fixedLens, 288, 'literal/length', 0);
// 32 five-bit codes, as zlib's fixed table: 30 and 31 are invalid where used.
const FIXED_DIST = build(new Uint16Array(1 << 5), new Uint8Array(32).fill(5), 32, 'distance', 0);

export class Inflater {
  private buf: Uint8Array = new Uint8Array(0);
  private bufPos: number; // input offset of buf[0]
  private p = 0;
  private hold = 0;
  private bits = 0;
  private overrun = 0;
  private readonly out = new Uint8Array(WINDOW + CHUNK);
  private op = WINDOW;
  private histStart: number; // out[histStart, op) is history a match may reach
  private flushFrom = WINDOW;
  private outBase: number; // stream offset of out[WINDOW]
  private readonly litT = new Uint16Array(1 << 15);
  private readonly distT = new Uint16Array(1 << 15);
  private readonly clT = new Uint16Array(1 << 7);
  private readonly lens = new Uint8Array(320);
  /** The block with BFINAL set has been decoded: the deflate stream is complete. */
  ended = false;

  /** Start at bit `bit` of input byte `pos`, with `window` (up to 32 KiB) as history, at output offset `outAt`. */
  constructor(private readonly pull: Pull, pos: number, bit: number, window: Uint8Array, outAt: number, private readonly sink: Sink) {
    this.bufPos = pos;
    const w = window.subarray(Math.max(0, window.length - WINDOW));
    this.out.set(w, WINDOW - w.length);
    this.histStart = WINDOW - w.length;
    this.outBase = outAt;
    if (bit) { this.hold = this.byte() >>> bit; this.bits = 8 - bit; }
  }

  /** Output bytes produced so far (stream offset of the next one). */
  get total(): number { return this.outBase + this.op - WINDOW; }
  /** Input position of the next unread bit, in bits from the start of the input. */
  get inBits(): number { return (this.bufPos + this.p) * 8 - this.bits; }
  /** The last 32 KiB of output (less at the start), the history a restart here needs. */
  window(): Uint8Array { return this.out.slice(Math.max(this.histStart, this.op - WINDOW), this.op); }

  /** Hand all output not yet given to the sink. */
  flush(): void {
    if (this.op > this.flushFrom) this.sink(this.out.subarray(this.flushFrom, this.op), this.outBase + this.flushFrom - WINDOW);
    this.flushFrom = this.op;
  }

  /** Decode one block (the caller stops once `ended`). */
  block(): void {
    const at = Math.floor(this.inBits / 8);
    const last = this.getBits(1);
    const type = this.getBits(2);
    if (type === 0) this.stored();
    else if (type === 1) this.codes(FIXED_LIT, FIXED_DIST);
    else if (type === 2) this.codes(...this.dynamic());
    else throw new InflateError('invalid block type 3', at);
    if (last) { this.ended = true; this.flush(); }
  }

  private more(): void {
    this.bufPos += this.buf.length;
    this.p = 0;
    this.buf = this.pull(this.bufPos);
    if (this.buf.length === 0) {
      // Past the end: zeros, so a code that ends exactly at the last byte still decodes.
      if (++this.overrun > OVERRUN_MAX) throw new InflateError('the compressed stream is cut short', this.bufPos);
      this.buf = new Uint8Array(1);
    }
  }

  private byte(): number {
    if (this.p >= this.buf.length) this.more();
    return this.buf[this.p++]!;
  }

  private getBits(n: number): number {
    while (this.bits < n) { this.hold |= this.byte() << this.bits; this.bits += 8; }
    const v = this.hold & ((1 << n) - 1);
    this.hold >>>= n;
    this.bits -= n;
    return v;
  }

  private decodeSym(tab: Table): number {
    while (this.bits < tab.bits) { this.hold |= this.byte() << this.bits; this.bits += 8; }
    const e = tab.t[this.hold & ((1 << tab.bits) - 1)]!;
    if (!(e & 15)) throw new InflateError('invalid code', Math.floor(this.inBits / 8));
    this.hold >>>= e & 15;
    this.bits -= e & 15;
    return e >>> 4;
  }

  /** Make room for at least 258 bytes (a match's most), giving filled output to the sink. */
  private room(): void {
    this.flush();
    const keep = this.op - WINDOW;
    this.out.copyWithin(0, keep, this.op);
    this.histStart = Math.max(0, this.histStart - keep);
    this.outBase += keep;
    this.op = this.flushFrom = WINDOW;
  }

  private stored(): void {
    this.hold >>>= this.bits & 7;
    this.bits -= this.bits & 7;
    const at = Math.floor(this.inBits / 8);
    const len = this.getBits(16);
    if ((this.getBits(16) ^ 0xffff) !== len) throw new InflateError('stored block length does not match its complement', at);
    for (let left = len; left > 0;) {
      if (this.op > this.out.length - 258) this.room();
      if (this.p >= this.buf.length) this.more();
      const n = Math.min(left, this.buf.length - this.p, this.out.length - this.op);
      this.out.set(this.buf.subarray(this.p, this.p + n), this.op);
      this.p += n;
      this.op += n;
      left -= n;
    }
  }

  private dynamic(): [Table, Table] {
    const at = Math.floor(this.inBits / 8);
    const nlen = this.getBits(5) + 257;
    const ndist = this.getBits(5) + 1;
    const ncode = this.getBits(4) + 4;
    if (nlen > 286 || ndist > 30) throw new InflateError(`too many length or distance codes (${nlen}, ${ndist})`, at);
    const lens = this.lens;
    lens.fill(0, 0, 19);
    for (let i = 0; i < ncode; i++) lens[CLEN_ORDER[i]!] = this.getBits(3);
    const cl = build(this.clT, lens, 19, 'code length', at);
    for (let i = 0; i < nlen + ndist;) {
      const sym = this.decodeSym(cl);
      if (sym < 16) { lens[i++] = sym; continue; }
      let rep = 0;
      let val = 0;
      if (sym === 16) {
        if (i === 0) throw new InflateError('repeat of a code length with none before it', at);
        val = lens[i - 1]!;
        rep = 3 + this.getBits(2);
      } else rep = sym === 17 ? 3 + this.getBits(3) : 11 + this.getBits(7);
      if (i + rep > nlen + ndist) throw new InflateError('code lengths repeat past their count', at);
      lens.fill(val, i, i + rep);
      i += rep;
    }
    if (lens[256] === 0) throw new InflateError('no end-of-block code', at);
    const lit = build(this.litT, lens.subarray(0, nlen), nlen, 'literal/length', at);
    const dist = build(this.distT, lens.subarray(nlen, nlen + ndist), ndist, 'distance', at);
    return [lit, dist];
  }

  /**
   * The hot loop: literals and matches until end-of-block, state in locals (no closures:
   * a captured local would live in a context, not a register). Only more() and room()
   * see the fields, so only they are synced around.
   */
  private codes(lit: Table, dist: Table): void {
    const lt = lit.t, lmask = (1 << lit.bits) - 1, dt = dist.t, dmask = (1 << dist.bits) - 1;
    const out = this.out;
    const limit = out.length - 258;
    let buf = this.buf, p = this.p, hold = this.hold, bits = this.bits, op = this.op;
    for (;;) {
      if (op > limit) { this.op = op; this.room(); op = this.op; }
      // 15 bits: the longest code; 20 after a length symbol: its extra bits and the distance code.
      while (bits < 15) { if (p >= buf.length) { this.p = p; this.more(); buf = this.buf; p = this.p; } hold |= buf[p++]! << bits; bits += 8; }
      let e = lt[hold & lmask]!;
      if (!(e & 15)) return this.fail('invalid literal/length code', p, bits);
      hold >>>= e & 15;
      bits -= e & 15;
      const sym = e >>> 4;
      if (sym < 256) { out[op++] = sym; continue; }
      if (sym === 256) break;
      if (sym > 285) return this.fail(`invalid length symbol ${sym}`, p, bits);
      while (bits < 20) { if (p >= buf.length) { this.p = p; this.more(); buf = this.buf; p = this.p; } hold |= buf[p++]! << bits; bits += 8; }
      let len = LEN_BASE[sym - 257]!;
      const lx = LEN_EXTRA[sym - 257]!;
      len += hold & ((1 << lx) - 1);
      hold >>>= lx;
      bits -= lx;
      e = dt[hold & dmask]!;
      if (!(e & 15) || e >>> 4 > 29) return this.fail('invalid distance code', p, bits);
      hold >>>= e & 15;
      bits -= e & 15;
      let d = DIST_BASE[e >>> 4]!;
      const dx = DIST_EXTRA[e >>> 4]!;
      while (bits < dx) { if (p >= buf.length) { this.p = p; this.more(); buf = this.buf; p = this.p; } hold |= buf[p++]! << bits; bits += 8; }
      d += hold & ((1 << dx) - 1);
      hold >>>= dx;
      bits -= dx;
      if (d > op - this.histStart) return this.fail(`distance ${d} too far back`, p, bits);
      let from = op - d;
      if (d === 1) { out.fill(out[from]!, op, op + len); op += len; } // a run of one byte (zero pages)
      else if (len > 32 && d >= len) { out.copyWithin(op, from, from + len); op += len; }
      else for (const end = op + len; op < end;) out[op++] = out[from++]!;
    }
    this.p = p; this.hold = hold; this.bits = bits; this.op = op;
  }

  private fail(message: string, p: number, bits: number): never {
    this.p = p;
    this.bits = bits;
    throw new InflateError(message, Math.floor(this.inBits / 8));
  }
}
