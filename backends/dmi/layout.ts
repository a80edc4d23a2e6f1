// SMBIOS tables as DMTF DSP0134 (3.7.0) declares them, read the way dmidecode 3.x reads
// them (dmidecode.c: smbios3_decode, smbios_decode, legacy_decode, dmi_table_decode,
// dmi_decode) and the kernel finds them (drivers/firmware/dmi_scan.c). Little-endian,
// packed. A structure's formatted area may be shorter than its table here: a field is
// present only when it ends inside the structure's own length byte (older SMBIOS).
import { struct } from '../../src/util/struct.js';

export const ANCHOR_SM3 = '_SM3_';
export const ANCHOR_SM = '_SM_';
export const ANCHOR_DMI = '_DMI_';

/** /sys/firmware/dmi/tables, as drivers/firmware/dmi-sysfs.c / dmi_scan.c names them. */
export const SYSFS_ENTRY = 'smbios_entry_point';
export const SYSFS_TABLE = 'DMI';

/** `dmidecode --dump-bin` writes the entry point at 0 and the table at 32 (overwrite_*_address). */
export const DUMP_TABLE_OFFSET = 0x20;

/** A real table is a few KiB; a server with many DIMMs and OEM types some tens of KiB. */
export const MAX_TABLE_BYTES = 1 << 20;
/** Structures read from one table, at most (one per byte pair would be 512 Ki). */
export const MAX_STRUCTURES = 65_536;
/** Strings in one structure's string set, at most (string numbers are a u8). */
export const MAX_STRINGS = 255;

/** 7.1 SMBIOS 2.1 (32-bit) entry point, 0x1F bytes (0x1E accepted: a 2.1 spec mistake). */
export const EP_SM = struct('smbios_entry_point_32', [
  ['anchor', { bytes: 4 }],
  ['checksum', 'u8'],
  ['length', 'u8'],
  ['major', 'u8'],
  ['minor', 'u8'],
  ['max_structure_size', 'u16'],
  ['revision', 'u8'],
  ['formatted_area', { bytes: 5 }],
  ['intermediate_anchor', { bytes: 5 }],
  ['intermediate_checksum', 'u8'],
  ['table_length', 'u16'],
  ['table_address', 'u32'],
  ['structure_count', 'u16'],
  ['bcd_revision', 'u8'],
] as const);
export const EP_SM_MIN_LENGTH = 0x1e;
/** The intermediate ("_DMI_") part of EP_SM, checksummed on its own over 0x0F bytes. */
export const EP_SM_INTERMEDIATE = EP_SM.offsets.intermediate_anchor;

/** Legacy DMI entry point (DMI 2.0, before SMBIOS): the intermediate part alone, 0x0F bytes. */
export const EP_DMI = struct('dmi_entry_point', [
  ['anchor', { bytes: 5 }],
  ['checksum', 'u8'],
  ['table_length', 'u16'],
  ['table_address', 'u32'],
  ['structure_count', 'u16'],
  ['bcd_revision', 'u8'],
] as const);

/** 5.2.2 SMBIOS 3.0 (64-bit) entry point, 0x18 bytes; only a maximum table size, no count. */
export const EP_SM3 = struct('smbios_entry_point_64', [
  ['anchor', { bytes: 5 }],
  ['checksum', 'u8'],
  ['length', 'u8'],
  ['major', 'u8'],
  ['minor', 'u8'],
  ['docrev', 'u8'],
  ['revision', 'u8'],
  ['reserved', 'u8'],
  ['table_max_size', 'u32'],
  ['table_address', 'u64'],
] as const);

/** 6.1.2 structure header; the string set follows the formatted area, ended by two NULs. */
export const HEADER = struct('smbios_header', [
  ['type', 'u8'],
  ['length', 'u8'],
  ['handle', 'u16'],
] as const);

export const TYPE = { BIOS: 0, SYSTEM: 1, BASEBOARD: 2, MEMORY_DEVICE: 17, ARRAY_MAPPED: 19, DEVICE_MAPPED: 20, END: 127 } as const;

// String fields hold a string number (1-based; 0 = none, dmidecode's "Not Specified").

/** 7.1 BIOS Information (type 0); dmidecode decodes nothing below 0x12 bytes. */
export const T0 = struct('bios_information', [
  ['header', { bytes: 4 }],
  ['vendor', 'u8'],
  ['version', 'u8'],
  ['starting_segment', 'u16'],
  ['release_date', 'u8'],
  ['rom_size', 'u8'],
  ['characteristics', 'u64'],
] as const);

/** dmidecode decodes no type 0 shorter than this (the 2.0 structure with its characteristics). */
export const T0_MIN_LENGTH = 0x12;

