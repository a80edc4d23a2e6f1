// Raw ramoops regions built as fs/pstore/ram.c lays them out (with ECC when params.ecc): dmesg zones with their
// "====sec.nsec-C|D" header, a console ring that may have wrapped, pmsg. For edge cases.
import { deflateRawSync } from 'node:zlib';
import { PERSISTENT_RAM_SIG, eccInfo, layoutZones, zoneGeometry, type EccInfo, type RamoopsParams, type Zone } from '../../backends/ramoops/layout.js';
import { ReedSolomon } from '../../backends/ramoops/reed-solomon.js';

export interface RegionSpec {
  params: Partial<RamoopsParams> & { memSize: number; recordSize: number };
  /** dmesg records by zone number: text (with its "Oops#1 Part1\n" line), compressed or not. */
  dmesg?: { zone: number; text: string; compressed?: boolean; sec?: number }[];
  /** Console log oldest-first; `wrapAt` puts the ring's start there (a wrapped ring). */
  console?: { text: string; wrapAt?: number };
  pmsg?: Uint8Array;
}

export function ramoopsParams(p: RegionSpec['params']): RamoopsParams {
  return { consoleSize: 4096, ftraceSize: 4096, pmsgSize: 4096, ecc: 0, flags: 0, ftraceCpus: 1, ...p };
}

function writeZone(region: Uint8Array, zone: Zone, content: Uint8Array, start = 0, ecc?: EccInfo): void {
  const dv = new DataView(region.buffer, region.byteOffset + zone.offset, 12);
  const cap = zoneGeometry(zone.size, ecc)!.bufferSize;
  if (content.length > cap) throw new Error(`builder: ${content.length} bytes do not fit a ${cap}-byte zone`);
  dv.setUint32(0, PERSISTENT_RAM_SIG, true);
  dv.setUint32(4, start, true);
  dv.setUint32(8, content.length, true);
  const data = region.subarray(zone.offset + 12, zone.offset + zone.size);
  // persistent_ram_save_old() reads data[start..size) then data[0..start)
  data.set(content.subarray(0, content.length - start), start);
  data.set(content.subarray(content.length - start), 0);
}

/** persistent_ram_update_ecc()/update_header_ecc(): parity of every block and of the header. */
function writeEcc(region: Uint8Array, zone: Zone, ecc: EccInfo): void {
  const geo = zoneGeometry(zone.size, ecc)!;
  const rs = new ReedSolomon(ecc.symSize, ecc.poly, ecc.eccSize);
  const data = zone.offset + 12;
  for (let b = 0; b < geo.eccBlocks; b++) {
    const block = region.subarray(data + b * ecc.blockSize, data + Math.min((b + 1) * ecc.blockSize, geo.bufferSize));
    if (block.every((x) => x === 0)) continue; // parity of zeros is zeros
    region.set(rs.encode(block), data + geo.parOffset + b * ecc.eccSize);
  }
  region.set(rs.encode(region.subarray(zone.offset, zone.offset + 12)), data + geo.parHeaderOffset);
}

export function buildRamoops(spec: RegionSpec): Uint8Array {
  const params = ramoopsParams(spec.params);
  const region = new Uint8Array(params.memSize);
  const zones = layoutZones(params);
  const ecc = eccInfo(params.ecc);
  for (const z of zones) new DataView(region.buffer, z.offset, 4).setUint32(0, PERSISTENT_RAM_SIG, true);
  for (const d of spec.dmesg ?? []) {
    const zone = zones.filter((z) => z.kind === 'dmesg')[d.zone]!;
    const body = d.compressed ? deflateRawSync(Buffer.from(d.text)) : Buffer.from(d.text);
    const header = Buffer.from(`====${d.sec ?? 1700000000}.123456-${d.compressed ? 'C' : 'D'}\n`);
    writeZone(region, zone, Buffer.concat([header, body]), 0, ecc);
  }
  const consoleZone = zones.find((z) => z.kind === 'console');
  if (spec.console && consoleZone) {
    const text = Buffer.from(spec.console.text);
    const wrapAt = spec.console.wrapAt ?? 0;
    if (wrapAt && text.length !== zoneGeometry(consoleZone.size, ecc)!.bufferSize) throw new Error('builder: a wrapped ring is full');
    writeZone(region, consoleZone, text, wrapAt, ecc);
  }
  const pmsgZone = zones.find((z) => z.kind === 'pmsg');
  if (spec.pmsg && pmsgZone) writeZone(region, pmsgZone, spec.pmsg, 0, ecc);
  if (ecc) for (const z of zones) writeEcc(region, z, ecc);
  return region;
}
