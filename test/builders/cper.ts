// Tiny CPER writers for tests: records (cper_record_header + section descriptors), ERST
// stores (QEMU's ERSTStorageHeader + slots), BERT regions (acpi_hest_generic_status +
// acpi_hest_generic_data v1/v3), and the section bodies: struct mce, cper_sec_mem_err.
// Layouts from src/cper/layout.ts, backends/erst/layout.ts, src/mce/struct.ts.
import { QEMU_ERST_HEADER } from '../../backends/erst/layout.js';
import { guidBytes } from '../../src/cper/guid.js';
import { ACPI_HEST_GENERIC_DATA, ACPI_HEST_GENERIC_STATUS, CPER_RECORD_HEADER, CPER_SECTION_DESCRIPTOR, CPER_SEC_MEM_ERR, GUIDS } from '../../src/cper/layout.js';
import { STRUCT_MCE } from '../../src/mce/struct.js';

type Offsets = Readonly<Record<string, number>>;

/** Little-endian field writer over a zeroed buffer, by struct offsets. */
function writer(size: number, offsets: Offsets, base = 0, buf = Buffer.alloc(size)) {
  return {
    buf,
    u8: (f: string, v: number) => buf.writeUInt8(v, base + offsets[f]!),
    u16: (f: string, v: number) => buf.writeUInt16LE(v, base + offsets[f]!),
    u32: (f: string, v: number) => buf.writeUInt32LE(v >>> 0, base + offsets[f]!),
    u64: (f: string, v: bigint) => buf.writeBigUInt64LE(BigInt.asUintN(64, v), base + offsets[f]!),
    bytes: (f: string, v: Uint8Array) => buf.set(v, base + offsets[f]!),
  };
}

export const SEV = { recoverable: 0, fatal: 1, corrected: 2, info: 3 } as const;

export interface MceFields {
  bank: number; status: bigint; addr?: bigint; misc?: bigint; mcgstatus?: bigint; cpu?: number; socket?: number; time?: number;
  cpuvendor?: number; synd?: bigint; ipid?: bigint; microcode?: number;
}

export function structMce(m: MceFields): Buffer {
  const w = writer(STRUCT_MCE.size, STRUCT_MCE.offsets);
  w.u64('status', m.status);
  w.u64('addr', m.addr ?? 0n);
  w.u64('misc', m.misc ?? 0n);
  w.u64('mcgstatus', m.mcgstatus ?? 0n);
  w.u64('time', BigInt(m.time ?? 0));
  w.u8('bank', m.bank);
  w.u32('extcpu', m.cpu ?? 0);
  w.u32('socketid', m.socket ?? 0);
  w.u8('cpuvendor', m.cpuvendor ?? 0);
  w.u64('synd', m.synd ?? 0n);
  w.u64('ipid', m.ipid ?? 0n);
  w.u32('microcode', m.microcode ?? 0);
  return w.buf;
}

export interface MemErrFields {
  validation: bigint; pa?: bigint; node?: number; card?: number; module?: number; bank?: number; row?: number; column?: number; errorType?: number;
  extended?: number; rank?: number; devHandle?: number;
}

export function memErr(m: MemErrFields, old = false): Buffer {
  const w = writer(CPER_SEC_MEM_ERR.size, CPER_SEC_MEM_ERR.offsets);
  w.u64('validation_bits', m.validation);
  w.u64('physical_addr', m.pa ?? 0n);
  w.u16('node', m.node ?? 0);
  w.u16('card', m.card ?? 0);
  w.u16('module', m.module ?? 0);
  w.u16('bank', m.bank ?? 0);
  w.u16('row', m.row ?? 0);
  w.u16('column', m.column ?? 0);
  w.u8('error_type', m.errorType ?? 0);
  w.u8('extended', m.extended ?? 0);
  w.u16('rank', m.rank ?? 0);
  w.u16('mem_dev_handle', m.devHandle ?? 0);
  return old ? w.buf.subarray(0, CPER_SEC_MEM_ERR.offsets.extended) : w.buf;
}

export interface SectionSpec { type: string; severity?: number; data: Uint8Array; offset?: number; length?: number }
export interface RecordSpec { severity?: number; recordId?: bigint; creator?: string; timestamp?: bigint; validation?: number; sections: SectionSpec[]; recordLength?: number; signature?: string; sectionCount?: number }

