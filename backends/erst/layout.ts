// ERST stores. Records are CPER records (src/cper, include/linux/cper.h) as
// drivers/acpi/apei/erst.c writes them for pstore: struct cper_pstore_record
// { cper_record_header; cper_section_descriptor; data[] } with a dmesg (FDMP),
// compressed dmesg, or MCE section (arch/x86/kernel/cpu/mce/apei.c struct cper_mce_record).
// QEMU's acpi-erst backing file (hw/acpi/erst.c ERSTStorageHeader) starts with this header
// and map[] (one u64 record id per slot; 0 = free), then one record per slot of record_size
// bytes from storage_offset on. Clearing a record only zeroes its map entry: the bytes of
// cleared records stay in their slots, so the map, not a scan, says what is live.
import { struct } from '../../src/util/struct.js';

export const QEMU_ERST_MAGIC = 'ERSTSTOR';

export const QEMU_ERST_HEADER = struct('ERSTStorageHeader', [
  ['magic', { bytes: 8 }],
  ['storage_offset', 'u32'],
  ['record_size', 'u32'],
  ['version', 'u16'],
  ['reserved', 'u16'],
  ['record_count', 'u32'],
] as const);

/** ERST_UNSPECIFIED_RECORD_ID and ERST_EMPTY_END_RECORD_ID mark free map entries. */
export const FREE_RECORD_IDS = [0n, 0xffffffffffffffffn];
/** QEMU requires record_size to be a power of two >= 4096 (check_erst_backend_storage()). */
export const MIN_QEMU_RECORD_SIZE = 4096;

/** ERST stores are NVRAM-sized (QEMU's default 64 KiB); a raw dump this big is not one. */
export const MAX_STORE_BYTES = 64 * 1024 * 1024;
/** pstore compresses at most its buffer of a few KiB; bound the inflated part. */
export const MAX_INFLATED_BYTES = 1024 * 1024;
