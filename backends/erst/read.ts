// An ERST store (QEMU's acpi-erst backing file, read by its map) or any other file of raw
// CPER records (an NVRAM dump, concatenated records), found by their "CPER" signature;
// each valid record is skipped whole so data inside it is never taken for a record.
import type { ReadContext, Yielded } from '../../src/backend.js';
import { parseCperRecord, looksLikeCper, type CperRecord, type CperSection } from '../../src/cper/record.js';
import { decodeSection, isDmesgSection } from '../../src/cper/sections.js';
import { readSmallOrReport } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { joinDumps, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader, type DmesgHeader } from '../../src/pstore/header.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { CPER_RECORD_HEADER } from '../../src/cper/layout.js';
import { MAX_INFLATED_BYTES, MAX_STORE_BYTES } from './layout.js';
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
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: CperRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const at = buf.indexOf(SIGNATURE, pos);
    if (at < 0) break;
    pos = at + SIGNATURE.length;
    if (!looksLikeCper(bytes, at)) continue;
    try {
      const whole = parseCperRecord(bytes, at, path);
      const next = recordBetween(buf, at + CPER_RECORD_HEADER.size, at + whole.length);
      const rec = next === undefined ? whole : parseCperRecord(bytes.subarray(0, next), at, path, 0, `the record at 0x${next.toString(16)}`);
      out.push(rec);
      pos = Math.max(pos, at + rec.length);
    } catch (err) {
      ctx.problem({ path, offset: at, message: `CPER record: ${err instanceof FormatError ? err.detail : messageOf(err)}` });
    }
  }
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
  const bytes = await readSmallOrReport(path, MAX_STORE_BYTES, ctx);
  if (!bytes) return;
  const parts: ErstDmesgPart[] = [];
  const records = (isQemuStore(bytes) ? qemuStoreRecords(bytes, path, ctx) : undefined) ?? scanCperRecords(bytes, path, ctx);
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
