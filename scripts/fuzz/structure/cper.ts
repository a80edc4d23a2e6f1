// CPER records (include/linux/cper.h) wherever they are: an ERST store (QEMU's acpi-erst
// backing file: header, map, one record per slot), raw records back to back, and the
// generic error status blocks of ACPI BERT (include/acpi/actbl1.h). Lies in the record
// header (record_length, section_count), a section descriptor (offset, length, type),
// the store's header and map, or a status block's data_length and error_data_length.
import { CPER_RECORD_HEADER, CPER_SECTION_DESCRIPTOR, ACPI_HEST_GENERIC_DATA, ACPI_HEST_GENERIC_STATUS, GUIDS } from '../../../src/cper/layout.js';
import { guidBytes } from '../../../src/cper/guid.js';
import { looksLikeCper } from '../../../src/cper/record.js';
import { looksLikeEstatus } from '../../../src/cper/estatus.js';
import { QEMU_ERST_HEADER, QEMU_ERST_MAGIC } from '../../../backends/erst/layout.js';
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU16, lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

/** ERST stores and BERT regions are small; read at most this much to find the records. */
const MAX_SCAN_BYTES = 64 << 20;
const SECTION_GUIDS = [GUIDS.SECTION_DMESG, GUIDS.SECTION_DMESG_Z, GUIDS.SECTION_MCE, GUIDS.SEC_PLATFORM_MEM, GUIDS.SEC_PROC_GENERIC, '00000000-0000-0000-0000-000000000000'];

const H = CPER_RECORD_HEADER.offsets;
const D = CPER_SECTION_DESCRIPTOR.offsets;

function records(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let at = bytes.indexOf('CPER'); at >= 0 && out.length < 4096; at = bytes.indexOf('CPER', at + 4)) if (looksLikeCper(bytes, at)) out.push(at);
  return out;
}

function lieInRecord(edit: FileEdit, bytes: Buffer, at: number, rng: Rng, slot: number | undefined): string {
  const len = bytes.readUInt32LE(at + H.record_length);
  const count = bytes.readUInt16LE(at + H.section_count);
  const bounds = [CPER_RECORD_HEADER.size, CPER_RECORD_HEADER.size + count * CPER_SECTION_DESCRIPTOR.size, bytes.length - at, ...(slot ? [slot] : [])];
  const desc = (i: number) => at + CPER_RECORD_HEADER.size + i * CPER_SECTION_DESCRIPTOR.size;
  const i = rng.int(Math.max(1, Math.min(count, 8)));
  const d = desc(i);
  const secOff = d + 8 <= bytes.length ? bytes.readUInt32LE(d + D.section_offset) : 0;
  const secLen = d + 8 <= bytes.length ? bytes.readUInt32LE(d + D.section_length) : 0;
  switch (rng.int(8)) {
    case 0: { const v = lieU32(rng, len, bounds); edit.u32(at + H.record_length, v); return `record at 0x${at.toString(16)}: record_length ${len} -> ${v}`; }
    case 1: { const v = lieU16(rng, count, [0, 2, 255, 256, 257]); edit.u16(at + H.section_count, v); return `record at 0x${at.toString(16)}: section_count ${count} -> ${v}`; }
    case 2: { const v = lieU32(rng, secOff, [0, CPER_RECORD_HEADER.size, len, len - secLen]); edit.u32(d + D.section_offset, v); return `record at 0x${at.toString(16)}: section ${i} offset ${secOff} -> ${v}`; }
    case 3: case 4: { const v = lieU32(rng, secLen, [len - secOff, len, (slot ?? len) - secOff, bytes.length - at - secOff]); edit.u32(d + D.section_length, v); return `record at 0x${at.toString(16)}: section ${i} length ${secLen} -> ${v}`; }
    case 5: { const g = rng.pick(SECTION_GUIDS); edit.write(d + D.section_type, guidBytes(g)); return `record at 0x${at.toString(16)}: section ${i} type -> ${g}`; }
    case 6: { const v = lieU32(rng, 0, [3, 4]); edit.u32(rng.chance(0.5) ? d + D.section_severity : at + H.error_severity, v); return `record at 0x${at.toString(16)}: severity -> ${v}`; }
    default: { const v = lieU64(rng, bytes.readBigUInt64LE(at + H.record_id)); edit.u64(at + H.record_id, v); return `record at 0x${at.toString(16)}: record_id -> ${v}`; }
  }
}

