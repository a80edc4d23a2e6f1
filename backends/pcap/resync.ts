// After a damaged record header (a lying incl_len, a pcapng block length that is not its
// own trailer), the next record is found by its shape, so the packets after the damage
// are still read: a classic record header whose lengths fit (incl_len within the
// capture's snaplen, orig_len at least incl_len, a time close to the last good one)
// followed by another such header or the file's end; a pcapng block of a known type
// whose length is repeated at its end (draft-ietf-opsawg-pcapng 3.1: every block is
// 32-bit aligned and ends with its Block Total Length).
import type { InputFile } from '../../src/input/file.js';
import { MAX_PACKET_BYTES, PCAPNG_SHB, pcapRecordHeader } from './layout.js';

const CHUNK_BYTES = 1 << 20;
/** A record's time this far from the last good one is not taken as a record (seconds). */
const MAX_TIME_JUMP = 30 * 24 * 3600;
/** Block types taken as the start of a block: SHB, and the standard types 1-10 (IDB, PB, SPB, NRB, ISB, EPB, DSB...). */
const BLOCK_TYPES = new Set([PCAPNG_SHB, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
/** Damaged places reported in one capture before the rest is given up. */
export const MAX_DAMAGES = 100;

export interface ClassicShape {
  le: boolean;
  /** Largest incl_len taken (the file's snaplen, within MAX_PACKET_BYTES). */
  maxLen: number;
  /** tv_sec of the last good record, when there was one. */
  lastSec?: number;
  /** Whether the fraction is in nanoseconds (else microseconds). */
  ns: boolean;
}

function classicHeaderFits(dv: DataView, at: number, s: ClassicShape): number | undefined {
  const sec = dv.getUint32(at, s.le);
  const frac = dv.getUint32(at + 4, s.le);
  const incl = dv.getUint32(at + 8, s.le);
  const orig = dv.getUint32(at + 12, s.le);
  if (frac >= (s.ns ? 1e9 : 1e6) || incl > s.maxLen || orig < incl || orig > MAX_PACKET_BYTES) return undefined;
  if (s.lastSec !== undefined && Math.abs(sec - s.lastSec) > MAX_TIME_JUMP) return undefined;
  return incl;
}

/** Calls `fits(dv, i)` at each candidate position from `from` (step `step`) until it says yes; the position, or undefined at the end. */
async function scan(file: InputFile, from: number, step: number, need: number, fits: (dv: DataView, i: number, at: number) => Promise<boolean> | false): Promise<number | undefined> {
  for (let start = from; start + need <= file.size; start += CHUNK_BYTES) {
    const b = await file.read(start, CHUNK_BYTES + need);
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < CHUNK_BYTES && i + need <= b.length; i += step) {
      // Most positions fail the cheap test at once; only a candidate costs a read.
      const r = fits(dv, i, start + i);
      if (r !== false && (await r)) return start + i;
    }
  }
  return undefined;
}

/**
 * The next classic record header after `from`, or undefined when none is found before the
 * end: first one close in time to the last good record, else any (the capturing host's
 * clock may have jumped).
 */
export async function nextClassicRecord(file: InputFile, from: number, s: ClassicShape): Promise<number | undefined> {
  const near = await classicScan(file, from, s);
  if (near !== undefined || s.lastSec === undefined) return near;
  const { lastSec: _, ...any } = s;
  return classicScan(file, from, any);
}

function classicScan(file: InputFile, from: number, s: ClassicShape): Promise<number | undefined> {
  const H = pcapRecordHeader.size;
  return scan(file, from, 1, H, (dv, i, at) => {
    const incl = classicHeaderFits(dv, i, s);
    if (incl === undefined) return false;
    const next = at + H + incl;
    if (next === file.size) return Promise.resolve(true);
    if (next + H > file.size) return false;
    return file.read(next, H).then((h) => classicHeaderFits(new DataView(h.buffer, h.byteOffset, H), 0, s) !== undefined);
  });
}

const knownType = (dv: DataView, i: number, le: boolean): boolean => dv.getUint32(i, true) === PCAPNG_SHB || BLOCK_TYPES.has(dv.getUint32(i, le));

/** Whether a pcapng block of a known type starts at `at` (its first 8 bytes at `dv`, `i`), its length repeated at its end. */
async function blockFits(file: InputFile, at: number, le: boolean, dv: DataView, i = 0): Promise<boolean> {
  if (dv.byteLength < i + 8 || !knownType(dv, i, le)) return false;
  const shb = dv.getUint32(i, true) === PCAPNG_SHB;
  // A section header's own byte order is what its length is in: try both.
  for (const order of shb ? [true, false] : [le]) {
    const total = dv.getUint32(i + 4, order);
    if (total < 12 || total % 4 !== 0 || total > MAX_PACKET_BYTES + 64 || at + total > file.size) continue;
    const t = await file.read(at + total - 4, 4);
    if (t.length === 4 && new DataView(t.buffer, t.byteOffset, 4).getUint32(0, order) === total) return true;
  }
  return false;
}

/** The next pcapng block after `from` (blocks are 32-bit aligned), or undefined. */
export function nextBlock(file: InputFile, from: number, le: boolean): Promise<number | undefined> {
  const aligned = from + ((4 - (from % 4)) % 4);
  return scan(file, aligned, 4, 12, (dv, i, at) => knownType(dv, i, le) && blockFits(file, at, le, dv, i));
}
