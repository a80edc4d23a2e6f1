// SMBIOS entry points (_SM3_, _SM_ with its _DMI_ part, bare legacy _DMI_), accepted as
// dmidecode accepts them (smbios3_decode, smbios_decode, legacy_decode): anchor, length
// and checksum; the version fix-ups of dmi_fixup_version. Small: the probe uses it.
import { Cursor } from '../../src/util/cursor.js';
import { ANCHOR_DMI, ANCHOR_SM, ANCHOR_SM3, EP_DMI, EP_SM, EP_SM3, EP_SM_INTERMEDIATE, EP_SM_MIN_LENGTH } from './layout.js';

export interface EntryPoint {
  anchor: typeof ANCHOR_SM3 | typeof ANCHOR_SM | typeof ANCHOR_DMI;
  /** Bytes of the entry point structure. */
  length: number;
  /** "3.0.0", "2.8", "2.0" (legacy). */
  version: string;
  /** major << 8 | minor, what the structure decoders compare against. */
  ver: number;
  /** A maximum for SMBIOS 3 (the table ends at its type 127), exact before. */
  tableLength: number;
  tableAddress: bigint;
  /** Structures announced (0 for SMBIOS 3, which announces none). */
  count: number;
}

const ascii = (b: Uint8Array, at: number, n: number): string => Buffer.from(b.buffer, b.byteOffset + at, Math.min(n, Math.max(0, b.length - at))).toString('latin1');

/** The bytes sum to 0 mod 256 (every SMBIOS checksum). */
export function checksumOk(b: Uint8Array, at: number, n: number): boolean {
  if (at + n > b.length) return false;
  let sum = 0;
  for (let i = at; i < at + n; i++) sum = (sum + b[i]!) & 0xff;
  return sum === 0;
}

/** dmi_fixup_version: versions some firmware reports that mean another. */
function fixupVersion(ver: number): number {
  if (ver === 0x021f || ver === 0x0221) return 0x0203;
  if (ver === 0x0233) return 0x0206;
  return ver;
}

/** The entry point at the start of `b`, or undefined when there is none valid. */
export function parseEntryPoint(b: Uint8Array, path = '?'): EntryPoint | undefined {
  const c = new Cursor(b, path);
  if (ascii(b, 0, 5) === ANCHOR_SM3) {
    if (b.length < EP_SM3.size) return undefined;
    const e = EP_SM3.read(c);
    if (e.length < EP_SM3.size || !checksumOk(b, 0, e.length)) return undefined;
    return {
      anchor: ANCHOR_SM3, length: e.length, version: `${e.major}.${e.minor}.${e.docrev}`, ver: (e.major << 8) | e.minor,
      tableLength: e.table_max_size, tableAddress: e.table_address, count: 0,
    };
  }
  if (ascii(b, 0, 4) === ANCHOR_SM) {
    if (b.length < EP_SM.size - 1 || b[5]! < EP_SM_MIN_LENGTH) return undefined;
    const full = new Uint8Array(EP_SM.size);
    full.set(b.subarray(0, EP_SM.size));
    const e = EP_SM.read(new Cursor(full, path));
    if (!checksumOk(b, 0, e.length) || ascii(b, EP_SM_INTERMEDIATE, 5) !== ANCHOR_DMI || !checksumOk(b, EP_SM_INTERMEDIATE, EP_DMI.size)) return undefined;
    const ver = fixupVersion((e.major << 8) | e.minor);
    return {
      anchor: ANCHOR_SM, length: e.length, version: `${ver >> 8}.${ver & 0xff}`, ver,
      tableLength: e.table_length, tableAddress: BigInt(e.table_address), count: e.structure_count,
    };
  }
  if (ascii(b, 0, 5) === ANCHOR_DMI) {
    if (b.length < EP_DMI.size || !checksumOk(b, 0, EP_DMI.size)) return undefined;
    const e = EP_DMI.read(c);
    // legacy_decode: the BCD revision is the version ("Legacy DMI 2.0").
    const ver = ((e.bcd_revision & 0xf0) << 4) | (e.bcd_revision & 0x0f);
    return {
      anchor: ANCHOR_DMI, length: EP_DMI.size, version: `${ver >> 8}.${ver & 0xff}`, ver,
      tableLength: e.table_length, tableAddress: BigInt(e.table_address), count: e.structure_count,
    };
  }
  return undefined;
}
