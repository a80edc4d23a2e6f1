// The structure table: walked as dmi_table_decode walks it (a header, the formatted area,
// the string set up to its double NUL; stop at a header shorter than 4 bytes, at a
// structure that runs past the table, at the announced count, and for SMBIOS 3 at the
// end-of-table type 127), and types 0, 1, 2, 17, 19, 20 decoded as dmi_decode does.
import type { DimmInfo, MachineInfo, MemoryRange, SourceRef } from '../../src/model/index.js';
import { Cursor } from '../../src/util/cursor.js';
import type { Struct, Fields } from '../../src/util/struct.js';
import { HEADER, MAX_STRINGS, MAX_STRUCTURES, T0, T0_MIN_LENGTH, T1, T1_MIN_LENGTH, T2_MIN_LENGTH, T17, T17_MIN_LENGTH, T17_SIZE, T17_SPEED_EXTENDED, T19, T19_MIN_LENGTH, T2, T20, T20_MIN_LENGTH, TYPE, USE_EXTENDED_ADDRESS } from './layout.js';
import { formatKB, formatExtendedMB, formatUuid } from './format.js';

export const BAD_INDEX = '<BAD INDEX>';

/** One structure: its header, formatted area and strings, and where it is in the file. */
export interface Structure {
  type: number;
  length: number;
  handle: number;
  /** The formatted area, header included (exactly `length` bytes). */
  data: Uint8Array;
  strings: string[];
  offset: number;
}

export interface WalkResult {
  structures: Structure[];
  problems: { offset: number; message: string }[];
}

/** dmidecode's ascii_filter: what it prints of a string, every unprintable byte a dot. */
const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '.');

/**
 * The structures of `table` (file offset `base`). `count` 0 means "not announced"; then
 * (SMBIOS 3, or a bare table) the walk stops at type 127.
 */
export function walkTable(table: Uint8Array, path: string, base: number, count: number, stopAtEnd: boolean): WalkResult {
  const structures: Structure[] = [];
  const problems: WalkResult['problems'] = [];
  const c = new Cursor(table, path, base);
  while ((count === 0 || structures.length < count) && c.remaining >= HEADER.size && structures.length < MAX_STRUCTURES) {
    const at = c.pos;
    const h = HEADER.read(c);
    if (h.length < HEADER.size) {
      problems.push({ offset: base + at, message: `structure of type ${h.type} has length ${h.length} (at least ${HEADER.size}): the table is broken here` });
      break;
    }
    // The string set starts after the formatted area and ends at the first double NUL.
    let end = at + h.length;
    while (end + 1 < table.length && (table[end] !== 0 || table[end + 1] !== 0)) end++;
    end += 2;
    if (end > table.length) {
      problems.push({ offset: base + at, message: `structure of type ${h.type} (handle 0x${h.handle.toString(16).padStart(4, '0')}) runs past the table's ${table.length} bytes` });
      break;
    }
    const strings: string[] = [];
    const set = table.subarray(at + h.length, end - 1);
    if (set.length > 1 || set[0] !== 0) {
      for (const s of Buffer.from(set.buffer, set.byteOffset, set.length).toString('latin1').split('\0')) {
        if (s.length === 0 || strings.length >= MAX_STRINGS) break;
        strings.push(printable(s));
      }
    }
    structures.push({ type: h.type, length: h.length, handle: h.handle, data: table.subarray(at, at + h.length), strings, offset: base + at });
    c.seek(end);
    if (stopAtEnd && h.type === TYPE.END) break;
  }
  if (count !== 0 && structures.length < count && problems.length === 0) {
    problems.push({ offset: base + c.pos, message: `${count} structures announced, ${structures.length} found` });
  }
  return { structures, problems };
}

/** A structure's fields; those past its length read as 0 and `has` says which are present. */
function fields<F extends Fields>(s: Structure, t: Struct<F>, path: string) {
  const full = new Uint8Array(t.size);
  full.set(s.data.subarray(0, t.size));
  const v = t.read(new Cursor(full, path, s.offset));
  return { v, has: (field: F[number][0], bytes: number) => t.offsets[field] + bytes <= s.length };
}

/** dmi_string: 0 is "none", a number past the set is dmidecode's "<BAD INDEX>". */
function str(s: Structure, n: number): string | undefined {
  if (n === 0) return undefined;
  return s.strings[n - 1] ?? BAD_INDEX;
}

