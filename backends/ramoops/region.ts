// A raw ramoops region read zone by zone: zones from the parameters (options) or by
// scanning, each zone read back as the kernel does after a reboot (ram_core.c: ECC, the ring
// unrolled) and a dmesg record's "====" header read and its text decompressed.
import type { ReadContext } from '../../src/backend.js';
import { InputFile } from '../../src/input/file.js';
import { ReadWindow } from '../../src/input/window.js';
import { parseRamoopsHeader } from '../../src/pstore/header.js';
import { inflateRecord, PSTORE_INFLATE_RATIO, type InflateProblem } from '../../src/util/inflate.js';
import { eccInfo, layoutZones, persistentRamBuffer, type EccInfo, type Zone } from './layout.js';
import { givenParams, paramsFromOptions } from './params.js';
import { detectEcc, scanZones, zoneSigKind } from './scan.js';
import { eccNotice, readZone } from './zone.js';

/** Largest zone read into memory, and largest decompressed dmesg record. */
const MAX_ZONE_BYTES = 64 << 20;
const MAX_INFLATED_BYTES = 64 << 20;

/** One record of a region as the pstore file the kernel would show for it. */
export interface RamoopsRecord {
  zone: Zone;
  /** dmesg-ramoops-N, console-ramoops-0, ... */
  name: string;
  /** The record's text (decompressed); in a reused buffer when read for messages (Region.into). */
  text: Uint8Array;
  /** persistent_ram_ecc_string()'s notice, in an ECC region. */
  notice?: string;
  /** Bytes as the pstore file shows them (text, then the notice): made when asked for. */
  readonly bytes: Uint8Array;
  /** Bytes of the record text before the ECC notice. */
  textLength: number;
  time?: Date;
  /** Byte offset in the region of the record's text (after the ==== header). */
  offset: number;
  compressed: boolean;
  /** ECC found nothing to mend (or there is none): read again, it needs no decoding. */
  clean: boolean;
}

function record(r: Omit<RamoopsRecord, 'bytes' | 'textLength'>): RamoopsRecord {
  return {
    ...r,
    textLength: r.text.length,
    get bytes() {
      return r.notice ? Buffer.concat([r.text, Buffer.from(r.notice, 'latin1')]) : r.text;
    },
  };
}

/** A record written to a zone of `zoneSize` bytes inflates to at most 3x that (util/inflate.ts). */
const inflate = (data: Uint8Array, zoneSize: number, problem: (p: InflateProblem) => void): Buffer =>
  inflateRecord(data, Math.min(MAX_INFLATED_BYTES, PSTORE_INFLATE_RATIO * zoneSize), problem);

async function zonesOf(f: ReadWindow, ctx: ReadContext): Promise<{ zones: Zone[]; ecc?: EccInfo }> {
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
  const n = given ?? (zones[0] ? await detectEcc(f.file, zones[0]) : 0);
  return { zones, ...(n ? { ecc: eccInfo(n)! } : {}) };
}

/**
 * How a zone is decoded: `check` false skips ECC (a zone read again that was clean); `into`
 * gives a reused buffer for its text, which is then good only until the next zone is read.
 */
interface Decode {
  check?: boolean;
  into?: (size: number) => Uint8Array;
}

/** One zone as the kernel's pstore would show it, or undefined (a problem says why, when it is damaged). */
export async function decodeZone(f: ReadWindow, zone: Zone, ecc: EccInfo | undefined, ctx: ReadContext, how: Decode = {}): Promise<RamoopsRecord | undefined> {
  const path = f.path;
  const size = Math.min(zone.size, MAX_ZONE_BYTES);
  const raw = await f.read(zone.offset, size);
  if (raw.length < size) {
    ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone: expected ${size} bytes, region ends after ${raw.length}` });
    return undefined;
  }
  const z = readZone(raw, zone, path, ecc, how.check, how.into);
  if (z.invalid) {
    ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone ${zone.index}: ${z.invalid}` });
    return undefined;
  }
  if (z.correctedBytes || z.badBlocks) {
    ctx.problem({ path, offset: zone.offset, message: `${zone.kind} zone ${zone.index}: ECC corrected ${z.correctedBytes} bytes, ${z.badBlocks} unrecoverable blocks` });
  }
  if (z.data.length === 0) return undefined;
  const common = { zone, clean: !z.correctedBytes && !z.badBlocks, ...(ecc ? { notice: eccNotice(z) } : {}) };
  const dataOffset = zone.offset + persistentRamBuffer.size;
  if (zone.kind !== 'dmesg') return record({ ...common, name: `${zone.kind}-ramoops-${zone.index}`, text: z.data, offset: dataOffset, compressed: false });
  const hdr = parseRamoopsHeader(z.data);
  if (!hdr) {
    ctx.problem({ path, offset: dataOffset, message: `dmesg zone ${zone.index}: no "====<sec>.<nsec>-<C|D>" record header` });
    return undefined;
  }
  let text: Uint8Array = z.data.subarray(hdr.length);
  if (hdr.compressed) {
    try {
      text = inflate(text, zone.size, (p) => ctx.problem({ path, offset: dataOffset + hdr.length + p.offset, message: `dmesg zone ${zone.index}: ${p.message}` }));
    } catch (err) {
      ctx.problem({ path, offset: dataOffset + hdr.length, message: `dmesg zone ${zone.index}: cannot decompress: ${(err as Error).message}` });
      return undefined;
    }
  }
  return record({ ...common, name: `dmesg-ramoops-${zone.index}`, text, time: hdr.time, offset: dataOffset + hdr.length, compressed: hdr.compressed });
}

export interface Region {
  f: ReadWindow;
  zones: Zone[];
  ecc?: EccInfo;
  /**
   * Buffers zones are unrolled into, when records are used before the next is read: one
   * for reading, one for reading parts again (the zone just read waits meanwhile).
   */
  into?: (size: number) => Uint8Array;
  again?: (size: number) => Uint8Array;
}

/** One buffer for every zone's text, grown to the largest. */
function reused(): (size: number) => Uint8Array {
  let buf = new Uint8Array(0);
  return (size) => (buf.length >= size ? buf : (buf = new Uint8Array(size))).subarray(0, size);
}

export async function openRegion(f: InputFile, ctx: ReadContext, reuse: boolean): Promise<Region> {
  const win = new ReadWindow(f);
  const { zones, ecc } = await zonesOf(win, ctx);
  if (zones.length === 0) ctx.problem({ path: f.path, offset: 0, message: 'no ramoops zone found (no persistent_ram_buffer signature; give record_size/mem_size)' });
  return { f: win, zones, ...(ecc ? { ecc } : {}), ...(reuse ? { into: reused(), again: reused() } : {}) };
}

/** The records of a region, zone by zone, each read as it is reached. */
export async function* regionRecords(r: Region, ctx: ReadContext): AsyncGenerator<RamoopsRecord> {
  for (const zone of r.zones) {
    const rec = await decodeZone(r.f, zone, r.ecc, ctx, r.into ? { into: r.into } : {});
    if (rec) yield rec;
  }
}

/** Every record of the region at `path`, as the kernel's pstore would list them. */
export async function* readRegion(path: string, ctx: ReadContext): AsyncGenerator<RamoopsRecord> {
  const f = await InputFile.open(path);
  try {
    yield* regionRecords(await openRegion(f, ctx, false), ctx);
  } finally {
    await f.close();
  }
}