export function cperRecord(r: RecordSpec): Buffer {
  const descEnd = CPER_RECORD_HEADER.size + r.sections.length * CPER_SECTION_DESCRIPTOR.size;
  const total = descEnd + r.sections.reduce((n, s) => n + s.data.length, 0);
  const w = writer(total, CPER_RECORD_HEADER.offsets);
  w.bytes('signature', Buffer.from(r.signature ?? 'CPER', 'latin1'));
  w.u16('revision', 0x100);
  w.u32('signature_end', 0xffffffff);
  w.u16('section_count', r.sectionCount ?? r.sections.length);
  w.u32('error_severity', r.severity ?? SEV.fatal);
  w.u32('validation_bits', r.validation ?? 0);
  w.u32('record_length', r.recordLength ?? total);
  w.u64('timestamp', r.timestamp ?? 0n);
  w.bytes('creator_id', guidBytes(r.creator ?? GUIDS.CREATOR_PSTORE));
  w.u64('record_id', r.recordId ?? 1n);
  let at = descEnd;
  r.sections.forEach((s, i) => {
    const d = writer(0, CPER_SECTION_DESCRIPTOR.offsets, CPER_RECORD_HEADER.size + i * CPER_SECTION_DESCRIPTOR.size, w.buf);
    d.u32('section_offset', s.offset ?? at);
    d.u32('section_length', s.length ?? s.data.length);
    d.u16('revision', 0x100);
    d.bytes('section_type', guidBytes(s.type));
    d.u32('section_severity', s.severity ?? SEV.fatal);
    w.buf.set(s.data, at);
    at += s.data.length;
  });
  return w.buf;
}

/** A QEMU acpi-erst backing file: header and map in slot 0, then one record per slot; `cleared` slots keep their bytes but not their map entry. */
export function qemuErstStore(records: Uint8Array[], slot = 0x2000, cleared: number[] = []): Buffer {
  const buf = Buffer.alloc(slot * (records.length + 1), 0xff);
  buf.fill(0, 0, slot);
  const w = writer(0, QEMU_ERST_HEADER.offsets, 0, buf);
  w.bytes('magic', Buffer.from('ERSTSTOR', 'latin1'));
  w.u32('storage_offset', slot);
  w.u32('record_size', slot);
  w.u16('version', 0x100);
  w.u32('record_count', records.length - cleared.length);
  records.forEach((r, i) => {
    buf.set(r.subarray(0, slot), slot * (i + 1));
    // map[index] = the record id at CPER offset 96 (UEFI_CPER_RECORD_ID_OFFSET), 0 when cleared.
    const id = cleared.includes(i) ? 0n : Buffer.from(r).readBigUInt64LE(CPER_RECORD_HEADER.offsets.record_id);
    buf.writeBigUInt64LE(id, QEMU_ERST_HEADER.size + 8 * (i + 1));
  });
  return buf;
}

export interface GdataSpec { type: string; severity?: number; data: Uint8Array; v3?: boolean; timestamp?: bigint; length?: number }
export interface BlockSpec { blockStatus?: number; severity?: number; sections: GdataSpec[]; dataLength?: number }

/** One generic error status block with its generic data entries. */
export function estatusBlock(b: BlockSpec): Buffer {
  const entries = b.sections.map((s) => {
    const head = ACPI_HEST_GENERIC_DATA.size + (s.v3 ? 8 : 0);
    const w = writer(head + s.data.length, ACPI_HEST_GENERIC_DATA.offsets);
    w.bytes('section_type', guidBytes(s.type));
    w.u32('error_severity', s.severity ?? SEV.fatal);
    w.u16('revision', s.v3 ? 0x300 : 0x201);
    w.u8('validation_bits', s.timestamp !== undefined ? 0x4 : 0);
    w.u32('error_data_length', s.length ?? s.data.length);
    if (s.v3) w.buf.writeBigUInt64LE(s.timestamp ?? 0n, ACPI_HEST_GENERIC_DATA.size);
    w.buf.set(s.data, head);
    return w.buf;
  });
  const data = Buffer.concat(entries);
  const w = writer(ACPI_HEST_GENERIC_STATUS.size, ACPI_HEST_GENERIC_STATUS.offsets);
  w.u32('block_status', b.blockStatus ?? 0x1 | (entries.length << 4));
  w.u32('data_length', b.dataLength ?? data.length);
  w.u32('error_severity', b.severity ?? SEV.fatal);
  return Buffer.concat([w.buf, data]);
}

/** CPER timestamp (BCD sec, min, hour, flags, day, month, year, century). */
export function bcdTimestamp(d: Date): bigint {
  const bcd = (n: number) => BigInt(((Math.floor(n / 10) % 10) << 4) | n % 10);
  const parts = [d.getUTCSeconds(), d.getUTCMinutes(), d.getUTCHours(), 0, d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear() % 100, Math.floor(d.getUTCFullYear() / 100)];
  return parts.reduce((acc, p, i) => acc | (bcd(p) << BigInt(i * 8)), 0n);
}
