// pstore filesystem names and limits. Source: fs/pstore/inode.c (pstore_mkfile:
// "%s-%s-%llu%s" = type, backend name, record id, ".enc.z" when the kernel could not
// decompress it) and fs/pstore/platform.c (pstore_type_names).

export const PSTORE_TYPES = [
  'dmesg', 'mce', 'console', 'ftrace', 'rtas', 'powerpc-ofw', 'powerpc-common', 'pmsg', 'powerpc-opal',
] as const;
export type PstoreType = (typeof PSTORE_TYPES)[number];

const NAME = new RegExp(`^(${PSTORE_TYPES.join('|')})-(.{1,64})-(\\d{1,20})(\\.enc\\.z)?$`);

export interface PstoreName {
  type: PstoreType;
  /** The pstore backend that wrote it: ramoops, efi, efi_pstore, erst, pstore_blk, mtd, ... */
  backend: string;
  id: string;
  compressed: boolean;
}

export function parsePstoreName(name: string): PstoreName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  return { type: m[1] as PstoreType, backend: m[2]!, id: m[3]!, compressed: m[4] !== undefined };
}

/** The largest record any pstore backend writes is far below this. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
/**
 * Text of one record read at most: its newest end, where the crash is (issue 16: 150 MB
 * for any input; a line costs the pipeline ~0.6 KB, so 4 MiB of log lines is ~70,000
 * records). Far above any record a kernel writes in practice (ramoops record_size and
 * console_size are KiB to a few MiB; efi parts 1 KiB; ERST a few KiB).
 */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;
/** Cap on one record's inflated output, against a deflate bomb. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/**
 * The buffer a `.enc.z` record was written to is unknown here (the kernel could not
 * inflate it itself, or it would have shown it inflated), but at least this big: a record
 * inflates to at most 3x its buffer (util/inflate.ts), taken as its compressed size or this.
 */
export const ENC_Z_MIN_BUFFER = 1024 * 1024;
/** Inflated bytes of all `.enc.z` records of one directory together. */
export const ENC_Z_BUDGET = 64 * 1024 * 1024;
/** Files in one pstore directory. */
export const MAX_ENTRIES = 100_000;

/**
 * efi-pstore ids encode the time: generic_id(timestamp, part, count) =
 * (timestamp * 100 + part) * 1000 + count (drivers/firmware/efi/efi-pstore.c).
 */
export function efiIdTime(id: string): Date | undefined {
  const n = BigInt(id);
  const ts = n / 100_000n;
  return ts > 0n && ts < 1n << 40n ? new Date(Number(ts) * 1000) : undefined;
}

/** ramoops appends an ECC note to dmesg records (fs/pstore/ram_core.c persistent_ram_ecc_string). */
export const ECC_NOTE = /\n?ECC: (No errors detected|Corrected bytes: \d+, unrecoverable blocks: \d+|\d+ Corrected bytes, \d+ unrecoverable blocks)\n?$/;
