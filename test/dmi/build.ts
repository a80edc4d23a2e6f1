// Tiny SMBIOS writers for tests: structures (formatted area by the field tables of
// backends/dmi/layout.ts, then the string set), a table, and the entry points
// (_SM3_, _SM_ + _DMI_, bare _DMI_) as `dmidecode --dump-bin` lays a dump out: entry
// point at 0, table at 32.
import { EP_DMI, EP_SM, EP_SM3, EP_SM_INTERMEDIATE, HEADER, T0, T1, T17, T19, T2, T20, TYPE } from '../../backends/dmi/layout.js';
import { DUMP_TABLE_OFFSET } from '../../backends/dmi/layout.js';

type Offsets = Readonly<Record<string, number>>;
type Value = number | bigint | Uint8Array;

/** A structure: `fields` by name (strings as their 1-based numbers), cut to `length`. */
export function structure(type: number, handle: number, offsets: Offsets, size: number, fields: Record<string, Value>, strings: string[] = [], length = size): Buffer {
  const f = Buffer.alloc(Math.max(size, length));
  f.writeUInt8(type, HEADER.offsets.type);
  f.writeUInt8(length, HEADER.offsets.length);
  f.writeUInt16LE(handle, HEADER.offsets.handle);
  const widths = Object.entries(offsets).sort((a, b) => a[1] - b[1]);
  for (const [name, v] of Object.entries(fields)) {
    const at = offsets[name];
    if (at === undefined) throw new Error(`no field ${name}`);
    const next = widths.find(([, o]) => o > at)?.[1] ?? size;
    const w = next - at;
    if (v instanceof Uint8Array) f.set(v, at);
    else if (typeof v === 'bigint') f.writeBigUInt64LE(v, at);
    else if (w === 1) f.writeUInt8(v, at);
    else if (w === 2) f.writeUInt16LE(v, at);
    else f.writeUInt32LE(v >>> 0, at);
  }
  const set = strings.length ? Buffer.concat([...strings.map((s) => Buffer.from(`${s}\0`, 'latin1')), Buffer.from([0])]) : Buffer.from([0, 0]);
  return Buffer.concat([f.subarray(0, length), set]);
}

export interface Dimm {
  handle: number; size: number; extendedSize?: number; speed?: number; extendedSpeed?: number;
  locator?: string; bank?: string; manufacturer?: string; serial?: string; asset?: string; part?: string; length?: number;
}

/** A type 17 with its strings numbered in order of the fields given. */
export function memoryDevice(d: Dimm): Buffer {
  const strings: string[] = [];
  const n = (s: string | undefined): number => (s === undefined ? 0 : strings.push(s));
  const fields: Record<string, Value> = {
    array_handle: 0x1000, error_information_handle: 0xfffe, total_width: 72, data_width: 64, size: d.size, form_factor: 9, memory_type: 0x1a, type_detail: 0x80,
    device_locator: n(d.locator), bank_locator: n(d.bank), speed: d.speed ?? 0,
    manufacturer: n(d.manufacturer), serial_number: n(d.serial), asset_tag: n(d.asset), part_number: n(d.part),
    extended_size: d.extendedSize ?? 0, configured_speed: d.speed ?? 0, extended_speed: d.extendedSpeed ?? 0,
  };
  return structure(TYPE.MEMORY_DEVICE, d.handle, T17.offsets, T17.size, fields, strings, d.length ?? 0x28);
}

export function bios(vendor: string, version: string, date: string): Buffer {
  return structure(TYPE.BIOS, 0, T0.offsets, 0x18, { vendor: 1, version: 2, starting_segment: 0xe800, release_date: 3, characteristics: 0x08n }, [vendor, version, date]);
}

export function system(s: { manufacturer: string; product: string; serial?: string; uuid?: Uint8Array; family?: string }): Buffer {
  const strings = [s.manufacturer, s.product, 'v1'];
  if (s.serial) strings.push(s.serial);
  const fam = s.family ? strings.push(s.family) : 0;
  return structure(TYPE.SYSTEM, 0x100, T1.offsets, T1.size, {
    manufacturer: 1, product_name: 2, version: 3, serial_number: s.serial ? 4 : 0, uuid: s.uuid ?? new Uint8Array(16), wake_up_type: 6, family: fam,
  }, strings);
}

export function baseboard(manufacturer: string, product: string, serial: string): Buffer {
  return structure(TYPE.BASEBOARD, 0x200, T2.offsets, 0x0f, { manufacturer: 1, product: 2, version: 3, serial_number: 4, asset_tag: 0 }, [manufacturer, product, '1.0', serial]);
}

