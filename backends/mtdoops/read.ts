// Reading an mtdoops partition image by position: headers at record boundaries, records
// ordered oldest-first by seq (with wrap-around), text up to the first erased/NUL byte.
import type { ReadContext, Yielded } from '../../src/backend.js';
import { imageFiles, InputFile } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { getSafeBound } from '../../src/util/errors.js';
import { ERASED_SEQ, isMtdoopsMagic, MTDOOPS_KERNMSG_MAGIC_V2, MTDOOPS_MAX_RECORD, MTDOOPS_MIN_RECORD, MTDOOPS_V1_HEADER_SIZE, mtdoopsHdrV2 } from './layout.js';

const SCAN_CHUNK = 1 << 20;
const MAX_RECORDS = 1 << 20;

export interface MtdoopsRecord {
  offset: number;
  seq: number;
  version: 1 | 2;
  time?: Date;
  headerSize: number;
  /** End of this record's extent in the image. */
  end: number;
}

function numberOption(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** Every seq/magic header in the image, at the least record size mtdoops allows (4 KiB). */
async function scanHeaders(f: InputFile): Promise<MtdoopsRecord[]> {
  const found: MtdoopsRecord[] = [];
  const step = MTDOOPS_MIN_RECORD;
  for (let pos = 0; pos < f.size && found.length < MAX_RECORDS; pos += SCAN_CHUNK) {
    const buf = await f.read(pos, SCAN_CHUNK);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let i = 0; i + 16 <= buf.length; i += step) {
      const seq = dv.getUint32(i, true);
      const magic = dv.getUint32(i + 4, true);
      if (seq === ERASED_SEQ || !isMtdoopsMagic(magic)) continue;
      const v2 = magic === MTDOOPS_KERNMSG_MAGIC_V2;
      const rec: MtdoopsRecord = { offset: pos + i, seq, version: v2 ? 2 : 1, headerSize: v2 ? mtdoopsHdrV2.size : MTDOOPS_V1_HEADER_SIZE, end: 0 };
      if (v2) {
        const ns = dv.getBigInt64(i + 8, true);
        const ms = Number(ns / 1_000_000n);
        if (Number.isSafeInteger(ms) && ms > 0) rec.time = new Date(ms);
      }
      found.push(rec);
    }
  }
  return found;
}

/**
 * A record_size given on the command line, checked against the image: mtdoops writes
 * every record at a multiple of record_size (drivers/mtd/mtdoops.c mtdoops_write), so a
 * header off that grid, or a record's text running on past record_size into bytes that
 * are neither erased nor a header, says the value is wrong. Then records are read header
 * to header, as when none is given, and the problem says so.
 */
async function checkedRecordSize(f: InputFile, ctx: ReadContext, found: readonly MtdoopsRecord[]): Promise<number | undefined> {
  const given = numberOption(ctx.options['record_size']);
  if (given === undefined) return undefined;
  const step = getSafeBound(given, MTDOOPS_MAX_RECORD, 'record_size', f.path, 0);
  const wrong = (offset: number, why: string) => {
    ctx.problem({ path: f.path, offset, message: `record_size 0x${step.toString(16)} does not fit this image: ${why}; records read header to header instead` });
    return undefined;
  };
  if (step < MTDOOPS_MIN_RECORD || step % MTDOOPS_MIN_RECORD !== 0) return wrong(0, `mtdoops takes a multiple of 0x${MTDOOPS_MIN_RECORD.toString(16)}`);
  const off = found.find((r) => r.offset % step !== 0);
  if (off) return wrong(off.offset, `a record header at +0x${off.offset.toString(16)} lies inside a record`);
  for (let i = 0; i < found.length; i++) {
    const r = found[i]!;
    const next = found[i + 1]?.offset ?? f.size;
    if (r.offset + step >= next) continue;
    const b = await f.read(r.offset + step, 1);
    if (b.length === 1 && b[0] !== 0xff && b[0] !== 0) return wrong(r.offset + step, `record ${r.seq}'s text runs on past +0x${(r.offset + step).toString(16)}`);
  }
  return step;
}

/** Record headers in the image, oldest first. */
export async function findRecords(f: InputFile, ctx: ReadContext): Promise<MtdoopsRecord[]> {
  const found = await scanHeaders(f);
  const step = await checkedRecordSize(f, ctx, found);
  // A record reaches the next header (or its record_size, or the end of the image).
  for (let i = 0; i < found.length; i++) {
    const next = found[i + 1]?.offset ?? f.size;
    found[i]!.end = Math.min(next, step !== undefined ? found[i]!.offset + step : next, found[i]!.offset + MTDOOPS_MAX_RECORD);
  }
  return orderBySeq(found);
}

/** Oldest first: the newest is the highest seq, where a small seq after 0xc0000000 has wrapped. */
export function orderBySeq(recs: MtdoopsRecord[]): MtdoopsRecord[] {
  if (recs.length === 0) return recs;
  const wrapped = recs.some((r) => r.seq > 0xc0000000) && recs.some((r) => r.seq < 0x40000000);
  const key = (seq: number) => (wrapped && seq < 0x40000000 ? seq + 2 ** 32 : seq);
  return recs.slice().sort((a, b) => key(a.seq) - key(b.seq) || a.offset - b.offset);
}

/** The text of a record: up to the first 0xff (erased) or NUL. */
export async function recordText(f: InputFile, r: MtdoopsRecord): Promise<Uint8Array> {
  const body = await f.read(r.offset + r.headerSize, Math.max(0, r.end - r.offset - r.headerSize));
  let n = body.indexOf(0xff);
  if (n < 0) n = body.length;
  const nul = body.subarray(0, n).indexOf(0);
  return body.subarray(0, nul < 0 ? n : nul);
}

async function* readImage(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const f = await InputFile.open(path);
  try {
    const recs = await findRecords(f, ctx);
    if (recs.length === 0) ctx.problem({ path, offset: 0, message: 'no mtdoops record (seq/magic 0x5d005e00 header) found' });
    for (const r of recs) {
      const text = await recordText(f, r);
      if (text.length === 0) ctx.problem({ path, offset: r.offset, message: `mtdoops record ${r.seq}: empty` });
      const source = { backend: 'mtdoops', path, offset: r.offset + r.headerSize, id: `mtdoops-${r.seq}` };
      yield bytesToMessages(text, source);
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
