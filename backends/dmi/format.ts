// Values as dmidecode prints them (dmidecode.c dmi_print_memory_size,
// dmi_memory_device_extended_size, dmi_system_uuid), so a report and a dmidecode run
// say the same thing.

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB'];

/** dmi_print_memory_size(code, shift 1): a KiB count in the highest unit, or the two highest. */
export function formatKB(kb: number): string {
  const split: number[] = [];
  let v = BigInt(kb);
  for (let i = 0; i < 7; i++, v >>= 10n) split.push(Number(v & 0x3ffn));
  let i = 6;
  while (i > 0 && split[i] === 0) i--;
  let capacity = split[i]!;
  if (i > 0 && split[i - 1] !== 0) {
    i--;
    capacity = split[i]! + split[i + 1]! * 1024;
  }
  return `${capacity} ${UNITS[i + 1]}`;
}

/** dmi_memory_device_extended_size: "the greatest unit for which the value is an integer". */
export function formatExtendedMB(mb: number): string {
  if (mb & 0x3ff) return `${mb} MB`;
  if (mb & 0xffc00) return `${mb >>> 10} GB`;
  return `${mb >>> 20} TB`;
}

/** "3200 MT/s" or "Unknown" (dmi_memory_device_speed). */
export function formatSpeed(mts: number | undefined): string {
  return mts ? `${mts} MT/s` : 'Unknown';
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/**
 * dmi_system_uuid: all 0xFF "Not Present", all 0 "Not Settable"; from SMBIOS 2.6 the first
 * three fields are little-endian (before, dmidecode keeps the bytes in order).
 */
export function formatUuid(p: Uint8Array, ver: number): string {
  if (p.every((b) => b === 0xff)) return 'Not Present';
  if (p.every((b) => b === 0)) return 'Not Settable';
  const order = ver >= 0x0206 ? [3, 2, 1, 0, 5, 4, 7, 6] : [0, 1, 2, 3, 4, 5, 6, 7];
  const h = [...order.map((i) => p[i]!), ...p.subarray(8, 16)].map(hex2).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