/** Type 19 over [startKB, endKB] (inclusive KB addresses), or byte addresses when `ext`. */
export function arrayMapped(handle: number, start: bigint, end: bigint, ext = false): Buffer {
  const f: Record<string, Value> = ext
    ? { starting_address: 0xffffffff, ending_address: 0xffffffff, array_handle: 0x1000, partition_width: 1, extended_starting_address: start, extended_ending_address: end }
    : { starting_address: Number(start >> 10n), ending_address: Number(end >> 10n), array_handle: 0x1000, partition_width: 1 };
  return structure(TYPE.ARRAY_MAPPED, handle, T19.offsets, T19.size, f, [], ext ? T19.size : 0x0f);
}

export function deviceMapped(handle: number, dimm: number, start: bigint, end: bigint): Buffer {
  return structure(TYPE.DEVICE_MAPPED, handle, T20.offsets, T20.size, {
    starting_address: Number(start >> 10n), ending_address: Number(end >> 10n), device_handle: dimm, array_mapped_handle: 0x1300, partition_row_position: 1,
  }, [], 0x13);
}

export const endOfTable = (handle = 0x7f00): Buffer => structure(TYPE.END, handle, HEADER.offsets, 4, {});

function fixChecksum(b: Buffer, at: number, n: number, field: number): void {
  b[field] = 0;
  let sum = 0;
  for (let i = at; i < at + n; i++) sum = (sum + b[i]!) & 0xff;
  b[field] = (0x100 - sum) & 0xff;
}

export type Anchor = '_SM3_' | '_SM_' | '_DMI_';

/** A `dmidecode --dump-bin` file: the entry point at 0, the table at 32. */
export function dumpBin(anchor: Anchor, structures: Buffer[], version: [number, number] = [3, 0]): Buffer {
  const table = Buffer.concat(structures);
  const ep = Buffer.alloc(DUMP_TABLE_OFFSET);
  if (anchor === '_SM3_') {
    ep.write('_SM3_', 0, 'latin1');
    ep.writeUInt8(EP_SM3.size, EP_SM3.offsets.length);
    ep.writeUInt8(version[0], EP_SM3.offsets.major);
    ep.writeUInt8(version[1], EP_SM3.offsets.minor);
    ep.writeUInt8(1, EP_SM3.offsets.revision);
    ep.writeUInt32LE(table.length, EP_SM3.offsets.table_max_size);
    ep.writeBigUInt64LE(BigInt(DUMP_TABLE_OFFSET), EP_SM3.offsets.table_address);
    fixChecksum(ep, 0, EP_SM3.size, EP_SM3.offsets.checksum);
  } else if (anchor === '_SM_') {
    ep.write('_SM_', 0, 'latin1');
    ep.writeUInt8(EP_SM.size, EP_SM.offsets.length);
    ep.writeUInt8(version[0], EP_SM.offsets.major);
    ep.writeUInt8(version[1], EP_SM.offsets.minor);
    ep.writeUInt16LE(Math.max(...structures.map((s) => s.length)), EP_SM.offsets.max_structure_size);
    ep.write('_DMI_', EP_SM_INTERMEDIATE, 'latin1');
    ep.writeUInt16LE(table.length, EP_SM.offsets.table_length);
    ep.writeUInt32LE(DUMP_TABLE_OFFSET, EP_SM.offsets.table_address);
    ep.writeUInt16LE(structures.length, EP_SM.offsets.structure_count);
    ep.writeUInt8((version[0] << 4) | version[1], EP_SM.offsets.bcd_revision);
    fixChecksum(ep, EP_SM_INTERMEDIATE, EP_DMI.size, EP_SM.offsets.intermediate_checksum);
    fixChecksum(ep, 0, EP_SM.size, EP_SM.offsets.checksum);
  } else {
    ep.write('_DMI_', 0, 'latin1');
    ep.writeUInt16LE(table.length, EP_DMI.offsets.table_length);
    ep.writeUInt32LE(DUMP_TABLE_OFFSET, EP_DMI.offsets.table_address);
    ep.writeUInt16LE(structures.length, EP_DMI.offsets.structure_count);
    ep.writeUInt8((version[0] << 4) | version[1], EP_DMI.offsets.bcd_revision);
    fixChecksum(ep, 0, EP_DMI.size, EP_DMI.offsets.checksum);
  }
  return Buffer.concat([ep, table]);
}
