// A gzip'd dump read by position, never inflated to disk. One pass, carried only as far as
// reads reach, records a restart point every `span` bytes of output at a deflate block
// boundary: the bit it starts at and the 32 KiB of output before it (zlib's
// examples/zran.c). A read restarts at the nearest point before it (gzsegment.ts). Memory is
// bounded whatever the dump's size: the windows are kept deflated, and past their budget
// every other point is dropped and the span doubles.
import { closeSync, openSync, readSync } from 'node:fs';
import { startWork } from '../input/work.js';
import * as zlib from 'node:zlib';
import type { Problem } from '../model/index.js';
import { FormatError } from '../util/errors.js';
import { Inflater, InflateError } from './inflate.js';
import { isGzip, MEMBER_HEADER_MAX, memberHeaderLength, readTrailer, TRAILER_BYTES } from './gzmember.js';
import { decodeSegment, SegmentCache, type Point } from './gzsegment.js';
import type { ByteSource } from './source.js';

export interface GzipLimits {
  /** Output between restart points, at first. */
  span: number;
  /** Deflated windows kept; past it every other point goes and the span doubles. */
  windowBytes: number;
  /** Inflated bytes: the budget of the whole pass. */
  maxOutput: number;
  /** gzip members (a point each). */
  maxMembers: number;
  /** Segments up to this are decoded whole by Node's zlib and cached (gzsegment.ts). */
  decodeWhole: number;
}

export const GZIP_LIMITS: GzipLimits = { span: 1 << 20, windowBytes: 32 << 20, maxOutput: 2 ** 40, maxMembers: 4096, decodeWhole: 16 << 20 };
const PULL = 256 << 10;
const EMPTY = new Uint8Array(0);
const crc32: ((b: Uint8Array, v: number) => number) | undefined = (zlib as { crc32?: (b: Uint8Array, v: number) => number }).crc32; // Node 20.15+

class OverBudget extends Error {}

export class GzipSource implements ByteSource {
  bytesRead = 0;
  readonly points: Point[] = [];
  private windowBytes = 0;
  private span: number;
  private fd: number | undefined;
  private inf: Inflater | undefined;
  private done = false;
  /** Output read and sound so far (every byte before it is at a block boundary behind us). */
  private good = 0;
  /** Input bit where `good` ends: the end of the last sound block. */
  private goodBits = 0;
  private memberStart = 0;
  private members = 0;
  private crc = 0;
  private capture: { at: number; out: Uint8Array } | undefined;
  private readonly cache = new SegmentCache();

  /** `file` is opened; `path` names it in problems (the input the user gave). */
  constructor(file: string, private readonly fileSize: number, private readonly problems: Problem[], readonly path = file, private readonly limits: GzipLimits = GZIP_LIMITS) {
    this.span = limits.span;
    this.fd = openSync(file, 'r');
    try {
      this.startMember(0);
    } catch (err) {
      this.closeSync();
      throw err;
    }
  }

  /** The inflated size: known once the pass has reached the end, so asking finishes it. */
  get size(): number {
    this.advance(Infinity);
    return this.good;
  }

  /** Inflated bytes the pass has reached so far. */
  get inflated(): number { return this.good; }
  /** Segments decoded again for reads, by Node's zlib and by inflate.ts. */
  get decoded(): { zlib: number; inflate: number } { return { ...this.cache.decoded }; }

  async read(pos: number, length: number): Promise<Uint8Array> {
    return this.readSync(pos, length);
  }

  readSync(pos: number, length: number): Uint8Array {
    const want = pos + Math.max(0, length);
    const before = this.good;
    const out = new Uint8Array(Math.max(0, Math.min(want, this.done ? this.good : want) - pos));
    if (want > before && !this.done) {
      this.capture = { at: pos, out };
      try { this.advance(want); } finally { this.capture = undefined; }
    }
    const end = Math.min(want, this.good);
    if (pos < Math.min(end, before)) this.fromPoints(pos, Math.min(end, before), out);
    return out.subarray(0, Math.max(0, end - pos));
  }

  closeSync(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.inf = undefined;
    this.cache.clear();
  }

  /** Compressed bytes at `pos`, counted. */
  readonly pull = (pos: number, n = PULL): Uint8Array => {
    if (this.fd === undefined) throw new Error('gzip source closed');
    const b = Buffer.allocUnsafe(Math.max(0, Math.min(n, this.fileSize - pos)));
    let got = 0;
    while (got < b.length) {
      const k = readSync(this.fd, b, got, b.length - got, pos + got);
      if (k === 0) break;
      got += k;
    }
    this.bytesRead += got;
    return b.subarray(0, got);
  };

  private problem(offset: number, message: string): void {
    this.problems.push({ path: this.path, offset, message });
  }

