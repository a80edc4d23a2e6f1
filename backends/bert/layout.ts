// The ACPI BERT error region, as Linux shows it in /sys/firmware/acpi/tables/data/BERT:
// generic error status blocks back to back, ended by one with block_status 0 or by the
// region's end (drivers/acpi/apei/bert.c bert_print_all()). Block and section layouts
// live in src/cper/layout.ts (include/acpi/actbl1.h).

/** Firmware error regions are small (a few KiB); refuse anything absurd. */
export const MAX_REGION_BYTES = 16 * 1024 * 1024;
export const MAX_BLOCKS = 4096;
export const BERT_NOTE = "from ACPI BERT: the firmware's record of an error that ended the previous boot";
