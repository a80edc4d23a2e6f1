// A pstore/zone kmsg zone's record as fs/pstore/zone.c reads it back (psz_kmsg_read): the
// psz_kmsg_header, the record inflated when compressed, pstore's "<reason>: Total <n> times"
// line before a plain one, and pstore_dump()'s "Oops#1 Part1" line apart from the log text.
import type { ReadContext } from '../../src/backend.js';
import { parseDmesgHeader, type DmesgHeader } from '../../src/pstore/header.js';
import { Cursor } from '../../src/util/cursor.js';
import { messageOf } from '../../src/util/errors.js';
import { inflateRecord, PSTORE_INFLATE_RATIO, type InflateProblem } from '../../src/util/inflate.js';
import { kmsgDumpReasonStr, PSTORE_KMSG_HEADER_MAGIC, pszBuffer, pszKmsgHeader, type Zone } from './layout.js';

/** The name pstore_blk registers (KBUILD_MODNAME); pstore files are <type>-pstore_blk-<id>. */
export const PSI_NAME = 'pstore_blk';
/** Largest inflated kmsg record. */
const MAX_INFLATED_BYTES = 64 << 20;
/** This many erased (0xff) bytes in a row inside datalen mean the write was torn. */
const TORN_RUN = 16;

export interface PszRecord {
  zone: Zone;
  /** dmesg-pstore_blk-N, console-pstore_blk-0, ... */
  name: string;
  /** The bytes pstore shows for the record ("Oops: Total 1 times\n" first when not compressed): made when asked for. */
  readonly bytes: Uint8Array;
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
export const label = (z: Zone) => (z.kind === 'dmesg' ? 'kmsg' : z.kind);

/** A record written to a zone of `zoneSize` bytes inflates to at most 3x that (util/inflate.ts). */
const inflate = (data: Uint8Array, zoneSize: number, problem: (p: InflateProblem) => void): Buffer =>
  inflateRecord(data, Math.min(MAX_INFLATED_BYTES, PSTORE_INFLATE_RATIO * zoneSize), problem);

/** A kmsg zone's record, or undefined (with a problem when the zone is damaged). */
export function kmsgRecord(raw: Uint8Array, zone: Zone, path: string, ctx: ReadContext): PszRecord | undefined {
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
  const shown = body; // the getter's copy is made only when asked for (tests, pstore's view)
  return {
    ...base,
    get bytes() {
      return Buffer.concat([total, shown]);
    },
    text,
    offset: zone.offset + dataAt + skip,
    ...(header ? { header } : {}),
  };
}

/** The record without pstore_dump()'s "Oops#1 Part1" line. */
function stripHeader(body: Uint8Array): { text: Uint8Array; skip: number; header?: DmesgHeader } {
  const h = parseDmesgHeader(Buffer.from(body.buffer, body.byteOffset, Math.min(64, body.length)).toString('latin1'));
  return { text: body.subarray(h?.length ?? 0), skip: h?.length ?? 0, ...(h ? { header: h } : {}) };
}
