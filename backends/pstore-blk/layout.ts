// pstore/zone storage layout, as pstore_blk (fs/pstore/blk.c) and mtdpstore
// (drivers/mtd/mtdpstore.c) write it to a block device or MTD partition.
// Kernel source: fs/pstore/zone.c (struct psz_buffer, struct psz_kmsg_header,
// psz_alloc_zones, psz_recover_zone, psz_kmsg_read), include/linux/pstore.h (pstore_type_id),
// include/linux/kmsg_dump.h (kmsg_dump_reason).
import { struct } from '../../src/util/struct.js';

/** PSZ_SIG, "DBGC" (the same value as ramoops' PERSISTENT_RAM_SIG); a zone's sig is this XOR its pstore type. */
export const PSZ_SIG = 0x43474244;
/** PSTORE_KMSG_HEADER_MAGIC: first word of every kmsg zone's data. */
export const PSTORE_KMSG_HEADER_MAGIC = 0x4dfc3ae5;
/** register_pstore_zone() caps total_size at SZ_128M and refuses less than 4096. */
export const MAX_TOTAL_BYTES = 128 << 20;
export const MIN_TOTAL_BYTES = 4096;
/** blk.c check_size(): zone sizes are kbytes, aligned to 4096. */
export const ZONE_ALIGN = 4096;
/** CONFIG_PSTORE_BLK_{KMSG,PMSG,CONSOLE,FTRACE}_SIZE defaults, in kbytes. */
export const DEFAULT_SIZE_KB = 64;
export const MAX_ZONES = 1 << 15;

/** enum pstore_type_id values pstore/zone uses. */
export const PSTORE_TYPE = { dmesg: 0, console: 2, ftrace: 3, pmsg: 7 } as const;
export type ZoneKind = keyof typeof PSTORE_TYPE;

export function zoneKindOfSig(sig: number): ZoneKind | undefined {
  const type = (sig ^ PSZ_SIG) >>> 0;
  return (Object.keys(PSTORE_TYPE) as ZoneKind[]).find((k) => PSTORE_TYPE[k] === type);
}

/** struct psz_buffer { u32 sig; atomic_t datalen; atomic_t start; u8 data[]; } */
export const pszBuffer = struct('psz_buffer', [
  ['sig', 'u32'],
  ['datalen', 'u32'],
  ['start', 'u32'],
] as const);

/**
 * struct psz_kmsg_header on 64-bit kernels (x86_64, arm64; 32-bit ARM EABI is the same):
 * u32 magic; struct timespec64 time (8-aligned); bool compressed; u32 counter;
 * enum kmsg_dump_reason reason; u8 data[] — sizeof 40 with padding, and the data
 * starts at sizeof (psz_kmsg_write_record: hlen = sizeof(struct psz_kmsg_header)).
 */
export const pszKmsgHeader = struct('psz_kmsg_header', [
  ['magic', 'u32'],
  ['pad0', { bytes: 4 }],
  ['tv_sec', 'i64'],
  ['tv_nsec', 'i64'],
  ['compressed', 'u8'],
  ['pad1', { bytes: 3 }],
  ['counter', 'u32'],
  ['reason', 'u32'],
  ['pad2', { bytes: 4 }],
] as const);

/** kmsg_dump_reason_str() (kernel/printk/printk.c). */
export function kmsgDumpReasonStr(reason: number): string {
  return ['Unknown', 'Panic', 'Oops', 'Emergency', 'Shutdown'][reason] ?? 'Unknown';
}

export interface PszParams {
  /** Bytes the zones may use: the device size, capped at 128 MiB. */
  totalSize: number;
  kmsgSize: number;
  pmsgSize: number;
  consoleSize: number;
  ftraceSize: number;
  /** nr_cpu_ids of the kernel that wrote it (ftrace zones are per CPU). */
  cpus: number;
  /** Zone sizes not given, taken as the default: a kernel built without that front end
   * (CONFIG_PSTORE_PMSG, _CONSOLE, _FTRACE) has no such zone, so 0 is as likely. */
  assumed?: ('pmsgSize' | 'consoleSize' | 'ftraceSize')[];
}

export interface Zone {
  kind: ZoneKind;
  /** kmsg zone number (the id pstore gives the dmesg record), or ftrace cpu. */
  index: number;
  offset: number;
  size: number;
}

/** psz_alloc_zones(): pmsg, console, ftrace zones (one per cpu), then kmsg zones to the end. */
export function layoutZones(p: PszParams): Zone[] {
  const total = Math.min(p.totalSize, MAX_TOTAL_BYTES);
  const zones: Zone[] = [];
  let off = 0;
  const one = (kind: ZoneKind, size: number) => {
    if (size <= pszBuffer.size || off + size > total) return;
    zones.push({ kind, index: 0, offset: off, size });
    off += size;
  };
  one('pmsg', p.pmsgSize);
  one('console', p.consoleSize);
  const many = (kind: ZoneKind, area: number, record: number) => {
    if (area <= 0 || record <= pszBuffer.size || off + area > total) return;
    const count = Math.min(MAX_ZONES, Math.floor(area / record));
    for (let i = 0; i < count; i++) zones.push({ kind, index: i, offset: off + i * record, size: record });
    off += count * record;
  };
  many('ftrace', p.ftraceSize, Math.floor(p.ftraceSize / Math.max(1, p.cpus)));
  many('dmesg', total - p.pmsgSize - p.consoleSize - p.ftraceSize, p.kmsgSize);
  return zones;
}
