// CPER (UEFI spec appendix N) layouts as the kernel declares them:
//   include/linux/cper.h   struct cper_record_header, cper_section_descriptor,
//                          cper_sec_mem_err, section and creator GUIDs
//   include/acpi/actbl1.h  struct acpi_hest_generic_status, acpi_hest_generic_data(_v300)
// All packed, little-endian.
import { struct } from '../util/struct.js';

export const CPER_SIGNATURE = 'CPER';
export const CPER_SIG_END = 0xffffffff;

export const CPER_RECORD_HEADER = struct('cper_record_header', [
  ['signature', { bytes: 4 }],
  ['revision', 'u16'],
  ['signature_end', 'u32'],
  ['section_count', 'u16'],
  ['error_severity', 'u32'],
  ['validation_bits', 'u32'],
  ['record_length', 'u32'],
  ['timestamp', 'u64'],
  ['platform_id', { bytes: 16 }],
  ['partition_id', { bytes: 16 }],
  ['creator_id', { bytes: 16 }],
  ['notification_type', { bytes: 16 }],
  ['record_id', 'u64'],
  ['flags', 'u32'],
  ['persistence_information', 'u64'],
  ['reserved', { bytes: 12 }],
] as const);

export const CPER_SECTION_DESCRIPTOR = struct('cper_section_descriptor', [
  ['section_offset', 'u32'],
  ['section_length', 'u32'],
  ['revision', 'u16'],
  ['validation_bits', 'u8'],
  ['reserved', 'u8'],
  ['flags', 'u32'],
  ['section_type', { bytes: 16 }],
  ['fru_id', { bytes: 16 }],
  ['section_severity', 'u32'],
  ['fru_text', { cstring: 20 }],
] as const);

/** struct cper_sec_mem_err; firmware of UEFI 2.1 wrote the 73-byte cper_sec_mem_err_old (through error_type). */
export const CPER_SEC_MEM_ERR = struct('cper_sec_mem_err', [
  ['validation_bits', 'u64'],
  ['error_status', 'u64'],
  ['physical_addr', 'u64'],
  ['physical_addr_mask', 'u64'],
  ['node', 'u16'],
  ['card', 'u16'],
  ['module', 'u16'],
  ['bank', 'u16'],
  ['device', 'u16'],
  ['row', 'u16'],
  ['column', 'u16'],
  ['bit_pos', 'u16'],
  ['requestor_id', 'u64'],
  ['responder_id', 'u64'],
  ['target_id', 'u64'],
  ['error_type', 'u8'],
  ['extended', 'u8'],
  ['rank', 'u16'],
  ['mem_array_handle', 'u16'],
  ['mem_dev_handle', 'u16'],
] as const);
export const CPER_SEC_MEM_ERR_OLD_BYTES = CPER_SEC_MEM_ERR.offsets.extended;

/** CPER_MEM_VALID_* (include/linux/cper.h). */
export const MEM_VALID = {
  PA: 0x2, NODE: 0x8, CARD: 0x10, MODULE: 0x20, BANK: 0x40, DEVICE: 0x80, ROW: 0x100, COLUMN: 0x200, ERROR_TYPE: 0x4000,
  RANK_NUMBER: 0x8000, CARD_HANDLE: 0x10000, MODULE_HANDLE: 0x20000, ROW_EXT: 0x40000, BANK_GROUP: 0x80000, BANK_ADDRESS: 0x100000, CHIP_ID: 0x200000,
} as const;
/** UEFI 2.8 `extended`: row bits 17:16 (CPER_MEM_EXT_ROW_*), chip id bits 7:5; bank = group << 8 | address. */
export const MEM_EXT = { ROW_MASK: 0x3, ROW_SHIFT: 16, CHIP_ID_SHIFT: 5, BANK_ADDRESS_MASK: 0xff, BANK_GROUP_SHIFT: 8 } as const;

/** drivers/firmware/efi/cper.c cper_mem_err_type_strs. */
export const MEM_ERR_TYPES = [
  'unknown', 'single-bit ECC', 'multi-bit ECC', 'single-symbol chipkill ECC', 'multi-symbol chipkill ECC',
  'master abort', 'target abort', 'parity error', 'watchdog timeout', 'invalid address', 'mirror Broken',
  'memory sparing', 'scrub corrected error', 'scrub uncorrected error', 'physical memory map-out event',
];

export const ACPI_HEST_GENERIC_STATUS = struct('acpi_hest_generic_status', [
  ['block_status', 'u32'],
  ['raw_data_offset', 'u32'],
  ['raw_data_length', 'u32'],
  ['data_length', 'u32'],
  ['error_severity', 'u32'],
] as const);

export const ACPI_HEST_GENERIC_DATA = struct('acpi_hest_generic_data', [
  ['section_type', { bytes: 16 }],
  ['error_severity', 'u32'],
  ['revision', 'u16'],
  ['validation_bits', 'u8'],
  ['flags', 'u8'],
  ['error_data_length', 'u32'],
  ['fru_id', { bytes: 16 }],
  ['fru_text', { cstring: 20 }],
] as const);
/** acpi_hest_generic_data_v300 adds a u64 time_stamp; used when revision >> 8 >= 3 (ghes.h acpi_hest_get_version). */
export const GENERIC_DATA_V3_EXTRA = 8;

/** CPER_SEV_* */
export const SEVERITIES = ['recoverable', 'fatal', 'corrected', 'info'] as const;
export type CperSeverity = (typeof SEVERITIES)[number] | 'unknown';

/** GUIDs, as text (include/linux/cper.h). */
export const GUIDS = {
  SECTION_DMESG: 'c197e04e-d545-4a70-9c17-a5549419eb12',
  SECTION_DMESG_Z: '4f118707-04dd-4055-b5dd-956d34ddfac6',
  SECTION_MCE: 'fe08ffbe-95e4-4be7-bc73-4096044a38fc',
  SEC_PLATFORM_MEM: 'a5bc1114-6f64-4ede-b863-3e83ed7c83b1',
  SEC_PROC_GENERIC: '9876ccad-47b4-4bdb-b65e-16f193c4f3db',
  CREATOR_PSTORE: '75a574e3-5052-4b29-8a8e-be2c6490b89d',
} as const;
