// Reading a pstore/zone image (pstore_blk block device or mtdpstore partition) as
// fs/pstore/zone.c does after a reboot: kmsg zones by their psz_kmsg_header (psz_kmsg_read),
// console/pmsg/ftrace rings unrolled at start (psz_recover_zone: data[start..datalen) then
// data[0..start)). Damaged zones are reported with their offset; the others are still read.
import type { ReadContext, Yielded } from '../../src/backend.js';
import type { BlobRecord, CrashRecord, SourceRef } from '../../src/model/index.js';
import { InputFile } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { zoneRecords, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader, type DmesgHeader } from '../../src/pstore/header.js';
import { Cursor } from '../../src/util/cursor.js';
import { messageOf } from '../../src/util/errors.js';
import { kmsgDumpReasonStr, layoutZones, PSTORE_KMSG_HEADER_MAGIC, pszBuffer, pszKmsgHeader, zoneKindOfSig, type PszParams, type Zone } from './layout.js';
import { paramsFromOptions } from './params.js';
import { scanZones } from './scan.js';
import { inflateRecord, PSTORE_INFLATE_RATIO, type InflateProblem } from '../../src/util/inflate.js';

const ID = 'pstore-blk';
/** The name pstore_blk registers (KBUILD_MODNAME); pstore files are <type>-pstore_blk-<id>. */
const PSI_NAME = 'pstore_blk';
/** Largest zone read into memory, and largest inflated kmsg record. */
const MAX_ZONE_BYTES = 64 << 20;
const MAX_INFLATED_BYTES = 64 << 20;
/** This many erased (0xff) bytes in a row inside datalen mean the write was torn. */
const TORN_RUN = 16;

/** psz_read_next_zone(): kmsg zones, then ftrace, pmsg, console. */
const READ_ORDER: Record<Zone['kind'], number> = { dmesg: 0, ftrace: 1, pmsg: 2, console: 3 };

export interface PszRecord {
  zone: Zone;
  /** dmesg-pstore_blk-N, console-pstore_blk-0, ... */
  name: string;
  /** The bytes pstore shows for the record ("Oops: Total 1 times\n" first when not compressed). */
  bytes: Uint8Array;
  /** The log text without pstore's lines (dmesg, console), for messages. */
  text: Uint8Array;
  /** File offset of text[0], when the text is stored as is (not compressed). */
  offset?: number;
  time?: Date;
  reason?: string;
  counter?: number;
  /** The "Oops#1 PartN" line (always Part1: pstore/zone keeps only Part1). */
  header?: DmesgHeader;
}

/** Zone names as zone.c's messages give them. */
const label = (z: Zone) => (z.kind === 'dmesg' ? 'kmsg' : z.kind);

/** A record written to a zone of `zoneSize` bytes inflates to at most 3x that (util/inflate.ts). */
const inflate = (data: Uint8Array, zoneSize: number, problem: (p: InflateProblem) => void): Buffer =>
  inflateRecord(data, Math.min(MAX_INFLATED_BYTES, PSTORE_INFLATE_RATIO * zoneSize), problem);

