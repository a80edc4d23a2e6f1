// Reading a pstore/zone image (pstore_blk block device or mtdpstore partition) as
// fs/pstore/zone.c does after a reboot: kmsg zones by their psz_kmsg_header (psz_kmsg_read),
// console/pmsg/ftrace rings unrolled at start (psz_recover_zone: data[start..datalen) then
// data[0..start)). Damaged zones are reported with their offset; the others are still read.
// Zone by zone, by position: the image is never held, whatever the disk's size.
import type { ReadContext, Yielded } from '../../src/backend.js';
import type { BlobRecord, SourceRef } from '../../src/model/index.js';
import { InputFile } from '../../src/input/file.js';
import { copyOf, ReadWindow } from '../../src/input/window.js';
import { messageBatches } from '../../src/kmsg/batches.js';
import { pushRecordLines } from '../../src/kmsg/record-lines.js';
import { zoneRecords, type ZonePart } from '../../src/pstore/zone-store.js';
import { Cursor } from '../../src/util/cursor.js';
import { kmsgRecord, label, PSI_NAME, type PszRecord } from './kmsg.js';
import { layoutZones, pszBuffer, zoneKindOfSig, type PszParams, type Zone } from './layout.js';
import { paramsFromOptions } from './params.js';
import { scanZones } from './scan.js';

export type { PszRecord } from './kmsg.js';

const ID = 'pstore-blk';
/** Largest zone read into memory. */
const MAX_ZONE_BYTES = 64 << 20;

/** psz_read_next_zone(): kmsg zones, then ftrace, pmsg, console. */
const READ_ORDER: Record<Zone['kind'], number> = { dmesg: 0, ftrace: 1, pmsg: 2, console: 3 };

/** Zone headers of the image where a layout puts a zone of that kind. */
async function matchingZones(f: ReadWindow, zones: readonly Zone[]): Promise<number> {
  let matching = 0;
  for (const z of zones) {
    const head = await f.read(z.offset, 4);
    if (head.length === 4 && zoneKindOfSig(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true)) === z.kind) matching++;
  }
  return matching;
}

/**
 * The layouts the options allow: the sizes given, and each size not given either its
 * default or 0 (pstore_blk's verify_size() makes a zone 0 when its front end is not
 * built in, fs/pstore/blk.c), so `kmsg_size=64` alone fits a kernel with no pmsg,
 * console or ftrace zone.
 */
function candidateLayouts(params: PszParams): PszParams[] {
  let out: PszParams[] = [params];
  for (const key of params.assumed ?? []) out = out.flatMap((p) => [p, { ...p, [key]: 0 }]);
  return out;
}

async function zonesOf(f: ReadWindow, ctx: ReadContext): Promise<Zone[]> {
  const params = paramsFromOptions(ctx.options, f.size);
  if (!params) return scanZones(f);
  let best: { zones: Zone[]; matching: number } | undefined;
  for (const p of candidateLayouts(params)) {
    const zones = layoutZones(p);
    const matching = await matchingZones(f, zones);
    if (!best || matching > best.matching) best = { zones, matching };
  }
  if (best!.matching > 0 || best!.zones.length === 0) return best!.zones;
  const scanned = await scanZones(f);
  if (scanned.length === 0) return best!.zones;
  ctx.problem({ path: f.path, offset: best!.zones[0]!.offset, message: 'the pstore_blk parameters given do not match this image (no zone header where they put a zone); zones found by scanning instead' });
  return scanned;
}

