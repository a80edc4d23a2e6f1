// pstore/zone images as fs/pstore/zone.c writes them (pstore_blk, mtdpstore): zones laid out
// by psz_alloc_zones(), each a struct psz_buffer; kmsg zones add struct psz_kmsg_header
// before pstore_dump()'s record; console/pmsg rings may have wrapped. For edge cases.
import { deflateRawSync } from 'node:zlib';
import { layoutZones, PSTORE_KMSG_HEADER_MAGIC, PSTORE_TYPE, PSZ_SIG, pszBuffer, pszKmsgHeader, type PszParams, type Zone } from '../../backends/pstore-blk/layout.js';

export interface PszSpec {
  params: Partial<PszParams> & { totalSize: number };
  /** kmsg records by zone number; text is what pstore_dump() wrote ("Oops#1 Part1\n" + log). */
  kmsg?: { zone: number; text: string; reason?: number; counter?: number; sec?: number; compressed?: boolean }[];
  /** Console log oldest-first; `wrapAt` is the ring's start (the ring is then full). */
  console?: { text: string; wrapAt?: number };
  pmsg?: Uint8Array;
  /** What unwritten storage holds: 0xff for MTD (erased flash), 0 for a fresh block device. */
  fill?: number;
}

export function pszParams(p: PszSpec['params']): PszParams {
  return { kmsgSize: 64 << 10, pmsgSize: 64 << 10, consoleSize: 64 << 10, ftraceSize: 64 << 10, cpus: 1, ...p };
}

function writeHeader(img: Uint8Array, zone: Zone, datalen: number, start: number): void {
  const dv = new DataView(img.buffer, img.byteOffset + zone.offset, pszBuffer.size);
  dv.setUint32(0, (PSZ_SIG ^ PSTORE_TYPE[zone.kind]) >>> 0, true);
  dv.setUint32(4, datalen, true);
  dv.setUint32(8, start, true);
}

export function buildPstoreBlk(spec: PszSpec): Uint8Array {
  const params = pszParams(spec.params);
  const img = new Uint8Array(params.totalSize).fill(spec.fill ?? 0);
  const zones = layoutZones(params);
  const kmsgZones = zones.filter((z) => z.kind === 'dmesg');
  for (const k of spec.kmsg ?? []) {
    const zone = kmsgZones[k.zone]!;
    const record = k.compressed ? deflateRawSync(Buffer.from(k.text)) : Buffer.from(k.text);
    const hlen = pszKmsgHeader.size;
    if (pszBuffer.size + hlen + record.length > zone.size) throw new Error(`builder: ${record.length} bytes do not fit kmsg zone ${k.zone}`);
    // psz_zone_write(FLUSH_ALL): the whole zone, buffer memset to 0xff by psz_init_zone()
    img.fill(0xff, zone.offset, zone.offset + zone.size);
    writeHeader(img, zone, hlen + record.length, 0);
    const h = new DataView(img.buffer, img.byteOffset + zone.offset + pszBuffer.size, hlen);
    const o = pszKmsgHeader.offsets;
    h.setUint32(o.magic, PSTORE_KMSG_HEADER_MAGIC, true);
    h.setBigInt64(o.tv_sec, BigInt(k.sec ?? 1_795_375_000), true);
    h.setBigInt64(o.tv_nsec, 123_456_789n, true);
    h.setUint8(o.compressed, k.compressed ? 1 : 0);
    h.setUint32(o.counter, k.counter ?? 1, true);
    h.setUint32(o.reason, k.reason ?? 2, true);
    img.set(record, zone.offset + pszBuffer.size + hlen);
  }
  const ring = (zone: Zone | undefined, content: Uint8Array, start: number) => {
    if (!zone) throw new Error('builder: no such zone in this layout');
    const cap = zone.size - pszBuffer.size;
    if (content.length > cap || (start && content.length !== cap)) throw new Error('builder: a wrapped ring is full, an unwrapped one fits');
    img.fill(0xff, zone.offset, zone.offset + zone.size);
    // psz_record_write(): the newest byte ends just before start
    writeHeader(img, zone, content.length, start || content.length);
    const data = img.subarray(zone.offset + pszBuffer.size, zone.offset + zone.size);
    data.set(content.subarray(0, content.length - start), start);
    data.set(content.subarray(content.length - start), 0);
  };
  if (spec.console) ring(zones.find((z) => z.kind === 'console'), Buffer.from(spec.console.text), spec.console.wrapAt ?? 0);
  if (spec.pmsg) ring(zones.find((z) => z.kind === 'pmsg'), spec.pmsg, 0);
  return img;
}