  private startMember(pos: number): boolean {
    const head = this.pull(pos, MEMBER_HEADER_MAX);
    if (this.members > 0 && !isGzip(head)) {
      if (head.some((x) => x !== 0)) this.problem(pos, `${this.fileSize - pos} bytes after the last gzip member ignored`);
      return false;
    }
    if (++this.members > this.limits.maxMembers) {
      this.problem(pos, `more than ${this.limits.maxMembers} gzip members; stopped after ${this.good} bytes inflated`);
      return false;
    }
    const start = pos + memberHeaderLength(head, this.path, pos);
    this.memberStart = this.good;
    this.crc = 0;
    this.inf = new Inflater(this.pull, start, 0, EMPTY, this.good, this.sink);
    this.goodBits = start * 8;
    this.points.push({ inBits: start * 8, out: this.good, window: EMPTY, wlen: 0, member: true });
    return true;
  }

  /** Output as the pass makes it (about every MiB, and at each block's end). */
  private readonly sink = (b: Uint8Array, at: number): void => {
    // Checked here, not only between blocks: one deflate block may hold any amount of output.
    if (at + b.length > this.limits.maxOutput) throw new OverBudget();
    if (crc32) this.crc = crc32(b, this.crc);
    const c = this.capture;
    if (!c) return;
    const from = Math.max(at, c.at);
    const to = Math.min(at + b.length, c.at + c.out.length);
    if (from < to) c.out.set(b.subarray(from - at, to - at), from - c.at);
  };

  /** Carry the pass on, a block at a time, until `want` bytes are out or it ends. */
  private advance(want: number): void {
    // The work is compressed input consumed, of the file (src/input/work.ts): shown when a read runs long.
    const work = startWork(`inflating ${this.path}`, this.fileSize, 'bytes');
    while (!this.done && this.good < want) {
      work.at(Math.floor(this.goodBits / 8));
      const inf = this.inf!;
      try {
        inf.block();
        inf.flush();
      } catch (err) {
        this.done = true;
        if (err instanceof OverBudget) this.problem(Math.floor(this.goodBits / 8), `inflates past ${this.limits.maxOutput} bytes (the budget for one dump); read up to the block before, ${this.good} bytes`);
        else if (err instanceof InflateError) this.problem(err.offset, `gzip stream damaged (${err.message}); read up to the block before it, ${this.good} bytes inflated`);
        else throw err;
        work.end();
        return;
      }
      this.good = inf.total;
      this.goodBits = inf.inBits;
      if (inf.ended) this.endMember(inf);
      else if (this.good - this.points.at(-1)!.out >= this.span) this.addPoint(inf);
    }
    work.end();
  }

  private endMember(inf: Inflater): void {
    const at = Math.ceil(inf.inBits / 8);
    const t = this.pull(at, TRAILER_BYTES);
    const size = this.good - this.memberStart;
    if (t.length < TRAILER_BYTES) this.problem(at, 'gzip trailer cut short: its CRC and length cannot be checked');
    else {
      const { crc, isize } = readTrailer(t, this.path, at);
      if (isize !== size % 2 ** 32) this.problem(at + 4, `gzip trailer gives length ${isize} (mod 2^32), the member inflated to ${size}`);
      else if (crc32 && crc !== this.crc >>> 0) this.problem(at, `gzip CRC32 0x${crc.toString(16)} does not match the inflated data's 0x${(this.crc >>> 0).toString(16)}: it may be damaged`);
    }
    this.inf = undefined;
    const next = at + TRAILER_BYTES;
    try {
      if (next >= this.fileSize || !this.startMember(next)) this.done = true;
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      this.done = true;
      this.problem(err.offset ?? next, `gzip member after ${this.good} bytes inflated: ${err.detail}; the rest is not read`);
    }
  }

  private addPoint(inf: Inflater): void {
    const w = inf.window();
    const window = zlib.deflateRawSync(w, { level: 1 });
    this.points.push({ inBits: inf.inBits, out: this.good, window, wlen: w.length, member: false });
    this.windowBytes += window.length;
    if (this.windowBytes <= this.limits.windowBytes) return;
    // Thin: every other point goes (never a member's first, where no window is needed).
    const kept = this.points.filter((p, i) => p.member || i % 2 === 0);
    this.points.length = 0;
    for (const p of kept) this.points.push(p);
    this.windowBytes = kept.reduce((s, p) => s + p.window.length, 0);
    this.span *= 2;
    this.cache.clear();
  }

  /** Bytes [a, b) of output, all before `good`, from the points. */
  private fromPoints(a: number, b: number, out: Uint8Array): void {
    let i = this.pointBefore(a);
    for (let pos = a; pos < b; i++) {
      const p = this.points[i]!;
      const q = this.points[i + 1];
      const segEnd = q ? q.out : this.good;
      const inEnd = Math.ceil((q ? q.inBits : this.goodBits) / 8);
      const to = Math.min(b, segEnd);
      if (to > pos) decodeSegment(this, { index: i, point: p, end: segEnd, inEnd }, pos, to, out.subarray(pos - a), this.cache, this.limits.decodeWhole);
      pos = Math.max(pos, to);
      if (!q) break;
    }
  }

  /** Index of the last point at or before output offset `a`. */
  private pointBefore(a: number): number {
    let lo = 0;
    let hi = this.points.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]!.out <= a) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}
