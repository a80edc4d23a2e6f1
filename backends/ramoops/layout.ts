// Raw ramoops region layout.
// Kernel sources: fs/pstore/ram.c (module parameters, ramoops_probe, ramoops_init_przs:
// dmesg zones first, then console, ftrace, pmsg), fs/pstore/ram_core.c (struct
// persistent_ram_buffer, persistent_ram_init_ecc, persistent_ram_save_old).
import { struct } from '../../src/util/struct.js';

/** PERSISTENT_RAM_SIG, "DBGC"; a zone's sig is this XOR its label sig (ftrace: version code). */
export const PERSISTENT_RAM_SIG = 0x43474244;
/** MIN_MEM_SIZE in ram.c: default record/console/ftrace/pmsg size. */
export const MIN_MEM_SIZE = 4096;
/** ramoops.flags bit RAMOOPS_FLAG_FTRACE_PER_CPU. */
export const RAMOOPS_FLAG_FTRACE_PER_CPU = 1;
/** Largest region or zone count this reader lays out. */
export const MAX_REGION_BYTES = 2 ** 40;
export const MAX_ZONES = 1 << 16;

/** struct persistent_ram_buffer { u32 sig; atomic_t start; atomic_t size; u8 data[]; } */
export const persistentRamBuffer = struct('persistent_ram_buffer', [
  ['sig', 'u32'],
  ['start', 'u32'],
  ['size', 'u32'],
] as const);

/** ECC parameters, defaults as persistent_ram_init_ecc() sets them. */
export interface EccInfo {
  blockSize: number; // 128
  eccSize: number; // nroots; ramoops.ecc=1 means 16
  symSize: number; // 8
  poly: number; // 0x11d
}

export interface RamoopsParams {
  memSize: number;
  recordSize: number;
  consoleSize: number;
  ftraceSize: number;
  pmsgSize: number;
  ecc: number;
  flags: number;
  ftraceCpus: number;
}

export type ZoneKind = 'dmesg' | 'console' | 'ftrace' | 'pmsg';

export interface Zone {
  kind: ZoneKind;
  /** dmesg zone number (the N of dmesg-ramoops-N), or ftrace cpu. */
  index: number;
  offset: number;
  size: number;
}

export function eccInfo(ecc: number): EccInfo | undefined {
  if (!ecc) return undefined;
  return { blockSize: 128, eccSize: ecc === 1 ? 16 : ecc, symSize: 8, poly: 0x11d };
}

/** Zone byte layout inside the zone: data size, parity area, header parity (ram_core.c). */
export interface ZoneGeometry {
  bufferSize: number;
  eccBlocks: number;
  /** offsets relative to the zone's data[] */
  parOffset: number;
  parHeaderOffset: number;
}

export function zoneGeometry(zoneSize: number, ecc?: EccInfo): ZoneGeometry | undefined {
  let bufferSize = zoneSize - persistentRamBuffer.size;
  if (bufferSize <= 0) return undefined;
  if (!ecc) return { bufferSize, eccBlocks: 0, parOffset: bufferSize, parHeaderOffset: bufferSize };
  // persistent_ram_init_ecc(): DIV_ROUND_UP(buffer_size - ecc_size, block_size + ecc_size)
  const eccBlocks = Math.ceil((bufferSize - ecc.eccSize) / (ecc.blockSize + ecc.eccSize));
  const total = (eccBlocks + 1) * ecc.eccSize;
  if (total >= bufferSize) return undefined;
  bufferSize -= total;
  return { bufferSize, eccBlocks, parOffset: bufferSize, parHeaderOffset: bufferSize + eccBlocks * ecc.eccSize };
}

/** Zones as ramoops_probe() lays them out from the module parameters. */
export function layoutZones(p: RamoopsParams): Zone[] {
  const zones: Zone[] = [];
  let at = 0;
  const dumpMem = p.memSize - p.consoleSize - p.ftraceSize - p.pmsgSize;
  if (dumpMem > 0 && p.recordSize > 0) {
    const cnt = Math.min(MAX_ZONES, Math.floor(dumpMem / p.recordSize));
    // ramoops_init_przs(): zone_sz = mem_sz / cnt, aligned down to 2
    const zoneSize = cnt > 0 ? Math.floor(dumpMem / cnt) & ~1 : 0;
    for (let i = 0; i < cnt && zoneSize > 0; i++) {
      zones.push({ kind: 'dmesg', index: i, offset: at, size: zoneSize });
      at += zoneSize;
    }
  }
  if (p.consoleSize > 0) zones.push({ kind: 'console', index: 0, offset: at, size: p.consoleSize });
  at += p.consoleSize;
  if (p.ftraceSize > 0) {
    const cpus = p.flags & RAMOOPS_FLAG_FTRACE_PER_CPU ? Math.max(1, Math.min(p.ftraceCpus, 4096)) : 1;
    const each = Math.floor(p.ftraceSize / cpus) & ~1;
    for (let i = 0; i < cpus && each > 0; i++) zones.push({ kind: 'ftrace', index: i, offset: at + i * each, size: each });
  }
  at += p.ftraceSize;
  if (p.pmsgSize > 0) zones.push({ kind: 'pmsg', index: 0, offset: at, size: p.pmsgSize });
  return zones.filter((z) => z.offset + z.size <= p.memSize);
}