function lieInStore(edit: FileEdit, bytes: Buffer, rng: Rng): string {
  const O = QEMU_ERST_HEADER.offsets;
  const size = bytes.readUInt32LE(O.record_size);
  const storage = bytes.readUInt32LE(O.storage_offset);
  switch (rng.int(3)) {
    case 0: { const v = lieU32(rng, size, [4096, bytes.length, storage]); edit.u32(O.record_size, v); return `ERST store record_size ${size} -> ${v}`; }
    case 1: { const v = lieU32(rng, storage, [size, bytes.length, QEMU_ERST_HEADER.size]); edit.u32(O.storage_offset, v); return `ERST store storage_offset ${storage} -> ${v}`; }
    default: {
      const slots = Math.max(1, Math.floor((storage - QEMU_ERST_HEADER.size) / 8));
      const k = rng.int(Math.min(slots, 64));
      const at = QEMU_ERST_HEADER.size + k * 8;
      const other = QEMU_ERST_HEADER.size + rng.int(Math.min(slots, 8)) * 8;
      const v = rng.chance(0.5) ? bytes.readBigUInt64LE(other) : lieU64(rng, bytes.readBigUInt64LE(at));
      edit.u64(at, v);
      return `ERST store map[${k}] -> ${v}`;
    }
  }
}

function lieInEstatus(edit: FileEdit, bytes: Buffer, rng: Rng): string {
  // The status blocks back to back (bert.c); pick one, then a field of it or of one of its sections.
  const blocks: number[] = [];
  for (let pos = 0; blocks.length < 64 && pos + ACPI_HEST_GENERIC_STATUS.size <= bytes.length && looksLikeEstatus(bytes, pos, false);) {
    blocks.push(pos);
    const next = ACPI_HEST_GENERIC_STATUS.size + bytes.readUInt32LE(pos + ACPI_HEST_GENERIC_STATUS.offsets.data_length);
    if (next <= 0 || pos + next > bytes.length) break;
    pos += next;
  }
  const at = rng.pick(blocks.length ? blocks : [0]);
  const S = ACPI_HEST_GENERIC_STATUS.offsets;
  const G = ACPI_HEST_GENERIC_DATA.offsets;
  const dataLen = bytes.readUInt32LE(at + S.data_length);
  const sections: number[] = [];
  for (let p = at + ACPI_HEST_GENERIC_STATUS.size; sections.length < 16 && p + ACPI_HEST_GENERIC_DATA.size <= Math.min(bytes.length, at + ACPI_HEST_GENERIC_STATUS.size + dataLen);) {
    sections.push(p);
    const v3 = bytes.readUInt16LE(p + G.revision) >> 8 >= 3;
    p += ACPI_HEST_GENERIC_DATA.size + (v3 ? 8 : 0) + bytes.readUInt32LE(p + G.error_data_length);
  }
  const s = sections.length ? rng.pick(sections) : at + ACPI_HEST_GENERIC_STATUS.size;
  const left = bytes.length - at;
  switch (rng.int(6)) {
    case 0: { const v = lieU32(rng, dataLen, [left, left - ACPI_HEST_GENERIC_STATUS.size, ACPI_HEST_GENERIC_DATA.size]); edit.u32(at + S.data_length, v); return `status block at 0x${at.toString(16)}: data_length ${dataLen} -> ${v}`; }
    case 1: { const v = lieU32(rng, bytes.readUInt32LE(at + S.raw_data_offset), [left, ACPI_HEST_GENERIC_STATUS.size + dataLen]); edit.u32(at + S.raw_data_offset, v); edit.u32(at + S.raw_data_length, lieU32(rng, 0, [left])); return `status block at 0x${at.toString(16)}: raw data -> offset ${v}`; }
    case 2: case 3: { const cur = s + 4 <= bytes.length ? bytes.readUInt32LE(s + G.error_data_length) : 0; const v = lieU32(rng, cur, [dataLen, left, dataLen - ACPI_HEST_GENERIC_DATA.size]); edit.u32(s + G.error_data_length, v); return `section at 0x${s.toString(16)}: error_data_length ${cur} -> ${v}`; }
    case 4: { const v = rng.pick([0x0300, 0x0201, 0xff00, 0]); edit.u16(s + G.revision, v); return `section at 0x${s.toString(16)}: revision -> 0x${v.toString(16)}`; }
    default: { const g = rng.pick(SECTION_GUIDS); edit.write(s + G.section_type, guidBytes(g)); return `section at 0x${s.toString(16)}: type -> ${g}`; }
  }
}

export const cper: StructureMutator = {
  id: 'cper',
  scope: 'file',
  weight: 2,
  fits: (_path, head) => {
    const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
    return b.subarray(0, 8).toString('latin1') === QEMU_ERST_MAGIC || looksLikeEstatus(head, 0, false) || records(b).length > 0;
  },
  async mutate({ edit, rng }) {
    if (!edit || edit.size > MAX_SCAN_BYTES) return undefined;
    const bytes = edit.read(0, edit.size);
    const store = bytes.subarray(0, 8).toString('latin1') === QEMU_ERST_MAGIC;
    if (store && rng.chance(0.25)) return lieInStore(edit, bytes, rng);
    const recs = records(bytes);
    if (recs.length) {
      const slot = store ? bytes.readUInt32LE(QEMU_ERST_HEADER.offsets.record_size) : undefined;
      return lieInRecord(edit, bytes, rng.pick(recs), rng, slot);
    }
    if (looksLikeEstatus(bytes, 0, false)) return lieInEstatus(edit, bytes, rng);
    return undefined;
  },
};
