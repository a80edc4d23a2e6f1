// An ERST store (QEMU's acpi-erst backing file, read by its map) or any other file of raw
// CPER records (an NVRAM dump, concatenated records), found by their "CPER" signature;
// each valid record is skipped whole so data inside it is never taken for a record.
import type { ReadContext, Yielded } from '../../src/backend.js';
import { MAX_CPER_RECORD_BYTES, parseCperRecord, looksLikeCper, type CperRecord, type CperSection } from '../../src/cper/record.js';
import { decodeSection, isDmesgSection } from '../../src/cper/sections.js';
import { readSmallOrReport, withInput } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { joinDumps, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader, type DmesgHeader } from '../../src/pstore/header.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { CPER_RECORD_HEADER } from '../../src/cper/layout.js';
import { MAX_ERST_RECORDS, tooManyRecords } from './bound.js';
import { MAX_INFLATED_BYTES, MAX_STORE_BYTES, QEMU_ERST_HEADER } from './layout.js';
import { isQemuStore, qemuStoreRecords } from './qemu.js';
import { inflateRecord, PSTORE_INFLATE_RATIO } from '../../src/util/inflate.js';

const ID = 'erst';
const SIGNATURE = Buffer.from('CPER', 'latin1');

/** The first record header in `bytes` from `from` to `to`, if any. */
function recordBetween(buf: Buffer, from: number, to: number): number | undefined {
  for (let at = buf.indexOf(SIGNATURE, from); at >= 0 && at < to; at = buf.indexOf(SIGNATURE, at + 1)) if (looksLikeCper(buf, at)) return at;
  return undefined;
}

/**
 * Every CPER record in `bytes`; damage goes to ctx.problem. A record ends where its
 * record_length says, unless another record starts before that: then the length lies,
 * the record is read up to the next one, and the next one is read too.
 */
export function scanCperRecords(bytes: Uint8Array, path: string, ctx: ReadContext): CperRecord[] {
  const out: CperRecord[] = [];
  scanInto(bytes, 0, false, path, ctx, out);
  return out;
}

/**
 * Scan `bytes` (file offset `base`) into `out`. With `more` (the file goes on past them),
 * stop at a record that does not fit in them and return where to read on from (an index
 * in `bytes`); 'end' when nothing more is to be read (the file's end, or the record bound).
 */
function scanInto(bytes: Uint8Array, base: number, more: boolean, path: string, ctx: ReadContext, out: CperRecord[]): number | 'end' {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < buf.length) {
    const at = buf.indexOf(SIGNATURE, pos);
    // A signature may straddle the end of what was read: keep its first bytes.
    if (at < 0) return more ? Math.max(pos, buf.length - SIGNATURE.length + 1) : 'end';
    if (more && at + CPER_RECORD_HEADER.size > buf.length) return at;
    pos = at + SIGNATURE.length;
    if (!looksLikeCper(bytes, at)) continue;
    if (out.length >= MAX_ERST_RECORDS) {
      ctx.problem(tooManyRecords(path, base + at, base + buf.length, more));
      return 'end';
    }
    if (more && at + Math.min(buf.readUInt32LE(at + CPER_RECORD_HEADER.offsets.record_length), MAX_CPER_RECORD_BYTES) > buf.length) return at;
    try {
      const whole = parseCperRecord(bytes, at, path, base);
      const next = recordBetween(buf, at + CPER_RECORD_HEADER.size, at + whole.length);
      const rec = next === undefined ? whole : parseCperRecord(bytes.subarray(0, next), at, path, base, `the record at 0x${(base + next).toString(16)}`);
      out.push(rec);
      pos = Math.max(pos, at + rec.length);
    } catch (err) {
      ctx.problem({ path, offset: base + at, message: `CPER record: ${err instanceof FormatError ? err.detail : messageOf(err)}` });
    }
  }
  return more ? buf.length : 'end';
}

/** Raw records read this much at a time: a file past the record bound is read only up to it. */
const SCAN_CHUNK_BYTES = 4 << 20;

/** The records of a file of raw CPER records, read a chunk at a time (what a record still needs is read with it). */
async function rawRecords(path: string, ctx: ReadContext): Promise<CperRecord[]> {
  const out: CperRecord[] = [];
  await withInput(path, async (f) => {
    let carry: Uint8Array = new Uint8Array(0);
    for (let at = 0; at < f.size;) {
      // A record longer than a chunk (up to MAX_CPER_RECORD_BYTES) is carried over until it fits.
      const chunk = await f.read(at, SCAN_CHUNK_BYTES);
      if (chunk.length === 0) break;
      const bytes = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const base = at - carry.length;
      at += chunk.length;
      const stop = scanInto(bytes, base, at < f.size, path, ctx, out);
      if (stop === 'end') break;
      carry = bytes.subarray(stop);
    }
  });
  return out;
}

