// One CPER record: header, section descriptors, section bytes (include/linux/cper.h;
// drivers/firmware/efi/cper.c). Lengths that lie are damage, not the end of the record:
// a record_length past the bytes its slot or file holds is read as far as they go, a
// section_count past the record's room reads the descriptors that fit, and a section
// whose length runs past the record gives the bytes up to the record's end; each is a
// problem naming the field's file offset, and the record's other sections are still read.
import { Cursor } from '../util/cursor.js';
import { FormatError } from '../util/errors.js';
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
  /** The section's data: all of it, or as much as its record holds when `problem` says it is cut. */
  bytes?: Uint8Array;
  problem?: string;
  /** File offset the problem is about (the field that lies), when not `offset`. */
  problemOffset?: number;
}

/** Damage of a record as a whole (its length, its section count), at the field's file offset. */
export interface CperDamage {
  offset: number;
  message: string;
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
  /** Damage of the record as a whole: lengths and counts that lie. */
  problems: CperDamage[];
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
 * Parse the record at `at` in `bytes` (`base` = file offset of bytes[0]; the record may
 * use the bytes up to the end of `bytes`, which `bound` names: its slot, the next record,
 * the file). Throws a FormatError
 * only when there is no record header at `at`; any other damage is kept in `problems`
 * (the record's) or a section's `problem`.
 */
export function parseCperRecord(bytes: Uint8Array, at: number, path: string, base = 0, bound = 'the file'): CperRecord {
  if (!looksLikeCper(bytes, at)) throw new FormatError(path, base + at, 'no CPER record header here (signature "CPER" ... 0xffffffff)');
  const c = new Cursor(bytes, path, base).seek(at);
  const h = CPER_RECORD_HEADER.read(c);
  const where = (field: keyof typeof CPER_RECORD_HEADER.offsets) => base + at + CPER_RECORD_HEADER.offsets[field];
  const available = Math.min(MAX_CPER_RECORD_BYTES, bytes.length - at);
  const problems: CperDamage[] = [];
  let count = h.section_count;
  if (count > MAX_CPER_SECTIONS) {
    problems.push({ offset: where('section_count'), message: `section_count ${count} is more than ${MAX_CPER_SECTIONS}; the first ${MAX_CPER_SECTIONS} are read` });
    count = MAX_CPER_SECTIONS;
  }
  let length = h.record_length;
  if (length > available) {
    problems.push({ offset: where('record_length'), message: `record_length ${length} runs past ${bound} (${available} bytes from the record's start); its sections are read within those` });
    length = available;
  } else if (length < CPER_RECORD_HEADER.size + count * CPER_SECTION_DESCRIPTOR.size) {
    problems.push({ offset: where('record_length'), message: `record_length ${length} is shorter than the header and ${count} section descriptors; read as far as ${bound} (${available} bytes)` });
    length = available;
  }
  const room = Math.floor((length - CPER_RECORD_HEADER.size) / CPER_SECTION_DESCRIPTOR.size);
  if (count > room) {
    problems.push({ offset: where('section_count'), message: `${count} section descriptors need ${CPER_RECORD_HEADER.size + count * CPER_SECTION_DESCRIPTOR.size} bytes, the record has ${length}; the ${room} that fit are read` });
    count = room;
  }
  const descEnd = CPER_RECORD_HEADER.size + count * CPER_SECTION_DESCRIPTOR.size;
  const creator = guidString(h.creator_id);
  const rec: CperRecord = {
    offset: base + at,
    length,
    recordId: h.record_id,
    severity: severityName(h.error_severity),
    creator,
    notification: guidString(h.notification_type),
    sections: [],
    problems,
  };
  if (h.validation_bits & VALID_TIMESTAMP || creator === GUIDS.CREATOR_PSTORE) {
    // pstore's ERST writer stores plain seconds here (erst.c erst_writer: ktime_get_real_seconds()).
    const t = creator === GUIDS.CREATOR_PSTORE ? (h.timestamp > 0n && h.timestamp < 1n << 40n ? new Date(Number(h.timestamp) * 1000) : undefined) : cperTimestamp(h.timestamp);
    if (t) rec.time = t;
  }
  for (let i = 0; i < count; i++) {
    const descAt = c.pos;
    const d = CPER_SECTION_DESCRIPTOR.read(c);
    const s: CperSection = { type: guidString(d.section_type), severity: severityName(d.section_severity), fruText: d.fru_text, offset: base + at + d.section_offset };
    const field = (name: 'section_offset' | 'section_length') => base + descAt + CPER_SECTION_DESCRIPTOR.offsets[name];
    if (d.section_offset < descEnd || d.section_offset > length) {
      s.problem = `section ${i}: section_offset ${d.section_offset} lies outside the record's ${length} bytes (its data would start after the ${descEnd} bytes of header and descriptors)`;
      s.problemOffset = field('section_offset');
    } else {
      const end = Math.min(length, d.section_offset + d.section_length);
      if (end < d.section_offset + d.section_length) {
        s.problem = `section ${i}: section_length ${d.section_length} runs past the record's end (${length} bytes); the ${end - d.section_offset} bytes up to it are read`;
        s.problemOffset = field('section_length');
      }
      s.bytes = bytes.subarray(at + d.section_offset, at + end);
    }
    rec.sections.push(s);
  }
  return rec;
}
