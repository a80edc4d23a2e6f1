// Reading a raw ramoops region (region.ts) into records: dmesg zones as parts of their
// dumps (src/pstore/zone-store.ts), console lines, other zones as blobs.
import type { ReadContext, Yielded } from '../../src/backend.js';
import type { BlobRecord, KernelMessage, SourceRef } from '../../src/model/index.js';
import { imageFiles, InputFile } from '../../src/input/file.js';
import { messageBatches } from '../../src/kmsg/batches.js';
import { pushRecordLines } from '../../src/kmsg/record-lines.js';
import { zoneRecords, type ZonePart } from '../../src/pstore/zone-store.js';
import { parseDmesgHeader, type DmesgHeader } from '../../src/pstore/header.js';
import { decodeZone, openRegion, regionRecords, type RamoopsRecord, type Region } from './region.js';
import { zoneSigKind } from './scan.js';

export { readRegion, type RamoopsRecord } from './region.js';

const silent: ReadContext['problem'] = () => {};

/** A dmesg zone's record as a part of its dump; read again from the region when not held. */
function dumpPart(rec: RamoopsRecord, r: Region, options: ReadContext['options']): ZonePart {
  const path = r.f.path;
  const header = dmesgHeader(rec.text);
  const part: ZonePart = {
    store: 'dmesg-ramoops',
    text: rec.text,
    reload: async () => (await decodeZone(r.f, rec.zone, r.ecc, { options, problem: silent }, { check: !rec.clean, ...(r.again ? { into: r.again } : {}) }))?.text,
    messages: (t) => {
      const { body, base, offset } = partText(t, rec, path);
      return lines(body, base, offset, rec);
    },
    push: (t, sink, id) => {
      const { body, base, offset } = partText(t, rec, path);
      // A compressed record's lines have no place in the region: each has the record's offset.
      pushRecordLines(body, { ...base, offset: rec.compressed ? rec.offset : offset, ...(id !== undefined ? { id } : {}) }, sink, !rec.compressed);
    },
  };
  if (header) part.header = header;
  // The "====sec.nsec" header is the dump's time (ramoops_write_kmsg_hdr).
  if (rec.time) part.time = rec.time;
  return part;
}

/** A dump part's lines without its header, their source and the offset of the first. */
function partText(t: Uint8Array, rec: RamoopsRecord, path: string): { body: Uint8Array; base: SourceRef; offset: number } {
  // "Oops#1 Part1" is the record's header, not a log line (fs/pstore/platform.c)
  const h = dmesgHeader(t);
  const base: SourceRef = { backend: 'ramoops', path, id: rec.name };
  if (h) base.part = h.part;
  return { body: t.subarray(h?.length ?? 0), base, offset: rec.offset + (h && !rec.compressed ? h.length : 0) };
}

function dmesgHeader(text: Uint8Array): DmesgHeader | undefined {
  return parseDmesgHeader(Buffer.from(text.buffer, text.byteOffset, Math.min(64, text.length)).toString('latin1'));
}

/** Lines of a compressed record have no byte offset in the region: they share the record's. */
function* lines(text: Uint8Array, base: SourceRef, offset: number, rec: RamoopsRecord): Generator<KernelMessage[]> {
  for (const msgs of messageBatches(text, { ...base, offset })) {
    if (rec.compressed) for (const m of msgs) m.source = { ...m.source, offset: rec.offset };
    yield msgs;
  }
}

function* toRecords(rec: RamoopsRecord, path: string): Generator<Yielded> {
  const base: SourceRef = { backend: 'ramoops', path, id: rec.name };
  if (rec.zone.kind === 'console') return yield* lines(rec.text, base, rec.offset, rec);
  const blob: BlobRecord = { kind: 'blob', type: rec.zone.kind, size: rec.textLength, source: { ...base, offset: rec.offset } };
  if (rec.time) blob.time = rec.time;
  yield [blob];
}

function isRegion(head: Uint8Array): boolean {
  return head.length >= 16 && zoneSigKind(new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true)) !== undefined;
}

/** A region file, or a directory holding region files (each recognized by content). */
export async function* readRamoops(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const files = await imageFiles(path, 16, isRegion);
  for (const file of files) {
    const f = await InputFile.open(file);
    try {
      const region = await openRegion(f, ctx, true);
      // Dump zones come first in a region.
      yield* zoneRecords(regionRecords(region, ctx), (r) => dumpPart(r, region, ctx.options), (r) => toRecords(r, file), ctx.lines);
    } finally {
      await f.close();
    }
  }
}
