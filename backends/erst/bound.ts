// The bound on how many records one ERST holds, as the kernel reads them.
/**
 * Records the kernel reads from one ERST: its record id cache grows to
 * ERST_RECORD_ID_CACHE_SIZE_MAX (1024) ids and no further ("too many record IDs!",
 * drivers/acpi/apei/erst.c __erst_record_id_cache_add_one), so pstore never shows more.
 */
export const MAX_ERST_RECORDS = 1024;

/** The problem for records past the kernel's MAX_ERST_RECORDS, the first of them at `at`. */
export function tooManyRecords(path: string, at: number, size: number, more = false): { path: string; offset: number; message: string } {
  return {
    path, offset: at,
    message: `more than ${MAX_ERST_RECORDS} records: the kernel reads at most ${MAX_ERST_RECORDS} from an ERST (drivers/acpi/apei/erst.c ERST_RECORD_ID_CACHE_SIZE_MAX); the records from here on${more ? '' : `, in the last ${size - at} bytes,`} are not read`,
  };
}
