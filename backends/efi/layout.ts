// efivarfs names of pstore's EFI dump variables, as drivers/firmware/efi/efi-pstore.c
// wrote them in each era. efivarfs shows a variable as "<name>-<vendor GUID>", its data
// as 4 bytes of attributes then the variable's bytes.
//   v6.x / since v3.19 (compression): "dump-type%u-%u-%d-%llu-%c"  type, part, count, time, C|D
//   v3.8 .. v3.18:                    "dump-type%u-%u-%d-%lu"      type, part, count, time
//   v3.2 .. v3.7:                     "dump-type%u-%u-%lu"         type, part, time
// The variable data is the dmesg part as pstore_dump() made it ("Oops#1 Part1\n" + log),
// raw deflate when the flag is C (fs/pstore/platform.c: zlib with negative windowBits).

/** EFI variable attributes prefix efivarfs puts before the data. */
export const EFIVARFS_ATTR_BYTES = 4;
/** efi-pstore writes parts of at most 1 KiB (EFIVARS_DATA_SIZE_MAX 1024); allow slack. */
export const MAX_VAR_BYTES = 64 * 1024;
/** Inflated part: the kernel's buffer is at most a few KiB (big_oops_buf). */
export const MAX_INFLATED_BYTES = 1024 * 1024;
export const MAX_ENTRIES = 100_000;

export interface EfiDumpName {
  /** pstore type: 0 = dmesg (PSTORE_TYPE_DMESG). */
  type: number;
  part: number;
  /** The oops count of the dump; absent in the oldest names. */
  count?: number;
  /** Seconds since the epoch when the part was written. */
  time: number;
  compressed: boolean;
  guid?: string;
  generation: 1 | 2 | 3;
}

const GUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';
const GEN3 = new RegExp(`^dump-type(\\d{1,3})-(\\d{1,9})-(\\d{1,9})-(\\d{1,20})-([CD])(?:-${GUID})?$`);
const GEN2 = new RegExp(`^dump-type(\\d{1,3})-(\\d{1,9})-(\\d{1,9})-(\\d{1,20})(?:-${GUID})?$`);
const GEN1 = new RegExp(`^dump-type(\\d{1,3})-(\\d{1,9})-(\\d{1,20})(?:-${GUID})?$`);

/** The parts of an efi-pstore variable name (with or without its GUID), or undefined. */
export function parseEfiDumpName(name: string): EfiDumpName | undefined {
  let m = GEN3.exec(name);
  if (m) {
    return { type: Number(m[1]), part: Number(m[2]), count: Number(m[3]), time: Number(m[4]), compressed: m[5] === 'C', guid: m[6], generation: 3 };
  }
  m = GEN2.exec(name);
  if (m) return { type: Number(m[1]), part: Number(m[2]), count: Number(m[3]), time: Number(m[4]), compressed: false, guid: m[5], generation: 2 };
  m = GEN1.exec(name);
  if (m) return { type: Number(m[1]), part: Number(m[2]), time: Number(m[3]), compressed: false, guid: m[4], generation: 1 };
  return undefined;
}
