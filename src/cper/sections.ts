// CPER section bodies → records: struct mce (CPER_SECTION_TYPE_MCE, written by
// arch/x86/kernel/cpu/mce/apei.c) and platform memory errors (cper_sec_mem_err,
// printed by cper.c cper_print_mem). Dmesg sections are the ERST reader's business.
import type { MachineCheck, MemoryError, MemoryLocation, SourceRef } from '../model/index.js';
import { parseStructMce } from '../mce/struct.js';
import { Cursor } from '../util/cursor.js';
import { FormatError } from '../util/errors.js';
import { CPER_SEC_MEM_ERR, CPER_SEC_MEM_ERR_OLD_BYTES, GUIDS, MEM_ERR_TYPES, MEM_EXT, MEM_VALID, type CperSeverity } from './layout.js';

export function memorySeverity(s: CperSeverity): MemoryError['severity'] {
  return s === 'fatal' ? 'fatal' : s === 'recoverable' ? 'uncorrected' : s === 'corrected' ? 'corrected' : 'info';
}

export function parseMemError(bytes: Uint8Array, severity: CperSeverity, source: SourceRef): MemoryError {
  if (bytes.length < CPER_SEC_MEM_ERR_OLD_BYTES) {
    throw new FormatError(source.path, source.offset, `cper_sec_mem_err: expected at least ${CPER_SEC_MEM_ERR_OLD_BYTES} bytes, have ${bytes.length}`);
  }
  const full = new Uint8Array(CPER_SEC_MEM_ERR.size);
  full.set(bytes.subarray(0, CPER_SEC_MEM_ERR.size));
  const m = CPER_SEC_MEM_ERR.read(new Cursor(full, source.path, source.offset ?? 0));
  const valid = (bit: number) => (m.validation_bits & BigInt(bit)) !== 0n;
  const e: MemoryError = { kind: 'memerr', severity: memorySeverity(severity), source };
  if (valid(MEM_VALID.PA)) e.physAddr = m.physical_addr;
  if (valid(MEM_VALID.NODE)) e.node = m.node;
  if (valid(MEM_VALID.CARD)) e.card = m.card;
  if (valid(MEM_VALID.MODULE)) e.module = m.module;
  const detail: string[] = [];
  if (valid(MEM_VALID.ERROR_TYPE)) detail.push(MEM_ERR_TYPES[m.error_type] ?? `error type ${m.error_type}`);
  // cper_print_mem / cper_mem_err_location: a DDR4+ bank is group and address in one u16.
  if (valid(MEM_VALID.BANK)) e.bank = m.bank;
  else if (valid(MEM_VALID.BANK_ADDRESS)) e.bank = m.bank & MEM_EXT.BANK_ADDRESS_MASK;
  if (valid(MEM_VALID.BANK_GROUP)) detail.push(`bank group ${m.bank >> MEM_EXT.BANK_GROUP_SHIFT}`);
  if (valid(MEM_VALID.ROW) || valid(MEM_VALID.ROW_EXT)) {
    e.row = m.row | (valid(MEM_VALID.ROW_EXT) ? (m.extended & MEM_EXT.ROW_MASK) << MEM_EXT.ROW_SHIFT : 0);
  }
  if (valid(MEM_VALID.COLUMN)) e.column = m.column;
  if (valid(MEM_VALID.RANK_NUMBER)) detail.push(`rank ${m.rank}`);
  if (valid(MEM_VALID.CHIP_ID)) detail.push(`chip ${m.extended >> MEM_EXT.CHIP_ID_SHIFT}`);
  // The kernel names the DIMM from SMBIOS by this handle (cper_dimm_err_location: "DIMM
  // location: <bank> <device>"); without the tables, the handle is the name.
  if (valid(MEM_VALID.MODULE_HANDLE)) e.dimm = `DMI handle 0x${m.mem_dev_handle.toString(16).padStart(4, '0')}`;
  const where: MemoryLocation = {};
  if (valid(MEM_VALID.MODULE_HANDLE)) where.dimmHandle = m.mem_dev_handle;
  if (valid(MEM_VALID.CARD_HANDLE)) where.arrayHandle = m.mem_array_handle;
  if (valid(MEM_VALID.DEVICE)) where.device = m.device;
  if (Object.keys(where).length) e.where = where;
  if (detail.length) e.detail = detail.join(', ');
  return e;
}

/** The MachineCheck or MemoryError a section holds, or undefined for section types not decoded. */
export function decodeSection(type: string, bytes: Uint8Array, severity: CperSeverity, source: SourceRef): MachineCheck | MemoryError | undefined {
  if (type === GUIDS.SECTION_MCE) return parseStructMce(bytes, source);
  if (type === GUIDS.SEC_PLATFORM_MEM) return parseMemError(bytes, severity, source);
  return undefined;
}

export function isDmesgSection(type: string): { compressed: boolean } | undefined {
  if (type === GUIDS.SECTION_DMESG) return { compressed: false };
  if (type === GUIDS.SECTION_DMESG_Z) return { compressed: true };
  return undefined;
}