/** Zone headers of the image where a layout puts a zone of that kind. */
async function matchingZones(f: InputFile, zones: readonly Zone[]): Promise<number> {
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

async function zonesOf(f: InputFile, ctx: ReadContext): Promise<Zone[]> {
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

/** A kmsg zone's record, or undefined (with a problem when the zone is damaged). */
function kmsgRecord(raw: Uint8Array, zone: Zone, path: string, ctx: ReadContext): PszRecord | undefined {
  const at = zone.offset + pszBuffer.size;
  if (raw.length < pszBuffer.size + pszKmsgHeader.size) {
    ctx.problem({ path, offset: at, message: `kmsg zone ${zone.index}: psz_kmsg_header cut off by the end of the image` });
    return undefined;
  }
  const h = pszKmsgHeader.read(new Cursor(raw, path, zone.offset).seek(pszBuffer.size));
  if (h.magic !== PSTORE_KMSG_HEADER_MAGIC) {
    ctx.problem({ path, offset: at, message: `kmsg zone ${zone.index}: bad psz_kmsg_header magic 0x${h.magic.toString(16)} (expected 0x${PSTORE_KMSG_HEADER_MAGIC.toString(16)})` });
    return undefined;
  }
  const dataAt = pszBuffer.size + pszKmsgHeader.size;
  let body: Uint8Array = raw.subarray(dataAt);
  const reason = kmsgDumpReasonStr(h.reason);
  const time = h.tv_sec > 0n && h.tv_sec < 1n << 40n ? new Date(Number(h.tv_sec) * 1000 + Math.floor(Number(h.tv_nsec) / 1e6)) : undefined;
  const name = `dmesg-${PSI_NAME}-${zone.index}`;
  const base = { zone, name, ...(time ? { time } : {}), reason, counter: h.counter };
  if (h.compressed) {
    try {
      body = inflate(body, zone.size, (p) => ctx.problem({ path, offset: zone.offset + dataAt + p.offset, message: `kmsg zone ${zone.index}: ${p.message}` }));
    } catch (err) {
      ctx.problem({ path, offset: zone.offset + dataAt, message: `kmsg zone ${zone.index}: compressed record cannot be inflated: ${messageOf(err)}` });
      return undefined;
    }
    const { text, header } = stripHeader(body);
    return { ...base, bytes: body, text, ...(header ? { header } : {}) };
  }
  const torn = Buffer.from(body.buffer, body.byteOffset, body.byteLength).indexOf(Buffer.alloc(TORN_RUN, 0xff));
  if (torn >= 0) {
    ctx.problem({ path, offset: zone.offset + dataAt + torn, message: `kmsg zone ${zone.index}: torn record: erased (0xff) bytes from here on, inside its datalen; the text before is kept` });
    body = body.subarray(0, torn);
  }
  const { text, skip, header } = stripHeader(body);
  const total = Buffer.from(`${reason}: Total ${h.counter} times\n`, 'latin1');
  return { ...base, bytes: Buffer.concat([total, body]), text, offset: zone.offset + dataAt + skip, ...(header ? { header } : {}) };
}

/** The record without pstore_dump()'s "Oops#1 Part1" line. */
function stripHeader(body: Uint8Array): { text: Uint8Array; skip: number; header?: DmesgHeader } {
  const h = parseDmesgHeader(Buffer.from(body.buffer, body.byteOffset, Math.min(64, body.length)).toString('latin1'));
  return { text: body.subarray(h?.length ?? 0), skip: h?.length ?? 0, ...(h ? { header: h } : {}) };
}

/** Every record of the image at `path`, as pstore would list them. */
export async function* readImage(path: string, ctx: ReadContext): AsyncGenerator<PszRecord> {
  const f = await InputFile.open(path);
  try {
    const zones = await zonesOf(f, ctx);
    if (zones.length === 0) ctx.problem({ path, offset: 0, message: 'no pstore/zone header found (no psz_buffer signature; give kmsg_size etc.)' });
    for (const zone of [...zones].sort((a, b) => READ_ORDER[a.kind] - READ_ORDER[b.kind] || a.offset - b.offset)) {
      if (zone.offset >= f.size) continue; // the image ends before this zone (a cut image)
      const head = await f.read(zone.offset, pszBuffer.size);
      if (head.length < pszBuffer.size) {
        ctx.problem({ path, offset: zone.offset, message: `${label(zone)} zone ${zone.index}: cut off by the end of the image` });
        continue;
      }
      const hdr = pszBuffer.read(new Cursor(head, path, zone.offset));
      // A zone without its sig was never written (psz_recover_zone: "no valid data").
      if (zoneKindOfSig(hdr.sig) !== zone.kind || hdr.datalen === 0) continue;
      const room = zone.size - pszBuffer.size;
      if (hdr.datalen > room || hdr.start > hdr.datalen) {
        ctx.problem({ path, offset: zone.offset, message: `${label(zone)} zone ${zone.index}: invalid psz_buffer: datalen ${hdr.datalen}, start ${hdr.start}, zone holds ${room}` });
        continue;
      }
      const want = pszBuffer.size + Math.min(hdr.datalen, MAX_ZONE_BYTES);
      const raw = await f.read(zone.offset, want);
      if (raw.length < want) {
        ctx.problem({ path, offset: zone.offset + raw.length, message: `${label(zone)} zone ${zone.index}: expected ${want} bytes, the image ends after ${raw.length}; the rest is kept` });
      }
      if (zone.kind === 'dmesg') {
        const rec = kmsgRecord(raw, zone, path, ctx);
        if (rec) yield rec;
        continue;
      }
      const data = raw.subarray(pszBuffer.size);
      const start = Math.min(hdr.start, data.length);
      const text = Buffer.concat([data.subarray(start), data.subarray(0, start)]);
      const rec: PszRecord = { zone, name: `${zone.kind}-${PSI_NAME}-${zone.index}`, bytes: text, text };
      if (start === 0 || start === data.length) rec.offset = zone.offset + pszBuffer.size; // not wrapped
      yield rec;
    }
  } finally {
    await f.close();
  }
}

function sourceOf(rec: PszRecord, path: string): SourceRef {
  return { backend: ID, path, id: rec.name, ...(rec.offset !== undefined ? { offset: rec.offset } : {}), ...(rec.header ? { part: rec.header.part } : {}) };
}

/** A kmsg zone's record as a part of its dump. */
function dumpPart(rec: PszRecord, path: string): DumpPart {
  const part: DumpPart = { lines: () => bytesToMessages(rec.text, sourceOf(rec, path)), store: `dmesg-${PSI_NAME}` };
  if (rec.header) part.header = rec.header;
  // psz_kmsg_header's time is the dump's (psz_kmsg_write_record).
  if (rec.time) part.time = rec.time;
  return part;
}

function toRecords(rec: PszRecord, path: string): CrashRecord[] {
  const source = sourceOf(rec, path);
  if (rec.zone.kind === 'console') return bytesToMessages(rec.text, source);
  const blob: BlobRecord = { kind: 'blob', type: rec.zone.kind, size: rec.bytes.length, source };
  if (rec.time) blob.time = rec.time;
  return [blob];
}

export async function* readPstoreBlk(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  // readImage gives the kmsg zones first.
  yield* zoneRecords(readImage(path, ctx), (r) => dumpPart(r, path), (r) => toRecords(r, path));
}
