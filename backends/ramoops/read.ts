// Reading a raw ramoops region: zones from the parameters (options) or by scanning, each
// zone read back as the kernel does after a reboot, dmesg records decompressed, and the
// text turned into KernelMessage records.
import type { ReadContext, Yielded } from '../../src/backend.js';
import type { BlobRecord, CrashRecord, KernelMessage, SourceRef } from '../../src/model/index.js';
import { imageFiles, InputFile } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { zoneRecords, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader, parseRamoopsHeader } from '../../src/pstore/header.js';
import { eccInfo, type EccInfo, type Zone } from './layout.js';
import { givenParams, paramsFromOptions } from './params.js';
import { detectEcc, scanZones, zoneSigKind } from './scan.js';
import { eccNotice, readZone } from './zone.js';
import { layoutZones } from './layout.js';
import { inflateRecord, PSTORE_INFLATE_RATIO, type InflateProblem } from '../../src/util/inflate.js';

/** Largest zone read into memory, and largest decompressed dmesg record. */
const MAX_ZONE_BYTES = 64 << 20;
const MAX_INFLATED_BYTES = 64 << 20;

/** One record of a region as the pstore file the kernel would show for it. */
export interface RamoopsRecord {
  zone: Zone;
  /** dmesg-ramoops-N, console-ramoops-0, ... */
  name: string;
  /** Bytes as the pstore file shows them (decompressed, ECC notice appended). */
  bytes: Uint8Array;
  /** Bytes of the record text before the ECC notice. */
  textLength: number;
  time?: Date;
  /** Byte offset in the region of the record's text (after the ==== header). */
  offset: number;
  compressed: boolean;
}

/** A record written to a zone of `zoneSize` bytes inflates to at most 3x that (util/inflate.ts). */
const inflate = (data: Uint8Array, zoneSize: number, problem: (p: InflateProblem) => void): Buffer =>
  inflateRecord(data, Math.min(MAX_INFLATED_BYTES, PSTORE_INFLATE_RATIO * zoneSize), problem);

async function zonesOf(f: InputFile, ctx: ReadContext): Promise<{ zones: Zone[]; ecc?: EccInfo }> {
  const params = paramsFromOptions(ctx.options, f.size);
  if (params) {
    const zones = layoutZones(params);
    // ramoops_probe() writes every zone's signature: most missing means other parameters
    // (one may be damaged: ECC may still mend it)
    let missing: number | undefined;
    let found = 0;
    for (const z of zones) {
      const head = await f.read(z.offset, 4);
      if (head.length === 4 && zoneSigKind(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true))) found++;
      else missing ??= z.offset;
    }
    if (found * 2 > zones.length) return { zones, ...(params.ecc ? { ecc: eccInfo(params.ecc)! } : {}) };
    ctx.problem({ path: f.path, offset: missing ?? 0, message: 'the ramoops parameters given do not match this region (no persistent_ram signature where they put a zone); zones found by scanning instead' });
  }
  const zones = await scanZones(f, f.size);
  const given = givenParams(ctx.options)['ecc'];
  const n = given ?? (zones[0] ? await detectEcc(f, zones[0]) : 0);
  return { zones, ...(n ? { ecc: eccInfo(n)! } : {}) };
}

