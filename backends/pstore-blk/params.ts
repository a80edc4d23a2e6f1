// pstore_blk module parameters from read options (`kmsg_size: 64`, or `pstore_blk.kmsg_size`)
// or a kernel command line string (`cmdline: "pstore_blk.blkdev=/dev/vdb pstore_blk.kmsg_size=64"`).
// As in fs/pstore/blk.c the zone sizes are kbytes ("64", or with a unit: "64k", "1m");
// blk.c aligns each up to 4096 bytes. total_size is bytes (default: the image size).
import type { ReadOptions } from '../../src/backend.js';
import { DEFAULT_SIZE_KB, MAX_TOTAL_BYTES, ZONE_ALIGN, type PszParams } from './layout.js';

const SIZE_KEYS = ['kmsg_size', 'pmsg_size', 'console_size', 'ftrace_size'] as const;
const PREFIX = /^(?:pstore_blk|mtdpstore|pstore_zone)\./;
/** Largest zone size accepted, in kbytes (the device cap). */
const MAX_SIZE_KB = MAX_TOTAL_BYTES / 1024;

/** Bytes from a kbytes module parameter ("64", 64, "64k", "1m"); undefined when not a size. */
function kbytes(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v <= MAX_SIZE_KB ? Math.floor(v) * 1024 : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,9})([kmg])?$/i.exec(v.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? 'k').toLowerCase();
  const bytes = Number(m[1]) * { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as 'k' | 'm' | 'g'];
  return bytes <= MAX_TOTAL_BYTES ? bytes : undefined;
}

function bytesOption(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return v;
  if (typeof v === 'string' && /^(0x[0-9a-f]{1,12}|\d{1,15})$/i.test(v.trim())) return Number(v.trim());
  return undefined;
}

/**
 * blk.c check_size(): bytes = kbytes * 1024; when that is not 4096-aligned it takes
 * ALIGN(kbytes, 4096) — of the kbytes, not the bytes — so 5 (KiB) becomes 4096 bytes.
 */
const align = (bytes: number) => (bytes % ZONE_ALIGN === 0 ? bytes : Math.ceil(bytes / 1024 / ZONE_ALIGN) * ZONE_ALIGN);

/** The layout the options describe, or undefined when they name no zone size (then the image is scanned). */
export function paramsFromOptions(options: ReadOptions, imageSize: number): PszParams | undefined {
  const given: Record<string, unknown> = {};
  const cmdline = options['cmdline'];
  if (typeof cmdline === 'string') {
    for (const word of cmdline.split(/\s+/)) {
      const m = /^((?:pstore_blk|mtdpstore|pstore_zone)\.[a-z_]+)=(.+)$/.exec(word);
      if (m) given[m[1]!.replace(PREFIX, '')] = m[2];
    }
  }
  for (const [k, v] of Object.entries(options)) given[k.replace(PREFIX, '')] = v;
  const sizes = SIZE_KEYS.map((k) => kbytes(given[k]));
  if (sizes.every((s) => s === undefined)) return undefined;
  const [kmsg, pmsg, consoleSize, ftrace] = sizes.map((s) => align(s ?? DEFAULT_SIZE_KB * 1024));
  const cpus = bytesOption(given['cpus'] ?? given['nr_cpus']) ?? 1;
  return {
    // a cut image keeps the layout of the device it came from: zones past its end are not read
    totalSize: Math.min(bytesOption(given['total_size']) ?? Math.max(imageSize, pmsg! + consoleSize! + ftrace! + kmsg!), MAX_TOTAL_BYTES),
    kmsgSize: kmsg!,
    pmsgSize: pmsg!,
    consoleSize: consoleSize!,
    ftraceSize: ftrace!,
    cpus: Math.min(cpus, 8192),
    assumed: (['pmsgSize', 'consoleSize', 'ftraceSize'] as const).filter((_, i) => sizes[i + 1] === undefined),
  };
}
