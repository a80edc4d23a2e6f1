// makedumpfile's flattened format (makedumpfile -F, and QEMU dump-guest-memory -z written
// to a pipe): a 4096-byte header with the "makedumpfile" signature, then records of
// { int64 offset; int64 buf_size } (big-endian) each followed by buf_size bytes that belong
// at `offset` of the real kdump file; offset -1 ends it (makedumpfile.h
// makedumpfile_data_header, END_FLAG_FLAT_HEADER). We index the records in one pass and
// read the logical file through the index; a pipe is first spilled to a sparse temp file
// (spill.ts) and indexed the same way.
import type { Problem } from '../model/index.js';
import { FormatError } from '../util/errors.js';
import { cstr, type ByteSource } from './source.js';
import { range } from './segindex.js';
import { sortByKey } from './sortkeys.js';

export const FLAT_HEADER_SIZE = 4096;
const MAX_RECORDS = 1 << 26;
const MAX_CHUNK = 1 << 30;
const WINDOW = 4096; // read at a header after a tiny record: the next few headers are near
const SMALL_RECORD = 256; // after a record at least this long, read only the next header

export function isFlattened(head: Uint8Array): boolean {
  return head.length >= 16 && cstr(head, 0, 16) === 'makedumpfile';
}

/** Bytes searched for a sound record header after a damaged one. */
const RESYNC_MAX = 64 << 20;
const RESYNC_CHUNK = 1 << 20;

/**
 * The record header at `at` of `b`: the end marker, or its offset and size, read as two
 * 32-bit halves each (no BigInt per record: QEMU's streams have thousands).
 */
function recordHeader(b: Uint8Array, at: number): 'end' | { off: number; n: number } | undefined {
  if (at + 16 > b.length) return undefined;
  const v = new DataView(b.buffer, b.byteOffset + at, 16);
  const oh = v.getInt32(0, false), ol = v.getUint32(4, false), nh = v.getInt32(8, false), nl = v.getUint32(12, false);
  if (oh === -1 && ol === 0xffffffff) return 'end';
  return { off: oh * 2 ** 32 + ol, n: nh * 2 ** 32 + nl };
}

/** Whether a header's offset and size are in range, its data within the file. */
const sound = (h: { off: number; n: number }, filePos: number, fileSize: number, least: number): boolean =>
  h.off >= 0 && h.n >= least && h.n <= MAX_CHUNK && h.off + h.n <= Number.MAX_SAFE_INTEGER && filePos + 16 + h.n <= fileSize;

/** A record header at `at` of `b` that could be one: its length with its data, 0 at the end marker. */
function soundHeader(b: Uint8Array, at: number, filePos: number, fileSize: number): number | undefined {
  const h = recordHeader(b, at);
  if (h === 'end') return 0;
  return h && sound(h, filePos, fileSize, 1) ? 16 + h.n : undefined;
}

/** Headers a candidate must chain through (or reach the end marker or the file's end) to
 * be taken: data such as kdump page descriptors holds runs of 16 bytes that read as one. */
const RESYNC_CHAIN = 16;

async function chains(inner: ByteSource, at: number): Promise<boolean> {
  for (let k = 0; k < RESYNC_CHAIN; k++) {
    const h = await inner.read(at, 16);
    if (h.length === 0) return true;
    const step = soundHeader(h, 0, at, inner.size);
    if (step === undefined) return false;
    if (step === 0) return true;
    at += step;
  }
  return true;
}

/** The first position from `from` holding a sound header that chains on (see RESYNC_CHAIN). */
async function resync(inner: ByteSource, from: number): Promise<number | undefined> {
  for (let base = from; base < inner.size && base - from < RESYNC_MAX; base += RESYNC_CHUNK) {
    const b = await inner.read(base, RESYNC_CHUNK + 16);
    for (let i = 0; i + 16 <= b.length && i < RESYNC_CHUNK; i++) {
      const step = soundHeader(b, i, base + i, inner.size);
      if (step === undefined || step === 0) continue;
      if (await chains(inner, base + i)) return base + i;
    }
  }
  return undefined;
}