/** Every record of the region at `path`, as the kernel's pstore would list them. */
export async function* readRegion(path: string, ctx: ReadContext): AsyncGenerator<RamoopsRecord> {
  const f = await InputFile.open(path);
  try {
    const { zones, ecc } = await zonesOf(f, ctx);
    if (zones.length === 0) ctx.problem({ path, offset: 0, message: 'no ramoops zone found (no persistent_ram_buffer signature; give record_size/mem_size)' });
    for (const zone of zones) {
      const size = Math.min(zone.size, MAX_ZONE_BYTES);
      const raw = await f.read(zone.offset, size);
      if (raw.length < size) {
        ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone: expected ${size} bytes, region ends after ${raw.length}` });
        continue;
      }
      const z = readZone(raw, zone, path, ecc);
      if (z.invalid) {
        ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone ${zone.index}: ${z.invalid}` });
        continue;
      }
      if (z.correctedBytes || z.badBlocks) {
        ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone ${zone.index}: ECC corrected ${z.correctedBytes} bytes, ${z.badBlocks} unrecoverable blocks` });
      }
      if (z.data.length === 0) continue;
      const notice = ecc ? Buffer.from(eccNotice(z), 'latin1') : Buffer.alloc(0);
      const dataOffset = zone.offset + 12;
      if (zone.kind !== 'dmesg') {
        yield { zone, name: `${zone.kind}-ramoops-${zone.index}`, bytes: Buffer.concat([z.data, notice]), textLength: z.data.length, offset: dataOffset, compressed: false };
        continue;
      }
      const hdr = parseRamoopsHeader(z.data);
      if (!hdr) {
        ctx.problem({ path, offset: dataOffset, message: `dmesg zone ${zone.index}: no "====<sec>.<nsec>-<C|D>" record header` });
        continue;
      }
      let text: Uint8Array = z.data.subarray(hdr.length);
      if (hdr.compressed) {
        try {
          text = inflate(text, zone.size, (p) => ctx.problem({ path, offset: dataOffset + hdr.length + p.offset, message: `dmesg zone ${zone.index}: ${p.message}` }));
        } catch (err) {
          ctx.problem({ path, offset: dataOffset + hdr.length, message: `dmesg zone ${zone.index}: cannot decompress: ${(err as Error).message}` });
          continue;
        }
      }
      yield { zone, name: `dmesg-ramoops-${zone.index}`, bytes: Buffer.concat([text, notice]), textLength: text.length, time: hdr.time, offset: dataOffset + hdr.length, compressed: hdr.compressed };
    }
  } finally {
    await f.close();
  }
}

/** A dmesg zone's record as a part of its dump. */
function dumpPart(rec: RamoopsRecord, path: string): DumpPart {
  const base: SourceRef = { backend: 'ramoops', path, id: rec.name };
  let text = rec.bytes.subarray(0, rec.textLength);
  let offset = rec.offset;
  // "Oops#1 Part1" is the record's header, not a log line (fs/pstore/platform.c)
  const header = parseDmesgHeader(Buffer.from(text.subarray(0, 64)).toString('latin1'));
  if (header) {
    base.part = header.part;
    text = text.subarray(header.length);
    if (!rec.compressed) offset += header.length;
  }
  const part: DumpPart = { lines: () => lines(text, base, offset, rec), store: 'dmesg-ramoops' };
  if (header) part.header = header;
  // The "====sec.nsec" header is the dump's time (ramoops_write_kmsg_hdr).
  if (rec.time) part.time = rec.time;
  return part;
}

/** Lines of a compressed record have no byte offset in the region: they share the record's. */
function lines(text: Uint8Array, base: SourceRef, offset: number, rec: RamoopsRecord): KernelMessage[] {
  const msgs = bytesToMessages(text, { ...base, offset });
  if (rec.compressed) for (const m of msgs) m.source = { ...m.source, offset: rec.offset };
  return msgs;
}

function toRecords(rec: RamoopsRecord, path: string): CrashRecord[] {
  const base: SourceRef = { backend: 'ramoops', path, id: rec.name };
  if (rec.zone.kind === 'console') return lines(rec.bytes.subarray(0, rec.textLength), base, rec.offset, rec);
  const blob: BlobRecord = { kind: 'blob', type: rec.zone.kind, size: rec.textLength, source: { ...base, offset: rec.offset } };
  if (rec.time) blob.time = rec.time;
  return [blob];
}

function isRegion(head: Uint8Array): boolean {
  return head.length >= 16 && zoneSigKind(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true)) !== undefined;
}

/** A region file, or a directory holding region files (each recognized by content). */
export async function* readRamoops(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const files = await imageFiles(path, 16, isRegion);
  // Dump zones come first in a region.
  for (const file of files) yield* zoneRecords(readRegion(file, ctx), (r) => dumpPart(r, file), (r) => toRecords(r, file));
}
