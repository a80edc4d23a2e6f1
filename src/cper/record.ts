// One CPER record: header, section descriptors, section bytes (include/linux/cper.h;
// drivers/firmware/efi/cper.c). A section whose offset or length points outside the record
// is reported on its own; the record's other sections are still given.
import { Cursor } from '../util/cursor.js';
import { FormatError, getSafeBound } from '../util/errors.js';
import { guidString } from './guid.js';
import { CPER_RECORD_HEADER, CPER_SECTION_DESCRIPTOR, CPER_SIG_END, GUIDS, SEVERITIES, type CperSeverity } from './layout.js';

/** ERST stores hold records of a few KiB; firmware records are small too. */
export const MAX_CPER_RECORD_BYTES = 16 * 1024 * 1024;
export const MAX_CPER_SECTIONS = 256;
/** CPER_VALID_TIMESTAMP */
const VALID_TIMESTAMP = 0x2;

export interface CperSection {
  type: string;
  severity: CperSeverity;
  fruText: string;
  /** File offset of the section data. */
  offset: number;
  bytes?: Uint8Array;
  problem?: string;
}

export interface CperRecord {
  /** File offset of the "CPER" signature. */
  offset: number;
  length: number;
  recordId: bigint;
  severity: CperSeverity;
  creator: string;
  notification: string;
  time?: Date;
  sections: CperSection[];
}

export function severityName(n: number): CperSeverity {
  return SEVERITIES[n] ?? 'unknown';
}

/** CPER timestamp: BCD seconds, minutes, hours, flags, day, month, year, century (cper.c cper_print_tstamp). */
export function cperTimestamp(ts: bigint): Date | undefined {
  const b = Array.from({ length: 8 }, (_, i) => Number((ts >> BigInt(i * 8)) & 0xffn));
  const bcd = (x: number) => ((x >> 4) & 0xf) * 10 + (x & 0xf);
  const [sec, min, hour, , day, mon, year, century] = b.map(bcd) as number[];
  if (mon! < 1 || mon! > 12 || day! < 1 || day! > 31 || hour! > 23 || min! > 59 || sec! > 60) return undefined;
  return new Date(Date.UTC(century! * 100 + year!, mon! - 1, day!, hour!, min!, sec!));
}

/** Does `bytes` at `at` start a CPER header (signature, revision end marker)? */
export function looksLikeCper(bytes: Uint8Array, at: number): boolean {
  if (at + CPER_RECORD_HEADER.size > bytes.length) return false;
  if (bytes[at] !== 0x43 || bytes[at + 1] !== 0x50 || bytes[at + 2] !== 0x45 || bytes[at + 3] !== 0x52) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset + at);
  return v.getUint32(CPER_RECORD_HEADER.offsets.signature_end, true) === CPER_SIG_END;
}

/**
 * Parse the record at `at` in `bytes` (`base` = file offset of bytes[0]). Throws a
 * FormatError if the header itself is unusable; section damage is kept per section.
 */
export function parseCperRecord(bytes: Uint8Array, at: number, path: string, base = 0): CperRecord {
  if (!looksLikeCper(bytes, at)) throw new FormatError(path, base + at, 'no CPER record header here (signature "CPER" ... 0xffffffff)');
  const c = new Cursor(bytes, path, base).seek(at);
  const h = CPER_RECORD_HEADER.read(c);
  const available = bytes.length - at;
  const length = getSafeBound(h.record_length, Math.min(MAX_CPER_RECORD_BYTES, available), 'CPER record_length', path, base + at + CPER_RECORD_HEADER.offsets.record_length);
  const count = getSafeBound(h.section_count, MAX_CPER_SECTIONS, 'CPER section_count', path, base + at + CPER_RECORD_HEADER.offsets.section_count);
  const descEnd = CPER_RECORD_HEADER.size + count * CPER_SECTION_DESCRIPTOR.size;
  if (descEnd > length) {
    throw new FormatError(path, base + at, `${count} section descriptors need ${descEnd} bytes, record_length is ${length}`);
  }
  const creator = guidString(h.creator_id);
  const rec: CperRecord = {
    offset: base + at,
    length,
    recordId: h.record_id,
    severity: severityName(h.error_severity),
    creator,
    notification: guidString(h.notification_type),
    sections: [],
  };
  if (h.validation_bits & VALID_TIMESTAMP || creator === GUIDS.CREATOR_PSTORE) {
    // pstore's ERST writer stores plain seconds here (erst.c erst_writer: ktime_get_real_seconds()).
    const t = creator === GUIDS.CREATOR_PSTORE ? (h.timestamp > 0n && h.timestamp < 1n << 40n ? new Date(Number(h.timestamp) * 1000) : undefined) : cperTimestamp(h.timestamp);
    if (t) rec.time = t;
  }
  for (let i = 0; i < count; i++) {
    const d = CPER_SECTION_DESCRIPTOR.read(c);
    const s: CperSection = { type: guidString(d.section_type), severity: severityName(d.section_severity), fruText: d.fru_text, offset: base + at + d.section_offset };
    if (d.section_offset < descEnd || d.section_offset + d.section_length > length) {
      s.problem = `section ${i} (offset ${d.section_offset}, length ${d.section_length}) lies outside the record's ${length} bytes`;
    } else {
      s.bytes = bytes.subarray(at + d.section_offset, at + d.section_offset + d.section_length);
    }
    rec.sections.push(s);
  }
  return rec;
}