/** 7.2 System Information (type 1); uuid and wake-up type from 2.1, sku and family from 2.4. */
export const T1 = struct('system_information', [
  ['header', { bytes: 4 }],
  ['manufacturer', 'u8'],
  ['product_name', 'u8'],
  ['version', 'u8'],
  ['serial_number', 'u8'],
  ['uuid', { bytes: 16 }],
  ['wake_up_type', 'u8'],
  ['sku_number', 'u8'],
  ['family', 'u8'],
] as const);

/** Types 1 and 2: the four strings of SMBIOS 2.0. */
export const T1_MIN_LENGTH = 0x08;
export const T2_MIN_LENGTH = 0x08;

/** 7.3 Baseboard Information (type 2). */
export const T2 = struct('baseboard_information', [
  ['header', { bytes: 4 }],
  ['manufacturer', 'u8'],
  ['product', 'u8'],
  ['version', 'u8'],
  ['serial_number', 'u8'],
  ['asset_tag', 'u8'],
] as const);

/**
 * 7.18 Memory Device (type 17): 0x15 bytes in 2.1, speed and strings 2.3, attributes 2.6,
 * extended size and configured speed 2.7, voltages 2.8, extended speeds 3.3 (0x5C).
 */
export const T17 = struct('memory_device', [
  ['header', { bytes: 4 }],
  ['array_handle', 'u16'],
  ['error_information_handle', 'u16'],
  ['total_width', 'u16'],
  ['data_width', 'u16'],
  ['size', 'u16'],
  ['form_factor', 'u8'],
  ['device_set', 'u8'],
  ['device_locator', 'u8'],
  ['bank_locator', 'u8'],
  ['memory_type', 'u8'],
  ['type_detail', 'u16'],
  ['speed', 'u16'],
  ['manufacturer', 'u8'],
  ['serial_number', 'u8'],
  ['asset_tag', 'u8'],
  ['part_number', 'u8'],
  ['attributes', 'u8'],
  ['extended_size', 'u32'],
  ['configured_speed', 'u16'],
  ['minimum_voltage', 'u16'],
  ['maximum_voltage', 'u16'],
  ['configured_voltage', 'u16'],
  ['memory_technology', 'u8'],
  ['operating_mode_capability', 'u16'],
  ['firmware_version', 'u8'],
  ['module_manufacturer_id', 'u16'],
  ['module_product_id', 'u16'],
  ['controller_manufacturer_id', 'u16'],
  ['controller_product_id', 'u16'],
  ['non_volatile_size', 'u64'],
  ['volatile_size', 'u64'],
  ['cache_size', 'u64'],
  ['logical_size', 'u64'],
  ['extended_speed', 'u32'],
  ['extended_configured_speed', 'u32'],
] as const);
/** dmidecode stops decoding a type 17 shorter than this (the 2.1 structure). */
export const T17_MIN_LENGTH = 0x15;
/** size: 0x7FFF = see extended_size (MB, bits 30:0); bit 15 = the value is in KB; 0xFFFF unknown. */
export const T17_SIZE = { NONE: 0, UNKNOWN: 0xffff, EXTENDED: 0x7fff, KB: 0x8000, VALUE: 0x7fff, EXTENDED_MASK: 0x7fffffff } as const;
/** speed: 0 unknown; 0xFFFF = see the 32-bit extended speed (3.3). */
export const T17_SPEED_EXTENDED = 0xffff;

/** 7.20 Memory Array Mapped Address (type 19): KB addresses, 0xFFFFFFFF = see the byte addresses (2.7). */
export const T19 = struct('memory_array_mapped_address', [
  ['header', { bytes: 4 }],
  ['starting_address', 'u32'],
  ['ending_address', 'u32'],
  ['array_handle', 'u16'],
  ['partition_width', 'u8'],
  ['extended_starting_address', 'u64'],
  ['extended_ending_address', 'u64'],
] as const);
export const T19_MIN_LENGTH = 0x0f;

/** 7.21 Memory Device Mapped Address (type 20), same address rule as type 19. */
export const T20 = struct('memory_device_mapped_address', [
  ['header', { bytes: 4 }],
  ['starting_address', 'u32'],
  ['ending_address', 'u32'],
  ['device_handle', 'u16'],
  ['array_mapped_handle', 'u16'],
  ['partition_row_position', 'u8'],
  ['interleave_position', 'u8'],
  ['interleaved_data_depth', 'u8'],
  ['extended_starting_address', 'u64'],
  ['extended_ending_address', 'u64'],
] as const);
export const T20_MIN_LENGTH = 0x13;
export const USE_EXTENDED_ADDRESS = 0xffffffff;