/** One dmesg part from an ERST record: the bytes pstore shows for it (header line included). */
export interface ErstDmesgPart {
  record: CperRecord;
  section: CperSection;
  compressed: boolean;
  bytes: Buffer;
  header?: DmesgHeader;
}

export function dmesgPart(record: CperRecord, section: CperSection, path: string, ctx: ReadContext): ErstDmesgPart | undefined {
  const kind = isDmesgSection(section.type);
  if (!kind || !section.bytes) return undefined;
  let bytes = Buffer.from(section.bytes.buffer, section.bytes.byteOffset, section.bytes.byteLength);
  if (kind.compressed) {
    try {
      // The section is the record's whole buffer: it inflates to at most 3x that (util/inflate.ts).
      bytes = inflateRecord(bytes, Math.min(MAX_INFLATED_BYTES, PSTORE_INFLATE_RATIO * Math.max(bytes.length, record.length)), (p) =>
        ctx.problem({ path, offset: section.offset + p.offset, message: `compressed dmesg section: ${p.message}` }));
    } catch (err) {
      ctx.problem({ path, offset: section.offset, message: `compressed dmesg section could not be inflated: ${messageOf(err)}` });
      return undefined;
    }
  }
  const header = parseDmesgHeader(bytes.subarray(0, 64).toString('latin1'));
  return { record, section, compressed: kind.compressed, bytes, ...(header ? { header } : {}) };
}

export async function* readErst(path: string, ctx: ReadContext): AsyncIterable<Yielded> {
  // A QEMU store is read whole (its map says where records are); raw records a chunk at a time.
  let head: { bytes: Uint8Array; size: number };
  try {
    head = await withInput(path, async (f) => ({ bytes: await f.read(0, QEMU_ERST_HEADER.size), size: f.size }));
  } catch (err) {
    ctx.problem({ path, message: `cannot read: ${messageOf(err)}` });
    return;
  }
  const bytes = isQemuStore(head.bytes) || head.size > MAX_STORE_BYTES ? await readSmallOrReport(path, MAX_STORE_BYTES, ctx) : undefined;
  if (!bytes && (isQemuStore(head.bytes) || head.size > MAX_STORE_BYTES)) return;
  const parts: ErstDmesgPart[] = [];
  const records = (bytes ? qemuStoreRecords(bytes, path, ctx) ?? scanCperRecords(bytes, path, ctx) : undefined) ?? (await rawRecords(path, ctx));
  for (const rec of records) {
    const id = rec.recordId.toString();
    for (const p of rec.problems) ctx.problem({ path, offset: p.offset, message: `CPER record ${id} at 0x${rec.offset.toString(16)}: ${p.message}` });
    for (const s of rec.sections) {
      // A section cut short is reported and still read: the record's good bytes are evidence.
      if (s.problem) ctx.problem({ path, offset: s.problemOffset ?? s.offset, message: `CPER record ${id}: ${s.problem}` });
      if (!s.bytes) continue;
      if (isDmesgSection(s.type)) {
        const part = dmesgPart(rec, s, path, ctx);
        if (part) parts.push(part);
        continue;
      }
      try {
        const r = decodeSection(s.type, s.bytes, s.severity, { backend: ID, path, offset: s.offset, id });
        if (!r) continue;
        if (!r.time && rec.time) r.time = rec.time;
        yield r;
      } catch (err) {
        ctx.problem({ path, offset: s.offset, message: messageOf(err) });
      }
    }
  }
  // Records in id order: the order pstore wrote them in (erst_writer), Part1 of a dump first.
  parts.sort((a, b) => (a.record.recordId < b.record.recordId ? -1 : a.record.recordId > b.record.recordId ? 1 : 0));
  const dumpParts = parts.map((p): DumpPart => {
    const start = p.header?.length ?? 0;
    const source = { backend: ID, path, id: p.record.recordId.toString(), ...(p.header ? { part: p.header.part } : {}), ...(p.compressed ? {} : { offset: p.section.offset + start }) };
    const part: DumpPart = { lines: () => bytesToMessages(p.bytes.subarray(start), source), store: 'dmesg-erst' };
    if (p.header) part.header = p.header;
    // The record's timestamp is when pstore wrote it (erst_writer: ktime_get_real_seconds()).
    if (p.record.time) part.time = p.record.time;
    return part;
  });
  yield* joinDumps(dumpParts);
}