/** One zone's record, or undefined: never written, or damaged (a problem says so). */
async function decodeZone(f: ReadWindow, zone: Zone, ctx: ReadContext, copy: boolean): Promise<PszRecord | undefined> {
  const path = f.path;
  if (zone.offset >= f.size) return undefined; // the image ends before this zone (a cut image)
  const head = await f.read(zone.offset, pszBuffer.size);
  if (head.length < pszBuffer.size) {
    ctx.problem({ path, offset: zone.offset, message: `${label(zone)} zone ${zone.index}: cut off by the end of the image` });
    return undefined;
  }
  const hdr = pszBuffer.read(new Cursor(head, path, zone.offset));
  // A zone without its sig was never written (psz_recover_zone: "no valid data").
  if (zoneKindOfSig(hdr.sig) !== zone.kind || hdr.datalen === 0) return undefined;
  const room = zone.size - pszBuffer.size;
  if (hdr.datalen > room || hdr.start > hdr.datalen) {
    ctx.problem({ path, offset: zone.offset, message: `${label(zone)} zone ${zone.index}: invalid psz_buffer: datalen ${hdr.datalen}, start ${hdr.start}, zone holds ${room}` });
    return undefined;
  }
  const want = pszBuffer.size + Math.min(hdr.datalen, MAX_ZONE_BYTES);
  // The window's bytes are good only until its next read: a copy when the record is kept.
  const read = await f.read(zone.offset, want);
  const raw = copy ? copyOf(read) : read;
  if (raw.length < want) {
    ctx.problem({ path, offset: zone.offset + raw.length, message: `${label(zone)} zone ${zone.index}: expected ${want} bytes, the image ends after ${raw.length}; the rest is kept` });
  }
  if (zone.kind === 'dmesg') return kmsgRecord(raw, zone, path, ctx);
  const data = raw.subarray(pszBuffer.size);
  const start = Math.min(hdr.start, data.length);
  const text = Buffer.concat([data.subarray(start), data.subarray(0, start)]);
  const rec: PszRecord = { zone, name: `${zone.kind}-${PSI_NAME}-${zone.index}`, bytes: text, text };
  if (start === 0 || start === data.length) rec.offset = zone.offset + pszBuffer.size; // not wrapped
  return rec;
}

/** The image's records zone by zone, in psz_read_next_zone()'s order. */
async function* imageRecords(f: ReadWindow, ctx: ReadContext, copy: boolean): AsyncGenerator<PszRecord> {
  const zones = await zonesOf(f, ctx);
  if (zones.length === 0) ctx.problem({ path: f.path, offset: 0, message: 'no pstore/zone header found (no psz_buffer signature; give kmsg_size etc.)' });
  for (const zone of [...zones].sort((a, b) => READ_ORDER[a.kind] - READ_ORDER[b.kind] || a.offset - b.offset)) {
    const rec = await decodeZone(f, zone, ctx, copy);
    if (rec) yield rec;
  }
}

/** Every record of the image at `path`, as pstore would list them. */
export async function* readImage(path: string, ctx: ReadContext): AsyncGenerator<PszRecord> {
  const f = await InputFile.open(path);
  try {
    yield* imageRecords(new ReadWindow(f), ctx, true);
  } finally {
    await f.close();
  }
}

function sourceOf(rec: PszRecord, path: string): SourceRef {
  return { backend: ID, path, id: rec.name, ...(rec.offset !== undefined ? { offset: rec.offset } : {}), ...(rec.header ? { part: rec.header.part } : {}) };
}

/** A kmsg zone's record as a part of its dump; read again from the image when not held. */
function dumpPart(rec: PszRecord, f: ReadWindow, options: ReadContext['options']): ZonePart {
  const part: ZonePart = {
    store: `dmesg-${PSI_NAME}`,
    text: rec.text,
    reload: async () => (await decodeZone(f, rec.zone, { options, problem: () => {} }, false))?.text,
    messages: (text) => messageBatches(text, sourceOf(rec, f.path)),
    push: (text, sink, id) => pushRecordLines(text, { ...sourceOf(rec, f.path), ...(id !== undefined ? { id } : {}) }, sink),
  };
  if (rec.header) part.header = rec.header;
  // psz_kmsg_header's time is the dump's (psz_kmsg_write_record).
  if (rec.time) part.time = rec.time;
  return part;
}

function* toRecords(rec: PszRecord, path: string): Generator<Yielded> {
  const source = sourceOf(rec, path);
  if (rec.zone.kind === 'console') return yield* messageBatches(rec.text, source);
  const blob: BlobRecord = { kind: 'blob', type: rec.zone.kind, size: rec.bytes.length, source };
  if (rec.time) blob.time = rec.time;
  yield [blob];
}

export async function* readPstoreBlk(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const f = await InputFile.open(path);
  try {
    const win = new ReadWindow(f);
    // imageRecords gives the kmsg zones first.
    yield* zoneRecords(imageRecords(win, ctx, false), (r) => dumpPart(r, win, ctx.options), (r) => toRecords(r, path), ctx.lines);
  } finally {
    await f.close();
  }
}
