// mtdoops partition layout. Kernel source: drivers/mtd/mtdoops.c.
// The partition is a ring of records of record_size bytes (a multiple of 4096), each
// starting with struct mtdoops_hdr, then the kmsg_dump text (syslog format "<6>[ ts] ..."),
// then unused bytes; erased flash reads 0xff. The newest record has the highest seq,
// counted with wrap-around as find_next_position() does.
import { struct } from '../../src/util/struct.js';

export const MTDOOPS_KERNMSG_MAGIC_V1 = 0x5d005d00; // original: seq, magic
export const MTDOOPS_KERNMSG_MAGIC_V2 = 0x5d005e00; // adds a ktime_t timestamp
export const MTDOOPS_MIN_RECORD = 4096;
export const MTDOOPS_MAX_RECORD = 16 << 20;
export const ERASED_SEQ = 0xffffffff;

/** struct mtdoops_hdr { u32 seq; u32 magic; ktime_t timestamp; } __packed (v2) */
export const mtdoopsHdrV2 = struct('mtdoops_hdr', [
  ['seq', 'u32'],
  ['magic', 'u32'],
  ['timestamp', 'i64'],
] as const);
/** v1 records have only seq and magic. */
export const MTDOOPS_V1_HEADER_SIZE = 8;

export function isMtdoopsMagic(magic: number): boolean {
  return magic === MTDOOPS_KERNMSG_MAGIC_V1 || magic === MTDOOPS_KERNMSG_MAGIC_V2;
}
