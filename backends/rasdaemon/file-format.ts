// SQLite's file format, as much as reading one rowid table in place needs. Source: "Database
// File Format", https://www.sqlite.org/fileformat2.html: §1.3 the database header, §1.6 b-tree
// pages (and the payload split between a cell and its overflow pages), §2.1 the record
// format. All integers are big-endian.
import { struct } from '../../src/util/struct.js';

/** §1.3: the first 100 bytes of the file (fields not needed here are skipped as bytes). */
export const DB_HEADER = struct('sqlite_header', [
  ['magic', { bytes: 16 }],
  ['pageSize', 'u16'], // 1 means 65536
  ['writeVersion', 'u8'], // 1 legacy, 2 WAL
  ['readVersion', 'u8'],
  ['reserved', 'u8'], // unused bytes at the end of each page
  ['maxFraction', 'u8'], // must be 64
  ['minFraction', 'u8'], // must be 32
  ['leafFraction', 'u8'], // must be 32
  ['changeCounter', 'u32'],
  ['pageCount', 'u32'], // valid only when versionValidFor == changeCounter
  ['skipped', { bytes: 24 }],
  ['textEncoding', 'u32'], // 1 UTF-8, 2 UTF-16le, 3 UTF-16be
  ['skipped2', { bytes: 32 }],
  ['versionValidFor', 'u32'],
  ['sqliteVersion', 'u32'],
] as const);

export const WAL_VERSION = 2;
export const MIN_PAGE = 512;
export const MAX_PAGE = 65536;
/** §1.3: "the usable size is not allowed to be less than 480". */
export const MIN_USABLE = 480;

/** §1.6 page types (the first byte of the b-tree page header). */
export const TABLE_INTERIOR = 0x05;
export const TABLE_LEAF = 0x0d;
/** §1.6: a leaf page header is 8 bytes, an interior one 12 (with the right-most child). */
export const LEAF_HEADER = 8;
export const INTERIOR_HEADER = 12;
/** Offsets in the b-tree page header. */
export const CELL_COUNT_AT = 3;
export const RIGHT_CHILD_AT = 8;
/** Page 1 holds the database header before its b-tree page header. */
export const PAGE1_HEADER = 100;

/** §2.1 serial types: the body size of each type below 12 (10 and 11 are reserved). */
export const SERIAL_SIZE = [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, -1, -1] as const;
export const SERIAL_REAL = 7;
export const SERIAL_ZERO = 8;
export const SERIAL_ONE = 9;

/** §1.6: how much of a table leaf cell's payload of `p` bytes is on the page (the rest is in overflow pages). */
export function localPayload(p: number, usable: number): number {
  const x = usable - 35;
  if (p <= x) return p;
  const m = Math.floor(((usable - 12) * 32) / 255) - 23;
  const k = m + ((p - m) % (usable - 4));
  return k <= x ? k : m;
}
