// Reading an mtdoops partition image by position: headers at record boundaries, records
// ordered oldest-first by seq (with wrap-around), text up to the first erased/NUL byte.
// Two walks: one over the headers (kept as numbers, 8 bytes a record), then the records in
// seq order through a read window, each record's messages given out as it is read.
import type { ReadContext, Yielded } from '../../src/backend.js';
import { imageFiles, InputFile } from '../../src/input/file.js';
import { ReadWindow } from '../../src/input/window.js';
import { messageBatches } from '../../src/kmsg/batches.js';
import { pushRecordLines } from '../../src/kmsg/record-lines.js';
import { getSafeBound } from '../../src/util/errors.js';
import { ERASED_SEQ, isMtdoopsMagic, MTDOOPS_KERNMSG_MAGIC_V2, MTDOOPS_MAX_RECORD, MTDOOPS_MIN_RECORD, MTDOOPS_V1_HEADER_SIZE, mtdoopsHdrV2 } from './layout.js';

const SCAN_CHUNK = 1 << 20;
/** Record headers indexed; past this the rest of the image is not read, and a problem says so. */
const MAX_RECORDS = 1 << 20;

/** The headers of an image in file order: where each is, its seq, whether it is v2. */
interface Headers {
  /** Offset / MTDOOPS_MIN_RECORD: headers lie on 4 KiB boundaries. */
  slot: Uint32Array;
  seq: Uint32Array;
  v2: Uint8Array;
  n: number;
}

export interface MtdoopsRecord {
  offset: number;
  seq: number;
  headerSize: number;
  /** End of this record's extent in the image. */
  end: number;
}

function numberOption(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v.trim());
  return undefined;
}

function grow(h: Headers): void {
  const cap = Math.min(MAX_RECORDS, h.slot.length * 2);
  const more = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const b = make(cap);
    b.set(a);
    return b;
  };
  h.slot = more(h.slot, (n) => new Uint32Array(n));
  h.seq = more(h.seq, (n) => new Uint32Array(n));
  h.v2 = more(h.v2, (n) => new Uint8Array(n));
}

/** Every seq/magic header in the image, at the least record size mtdoops allows (4 KiB). */
async function scanHeaders(f: ReadWindow, ctx: ReadContext): Promise<Headers> {
  const h: Headers = { slot: new Uint32Array(1024), seq: new Uint32Array(1024), v2: new Uint8Array(1024), n: 0 };
  for (let pos = 0; pos < f.size; pos += SCAN_CHUNK) {
    const buf = await f.read(pos, SCAN_CHUNK);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i + 16 <= buf.length; i += MTDOOPS_MIN_RECORD) {
      const seq = dv.getUint32(i, true);
      const magic = dv.getUint32(i + 4, true);
      if (seq === ERASED_SEQ || !isMtdoopsMagic(magic)) continue;
      if (h.n === MAX_RECORDS) {
        ctx.problem({ path: f.path, offset: pos + i, message: `more than ${MAX_RECORDS} mtdoops records: the image is read up to here` });
        return h;
      }
      if (h.n === h.slot.length) grow(h);
      h.slot[h.n] = (pos + i) / MTDOOPS_MIN_RECORD;
      h.seq[h.n] = seq;
      h.v2[h.n++] = magic === MTDOOPS_KERNMSG_MAGIC_V2 ? 1 : 0;
    }
  }
  return h;
}

const offsetOf = (h: Headers, i: number) => h.slot[i]! * MTDOOPS_MIN_RECORD;

/**
 * A record_size given on the command line, checked against the image: mtdoops writes
 * every record at a multiple of record_size (drivers/mtd/mtdoops.c mtdoops_write), so a
 * header off that grid, or a record's text running on past record_size into bytes that
 * are neither erased nor a header, says the value is wrong. Then records are read header
 * to header, as when none is given, and the problem says so.
 */
