// gzip member headers and trailers (RFC 1952 2.3): what comes before and after each deflate
// stream of a .gz file. A file may hold several members, one after another.
import { Cursor } from '../util/cursor.js';
import { FormatError } from '../util/errors.js';

const FTEXT_RESERVED = 0xe0;
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** Bytes of a header read at once: a name or comment longer than this is damage. */
export const MEMBER_HEADER_MAX = 64 << 10;
/** CRC32 and ISIZE. */
export const TRAILER_BYTES = 8;

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8;
}

/** Length of the member header at the start of `b` (its file offset `base`). */
export function memberHeaderLength(b: Uint8Array, path: string, base: number): number {
  const c = new Cursor(b, path, base);
  if (!isGzip(b)) throw c.error('not a gzip member (no 1f 8b 08 signature)', 0);
  c.skip(3);
  const flg = c.u8();
  if (flg & FTEXT_RESERVED) throw c.error(`gzip header flags 0x${flg.toString(16)} set reserved bits`);
  c.skip(6); // MTIME, XFL, OS
  if (flg & FEXTRA) c.skip(c.u16());
  for (const f of [FNAME, FCOMMENT]) {
    if (!(flg & f)) continue;
    const nul = b.indexOf(0, c.pos);
    if (nul < 0) throw new FormatError(path, base + c.pos, `gzip header ${f === FNAME ? 'name' : 'comment'} runs past ${MEMBER_HEADER_MAX} bytes`);
    c.seek(nul + 1);
  }
  if (flg & FHCRC) c.skip(2);
  return c.pos;
}

export interface Trailer { crc: number; isize: number }

export function readTrailer(b: Uint8Array, path: string, base: number): Trailer {
  const c = new Cursor(b, path, base);
  return { crc: c.u32(), isize: c.u32() };
}
