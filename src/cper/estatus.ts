// Generic error status blocks (ACPI HEST/BERT): struct acpi_hest_generic_status followed by
// acpi_hest_generic_data entries, each a CPER section (include/acpi/actbl1.h;
// drivers/acpi/apei/ghes.c, bert.c bert_print_all(); cper.c cper_estatus_len()). The
// kernel's cper_estatus_check() drops a block whose lengths disagree; here a length that
// runs past the region or the block is damage to report and read around: the block is read
// as far as the region goes, and a section longer than what is left gives the bytes left
// (the sections after it cannot be found: each starts where the one before it ends).
import { Cursor } from '../util/cursor.js';
import { guidString } from './guid.js';
import { ACPI_HEST_GENERIC_DATA, ACPI_HEST_GENERIC_STATUS, GENERIC_DATA_V3_EXTRA, type CperSeverity } from './layout.js';
import { cperTimestamp, severityName, type CperDamage, type CperSection } from './record.js';

export const MAX_ESTATUS_SECTIONS = 256;
/** ACPI_HEST_GEN_VALID_TIMESTAMP */
const GDATA_VALID_TIMESTAMP = 0x4;
/** block_status bits 14..31 are reserved (ACPI 6.x table 18-391). */
const BLOCK_STATUS_RESERVED = 0xffffc000;

export interface ErrorStatusBlock {
  offset: number;
  /** Bytes the block takes, as cper_estatus_len() counts them. */
  length: number;
  blockStatus: number;
  severity: CperSeverity;
  sections: (CperSection & { time?: Date })[];
  /** Damage of the block's own header (its lengths), at the field's file offset. */
  problems: CperDamage[];
}

/** Generic data revisions ACPI defines: 0x0201 (ACPI 5/6.0) and 0x0300 (6.1+, with a time stamp); majors above are not ours. */
const MAX_GDATA_MAJOR = 3;

/**
 * Is this a plausible status block header? `strict` (probes) also checks the first
 * section header, but not its length: a section length that lies is damage the reader
 * reports, not a reason to take the region for something else.
 */
export function looksLikeEstatus(bytes: Uint8Array, at = 0, strict = true): boolean {
  if (at + ACPI_HEST_GENERIC_STATUS.size + ACPI_HEST_GENERIC_DATA.size > bytes.length) return false;
  const s = ACPI_HEST_GENERIC_STATUS.read(new Cursor(bytes, '').seek(at));
  if (s.block_status === 0 || (s.block_status & BLOCK_STATUS_RESERVED) !== 0 || s.error_severity > 3) return false;
  if (s.data_length < ACPI_HEST_GENERIC_DATA.size) return false;
  if (s.raw_data_offset !== 0 && s.raw_data_offset < ACPI_HEST_GENERIC_STATUS.size + s.data_length) return false;
  if (!strict) return true;
  const g = ACPI_HEST_GENERIC_DATA.read(new Cursor(bytes, '').seek(at + ACPI_HEST_GENERIC_STATUS.size));
  return g.error_severity <= 3 && g.revision >> 8 <= MAX_GDATA_MAJOR;
}

/** Parse the block at `at`. Throws FormatError only if its header does not fit; other damage is kept in `problems` or per section. */
export function parseEstatus(bytes: Uint8Array, at: number, path: string): ErrorStatusBlock {
  const c = new Cursor(bytes, path).seek(at);
  const s = ACPI_HEST_GENERIC_STATUS.read(c);
  const avail = bytes.length - at;
  const field = (name: keyof typeof ACPI_HEST_GENERIC_STATUS.offsets) => at + ACPI_HEST_GENERIC_STATUS.offsets[name];
  const problems: CperDamage[] = [];
  let dataLen = s.data_length;
  if (dataLen > avail - ACPI_HEST_GENERIC_STATUS.size) {
    dataLen = avail - ACPI_HEST_GENERIC_STATUS.size;
    problems.push({ offset: field('data_length'), message: `generic status data_length ${s.data_length} runs past the region's end (${dataLen} bytes left); its sections are read within those` });
  }
  let length = s.raw_data_offset ? s.raw_data_offset + s.raw_data_length : ACPI_HEST_GENERIC_STATUS.size + dataLen;
  if (length > avail) {
    problems.push({ offset: field('raw_data_offset'), message: `status block of ${length} bytes (raw data at ${s.raw_data_offset}+${s.raw_data_length}) runs past the ${avail} bytes left; the region ends the block` });
    length = avail;
  }
  const block: ErrorStatusBlock = { offset: at, length, blockStatus: s.block_status, severity: severityName(s.error_severity), sections: [], problems };
  const data = c.sub(dataLen);
  while (data.remaining > 0) {
    if (block.sections.length >= MAX_ESTATUS_SECTIONS) throw data.error(`more than ${MAX_ESTATUS_SECTIONS} sections`, data.pos);
    const start = data.pos;
    if (data.remaining < ACPI_HEST_GENERIC_DATA.size) {
      block.sections.push({ type: '', severity: 'unknown', fruText: '', offset: data.fileOffset, problem: `${data.remaining} bytes left, too few for a generic data header (${ACPI_HEST_GENERIC_DATA.size})` });
      break;
    }
    const g = ACPI_HEST_GENERIC_DATA.read(data);
    const lengthAt = data.base + start + ACPI_HEST_GENERIC_DATA.offsets.error_data_length;
    const v3 = g.revision >> 8 >= 3;
    const section: ErrorStatusBlock['sections'][number] = { type: guidString(g.section_type), severity: severityName(g.error_severity), fruText: g.fru_text, offset: data.fileOffset };
    if (v3) {
      if (data.remaining < GENERIC_DATA_V3_EXTRA) {
        block.sections.push({ ...section, problem: 'generic data v3 header cut short' });
        break;
      }
      const ts = data.u64();
      const t = g.validation_bits & GDATA_VALID_TIMESTAMP ? cperTimestamp(ts) : undefined;
      if (t) section.time = t;
      section.offset = data.fileOffset;
    }
    if (g.error_data_length > data.remaining) {
      // The section is read as far as the block goes; where a next one would start is unknown.
      const left = data.remaining;
      block.sections.push({ ...section, bytes: data.bytesView(left), problemOffset: lengthAt, problem: `section ${block.sections.length}: error_data_length ${g.error_data_length} runs past the block's data (${left} bytes left); those ${left} bytes are read, and no section after it can be found` });
      break;
    }
    section.bytes = data.bytesView(g.error_data_length);
    block.sections.push(section);
    if (data.pos <= start) break;
  }
  return block;
}