export class FlatSource implements ByteSource {
  private readonly order: Uint32Array;
  /** reach[k]: the furthest end of the records order[0..k] (a read walks back only while one could reach it). */
  private readonly reach: Float64Array;
  private constructor(private readonly inner: ByteSource, private readonly dest: Float64Array, private readonly src: Float64Array,
    private readonly len: Float64Array, readonly size: number) {
    // By destination, equal ones in stream order (sortkeys.ts: a native sort, not a comparator per pair).
    const hi = new Uint32Array(dest.length), lo = new Uint32Array(dest.length);
    dest.forEach((d, i) => { hi[i] = Math.floor(d / 2 ** 32); lo[i] = d % 2 ** 32; });
    this.order = sortByKey(range(dest.length), hi, lo);
    this.reach = new Float64Array(dest.length);
    for (let k = 0, m = 0; k < dest.length; k++) { const i = this.order[k]!; m = Math.max(m, dest[i]! + len[i]!); this.reach[k] = m; }
  }
  get path(): string { return this.inner.path; }
  get bytesRead(): number { return this.inner.bytesRead; }
  get records(): number { return this.dest.length; }

  static async index(inner: ByteSource, problems: Problem[]): Promise<FlatSource> {
    const head = await inner.read(0, 16);
    if (!isFlattened(head)) throw new FormatError(inner.path, 0, 'no makedumpfile flattened signature');
    const dest: number[] = [];
    const src: number[] = [];
    const len: number[] = [];
    let pos = FLAT_HEADER_SIZE;
    let win: Uint8Array = new Uint8Array(0);
    let winPos = 0;
    let size = 0;
    let lastLen = 0;
    for (;;) {
      if (dest.length >= MAX_RECORDS) throw new FormatError(inner.path, pos, `more than ${MAX_RECORDS} flattened records`);
      // Only the 16-byte headers are needed: after a record of SMALL_RECORD bytes or more,
      // read just the next header (seeking over the data); through tiny records, a window.
      if (pos < winPos || pos + 16 > winPos + win.length) {
        const want = lastLen >= SMALL_RECORD ? 16 : WINDOW;
        win = inner.readSync ? inner.readSync(pos, want) : await inner.read(pos, want);
        winPos = pos;
      }
      if (pos + 16 > winPos + win.length) { problems.push({ path: inner.path, offset: pos, message: 'flattened stream ends without its end marker' }); break; }
      const h = recordHeader(win, pos - winPos)!;
      if (h === 'end') break;
      const { off, n } = h;
      if (!sound(h, pos, inner.size, 0)) {
        // Damage stays local: find the next record whose header, and the one after it, are
        // sound, and go on from there (the records after the damage still hold the log).
        const next = await resync(inner, pos + 1);
        problems.push({ path: inner.path, offset: pos, message: `bad flattened record header (offset ${off}, size ${n}); ${next === undefined ? 'no sound record after it' : `records read again from +0x${next.toString(16)}`}` });
        if (next === undefined) break;
        pos = next;
        lastLen = 0;
        win = new Uint8Array(0);
        continue;
      }
      dest.push(off); src.push(pos + 16); len.push(n);
      size = Math.max(size, off + n);
      pos += 16 + n;
      lastLen = n;
    }
    return new FlatSource(inner, Float64Array.from(dest), Float64Array.from(src), Float64Array.from(len), size);
  }

  async read(pos: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - pos));
    const out = new Uint8Array(want);
    const end = pos + want;
    // last entry with dest < end, then walk back while an entry could still reach pos
    let lo = 0, hi = this.order.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (this.dest[this.order[m]!]! < end) lo = m + 1; else hi = m; }
    const hits: number[] = [];
    for (let k = lo - 1; k >= 0 && this.reach[k]! > pos; k--) {
      const i = this.order[k]!;
      if (this.dest[i]! + this.len[i]! > pos) hits.push(i);
    }
    hits.sort((a, b) => a - b); // later records overwrite earlier ones, as in the real file
    for (const i of hits) {
      const s = Math.max(pos, this.dest[i]!);
      const e = Math.min(end, this.dest[i]! + this.len[i]!);
      const b = await this.inner.read(this.src[i]! + (s - this.dest[i]!), e - s);
      out.set(b, s - pos);
    }
    return out;
  }
}