async function checkedRecordSize(f: ReadWindow, ctx: ReadContext, h: Headers): Promise<number | undefined> {
  const given = numberOption(ctx.options['record_size']);
  if (given === undefined) return undefined;
  const step = getSafeBound(given, MTDOOPS_MAX_RECORD, 'record_size', f.path, 0);
  const wrong = (offset: number, why: string) => {
    ctx.problem({ path: f.path, offset, message: `record_size 0x${step.toString(16)} does not fit this image: ${why}; records read header to header instead` });
    return undefined;
  };
  if (step < MTDOOPS_MIN_RECORD || step % MTDOOPS_MIN_RECORD !== 0) return wrong(0, `mtdoops takes a multiple of 0x${MTDOOPS_MIN_RECORD.toString(16)}`);
  for (let i = 0; i < h.n; i++) {
    if (offsetOf(h, i) % step !== 0) return wrong(offsetOf(h, i), `a record header at +0x${offsetOf(h, i).toString(16)} lies inside a record`);
  }
  for (let i = 0; i < h.n; i++) {
    const at = offsetOf(h, i) + step;
    const next = i + 1 < h.n ? offsetOf(h, i + 1) : f.size;
    if (at >= next) continue;
    const b = await f.read(at, 1);
    if (b.length === 1 && b[0] !== 0xff && b[0] !== 0) return wrong(at, `record ${h.seq[i]}'s text runs on past +0x${at.toString(16)}`);
  }
  return step;
}

/** Header indices oldest first: the newest is the highest seq, where a small seq after 0xc0000000 has wrapped. */
export function orderBySeq(seqs: Uint32Array, n: number): Uint32Array {
  let high = false;
  let low = false;
  for (let i = 0; i < n; i++) {
    high ||= seqs[i]! > 0xc0000000;
    low ||= seqs[i]! < 0x40000000;
  }
  const wrapped = high && low;
  const key = (seq: number) => (wrapped && seq < 0x40000000 ? seq + 2 ** 32 : seq);
  // Headers are in file order: the index breaks ties by offset.
  return Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => key(seqs[a]!) - key(seqs[b]!) || a - b);
}

/** The records of the image, oldest first, each reaching the next header (or its record_size, or the end). */
export async function* findRecords(f: ReadWindow, ctx: ReadContext): AsyncGenerator<MtdoopsRecord> {
  const h = await scanHeaders(f, ctx);
  const step = await checkedRecordSize(f, ctx, h);
  if (h.n === 0) ctx.problem({ path: f.path, offset: 0, message: 'no mtdoops record (seq/magic 0x5d005e00 header) found' });
  for (const i of orderBySeq(h.seq, h.n)) {
    const offset = offsetOf(h, i);
    const next = i + 1 < h.n ? offsetOf(h, i + 1) : f.size;
    const end = Math.min(next, step !== undefined ? offset + step : next, offset + MTDOOPS_MAX_RECORD);
    yield { offset, seq: h.seq[i]!, headerSize: h.v2[i] ? mtdoopsHdrV2.size : MTDOOPS_V1_HEADER_SIZE, end };
  }
}

/** The text of a record: up to the first 0xff (erased) or NUL. */
export async function recordText(f: ReadWindow, r: MtdoopsRecord): Promise<Uint8Array> {
  const body = await f.read(r.offset + r.headerSize, Math.max(0, r.end - r.offset - r.headerSize));
  let n = body.indexOf(0xff);
  if (n < 0) n = body.length;
  const nul = body.subarray(0, n).indexOf(0);
  return body.subarray(0, nul < 0 ? n : nul);
}

async function* readImage(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const f = await InputFile.open(path);
  try {
    const win = new ReadWindow(f);
    for await (const r of findRecords(win, ctx)) {
      const text = await recordText(win, r);
      if (text.length === 0) ctx.problem({ path, offset: r.offset, message: `mtdoops record ${r.seq}: empty` });
      const source = { backend: 'mtdoops', path, offset: r.offset + r.headerSize, id: `mtdoops-${r.seq}` };
      // The pipeline's line sink takes the lines unmade: most of a large partition is let go (thin.ts).
      if (ctx.lines) pushRecordLines(text, source, ctx.lines);
      else yield* messageBatches(text, source);
    }
  } finally {
    await f.close();
  }
}

function isImage(head: Uint8Array): boolean {
  return head.length === 8 && isMtdoopsMagic(new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true));
}

/** An image file, or a directory holding image files (each recognized by its first header). */
export async function* readMtdoops(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const files = await imageFiles(path, 8, isImage);
  for (const file of files) yield* readImage(file, ctx);
}