function memoryDevice(s: Structure, path: string): DimmInfo | undefined {
  if (s.length < T17_MIN_LENGTH) return undefined;
  const { v, has } = fields(s, T17, path);
  const d: DimmInfo = { handle: s.handle, arrayHandle: v.array_handle, size: '', offset: s.offset };
  if (v.size === T17_SIZE.EXTENDED && has('extended_size', 4)) {
    const mb = v.extended_size & T17_SIZE.EXTENDED_MASK;
    d.sizeKB = mb * 1024;
    d.size = formatExtendedMB(mb);
  } else if (v.size === T17_SIZE.NONE) {
    d.sizeKB = 0;
    d.size = 'No Module Installed';
  } else if (v.size === T17_SIZE.UNKNOWN) {
    d.size = 'Unknown';
  } else {
    const n = v.size & T17_SIZE.VALUE;
    d.sizeKB = v.size & T17_SIZE.KB ? n : n * 1024;
    d.size = formatKB(d.sizeKB);
  }
  const locator = str(s, v.device_locator);
  if (locator !== undefined) d.locator = locator;
  const bank = str(s, v.bank_locator);
  if (bank !== undefined) d.bankLocator = bank;
  // dmidecode: "If no module is present, the remaining fields are irrelevant".
  if (!has('speed', 2) || v.size === T17_SIZE.NONE) return d;
  const speed = v.speed === T17_SPEED_EXTENDED && has('extended_speed', 4) ? v.extended_speed : v.speed === T17_SPEED_EXTENDED ? 0 : v.speed;
  if (speed) d.speed = speed;
  if (!has('part_number', 1)) return d;
  for (const [key, n] of [['manufacturer', v.manufacturer], ['serial', v.serial_number], ['assetTag', v.asset_tag], ['partNumber', v.part_number]] as const) {
    const t = str(s, n);
    if (t !== undefined) d[key] = t;
  }
  if (has('configured_speed', 2)) {
    const cs = v.configured_speed === T17_SPEED_EXTENDED && has('extended_configured_speed', 4) ? v.extended_configured_speed : v.configured_speed === T17_SPEED_EXTENDED ? 0 : v.configured_speed;
    if (cs) d.configuredSpeed = cs;
  }
  return d;
}

/** Types 19 and 20: KB addresses, or (0xFFFFFFFF) the 64-bit byte addresses of SMBIOS 2.7. */
function range(s: Structure, path: string): MemoryRange | undefined {
  if (s.type === TYPE.ARRAY_MAPPED && s.length >= T19_MIN_LENGTH) {
    const { v, has } = fields(s, T19, path);
    const ext = v.starting_address === USE_EXTENDED_ADDRESS && has('extended_ending_address', 8);
    const r: MemoryRange = ext ? { start: v.extended_starting_address, end: v.extended_ending_address } : { start: BigInt(v.starting_address) << 10n, end: (BigInt(v.ending_address) << 10n) + 0x3ffn };
    r.arrayHandle = v.array_handle;
    return r.end >= r.start ? r : undefined;
  }
  if (s.type === TYPE.DEVICE_MAPPED && s.length >= T20_MIN_LENGTH) {
    const { v, has } = fields(s, T20, path);
    const ext = v.starting_address === USE_EXTENDED_ADDRESS && has('extended_ending_address', 8);
    const r: MemoryRange = ext ? { start: v.extended_starting_address, end: v.extended_ending_address } : { start: BigInt(v.starting_address) << 10n, end: (BigInt(v.ending_address) << 10n) + 0x3ffn };
    r.dimmHandle = v.device_handle;
    return r.end >= r.start ? r : undefined;
  }
  return undefined;
}

const put = <T extends object>(o: T, key: keyof T, v: string | undefined): void => {
  if (v !== undefined) (o as Record<keyof T, string>)[key] = v;
};

/** The machine the structures describe: the first type 0, 1, 2, every type 17, 19, 20. */
export function machineOf(structures: readonly Structure[], ver: number | undefined, smbios: string | undefined, source: SourceRef): MachineInfo {
  const m: MachineInfo = { kind: 'machine', dimms: [], ranges: [], source };
  if (smbios !== undefined) m.smbios = smbios;
  const path = source.path;
  for (const s of structures) {
    if (s.type === TYPE.BIOS && !m.bios && s.length >= T0_MIN_LENGTH) {
      const { v } = fields(s, T0, path);
      m.bios = {};
      put(m.bios, 'vendor', str(s, v.vendor));
      put(m.bios, 'version', str(s, v.version));
      put(m.bios, 'releaseDate', str(s, v.release_date));
    } else if (s.type === TYPE.SYSTEM && !m.system && s.length >= T1_MIN_LENGTH) {
      const { v, has } = fields(s, T1, path);
      const sys: NonNullable<MachineInfo['system']> = {};
      put(sys, 'manufacturer', str(s, v.manufacturer));
      put(sys, 'productName', str(s, v.product_name));
      put(sys, 'version', str(s, v.version));
      put(sys, 'serial', str(s, v.serial_number));
      if (has('wake_up_type', 1)) sys.uuid = formatUuid(v.uuid, ver ?? 0x0300);
      if (has('family', 1)) {
        put(sys, 'sku', str(s, v.sku_number));
        put(sys, 'family', str(s, v.family));
      }
      m.system = sys;
    } else if (s.type === TYPE.BASEBOARD && !m.baseboard && s.length >= T2_MIN_LENGTH) {
      const { v, has } = fields(s, T2, path);
      const b: NonNullable<MachineInfo['baseboard']> = {};
      put(b, 'manufacturer', str(s, v.manufacturer));
      put(b, 'productName', str(s, v.product));
      put(b, 'version', str(s, v.version));
      put(b, 'serial', str(s, v.serial_number));
      if (has('asset_tag', 1)) put(b, 'assetTag', str(s, v.asset_tag));
      m.baseboard = b;
    } else if (s.type === TYPE.MEMORY_DEVICE) {
      const d = memoryDevice(s, path);
      if (d) m.dimms.push(d);
    } else if (s.type === TYPE.ARRAY_MAPPED || s.type === TYPE.DEVICE_MAPPED) {
      const r = range(s, path);
      if (r) m.ranges.push(r);
    }
  }
  return m;
}
