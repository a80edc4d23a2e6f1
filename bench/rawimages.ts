// Raw images for the rawstores benchmark, written by position as the kernel lays them out:
// a ramoops region with ECC (fs/pstore/ram.c ramoops_probe, ram_core.c), an mtdoops
// partition with every slot written (drivers/mtd/mtdoops.c), and a pstore/blk disk of 1 GiB
// (fs/pstore/zone.c psz_alloc_zones: pstore/zone uses the first 128 MiB; the rest is a hole).
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { eccInfo, layoutZones, PERSISTENT_RAM_SIG, zoneGeometry, type RamoopsParams } from '../backends/ramoops/layout.js';
import { ReedSolomon } from '../backends/ramoops/reed-solomon.js';
import { MTDOOPS_KERNMSG_MAGIC_V2 } from '../backends/mtdoops/layout.js';
import * as blk from '../backends/pstore-blk/layout.js';

const MIB = 1024 * 1024;

/** Log lines, `bytes` long (the last one cut). */
function logText(bytes: number, seed: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const l = `<4>[${String(seed + i).padStart(6)}.000000] rawstores bench line ${i} of record ${seed}: worker pool busy\n`;
    lines.push(l);
    n += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

/** 64 MiB, record_size 64 KiB, console 256 KiB, ecc 16, every dmesg zone holding a record. Returns its size. */
export function makeRamoops(path: string): number {
  const params: RamoopsParams = { memSize: 64 * MIB, recordSize: 64 * 1024, consoleSize: 256 * 1024, ftraceSize: 4096, pmsgSize: 4096, ecc: 16, flags: 0, ftraceCpus: 1 };
  const ecc = eccInfo(params.ecc)!;
  const rs = new ReedSolomon(8, ecc.poly, ecc.eccSize);
  const fd = openSync(path, 'w');
  for (const z of layoutZones(params)) {
    const geo = zoneGeometry(z.size, ecc)!;
    const content = z.kind === 'dmesg'
      ? Buffer.concat([Buffer.from(`====1795374315.${z.index}-D\nPanic#${z.index + 1} Part1\n`), logText(geo.bufferSize - 64, z.index)])
      : z.kind === 'console' ? logText(geo.bufferSize, 0) : Buffer.alloc(0);
    const zone = Buffer.alloc(z.size);
    zone.writeUInt32LE(PERSISTENT_RAM_SIG, 0);
    zone.writeUInt32LE(0, 4);
    zone.writeUInt32LE(content.length, 8);
    content.copy(zone, 12);
    for (let b = 0; b * ecc.blockSize < content.length; b++) {
      const at = 12 + b * ecc.blockSize;
      zone.set(rs.encode(zone.subarray(at, at + Math.min(ecc.blockSize, geo.bufferSize - b * ecc.blockSize))), 12 + geo.parOffset + b * ecc.eccSize);
    }
    zone.set(rs.encode(zone.subarray(0, 12)), 12 + geo.parHeaderOffset);
    writeSync(fd, zone, 0, zone.length, z.offset);
  }
  ftruncateSync(fd, params.memSize);
  closeSync(fd);
  return params.memSize;
}

/** 256 MiB of 4 KiB records, every slot written. */
export function makeMtdoops(path: string): number {
  const size = 256 * MIB;
  const record = 4096;
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4 * MIB);
  for (let pos = 0, seq = 1; pos < size; pos += chunk.length) {
    chunk.fill(0xff);
    for (let at = 0; at < chunk.length; at += record, seq++) {
      chunk.writeUInt32LE(seq, at);
      chunk.writeUInt32LE(MTDOOPS_KERNMSG_MAGIC_V2, at + 4);
      chunk.writeBigInt64LE(1_795_375_264_000_000_000n + BigInt(seq), at + 8);
      logText(record - 17, seq).copy(chunk, at + 16);
      chunk[at + record - 1] = 0;
    }
    writeSync(fd, chunk, 0, chunk.length, pos);
  }
  closeSync(fd);
  return size;
}

export const BLK_DISK_BYTES = 1024 * MIB;

/**
 * A 1 GiB pstore_blk disk with blk.c's default zone sizes (64 KiB each; 2 CPUs' ftrace
 * zones): pstore/zone caps total_size at 128 MiB (register_pstore_zone), so 2045 kmsg zones
 * fill that, each a flushed Oops record, and the console ring holds a full log.
 */
export function makePstoreBlk(path: string): number {
  const params: blk.PszParams = { totalSize: BLK_DISK_BYTES, kmsgSize: 64 * 1024, pmsgSize: 64 * 1024, consoleSize: 64 * 1024, ftraceSize: 64 * 1024, cpus: 2 };
  const fd = openSync(path, 'w');
  const { pszBuffer: buf, pszKmsgHeader: kh } = blk;
  for (const z of blk.layoutZones(params)) {
    if (z.kind === 'ftrace' || z.kind === 'pmsg') continue; // never written: no header
    // psz_init_zone(): the zone's buffer starts as 0xff; psz_zone_write() flushes it whole
    const zone = Buffer.alloc(z.size, 0xff);
    const room = z.size - buf.size;
    let data: Buffer;
    if (z.kind === 'dmesg') {
      const h = Buffer.alloc(kh.size);
      h.writeUInt32LE(blk.PSTORE_KMSG_HEADER_MAGIC, kh.offsets.magic);
      h.writeBigInt64LE(BigInt(1_795_375_000 + z.index), kh.offsets.tv_sec);
      h.writeUInt8(0, kh.offsets.compressed);
      h.writeUInt32LE(z.index + 1, kh.offsets.counter);
      h.writeUInt32LE(2, kh.offsets.reason); // KMSG_DUMP_OOPS
      const text = Buffer.from(`Oops#${z.index + 1} Part1\n`);
      data = Buffer.concat([h, text, logText(room - kh.size - text.length, z.index)]);
    } else data = logText(room, 0);
    zone.writeUInt32LE((blk.PSZ_SIG ^ blk.PSTORE_TYPE[z.kind]) >>> 0, 0);
    zone.writeUInt32LE(data.length, 4);
    zone.writeUInt32LE(z.kind === 'dmesg' ? 0 : data.length, 8);
    data.copy(zone, buf.size);
    writeSync(fd, zone, 0, zone.length, z.offset);
  }
  ftruncateSync(fd, BLK_DISK_BYTES);
  closeSync(fd);
  return BLK_DISK_BYTES;
}
