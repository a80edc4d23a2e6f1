// makedumpfile's kdump-compressed dump (diskdump_mod.h: disk_dump_header in block 0,
// kdump_sub_header in block 1, the bitmaps, then a page_desc per dumped page) and its
// flattened form (makedumpfile.h: 16-byte big-endian { offset, buf_size } record headers
// after a 4096-byte header), with one field that lies: the block size, the bitmap's
// length, max_mapnr, where VMCOREINFO and the notes are and how long, a page descriptor's
// offset, size or compression flags, a flattened record's offset or size.
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

/** disk_dump_header fields after signature, version and utsname (offsets in bytes). */
const HEADER = { header_version: 8, status: 424, block_size: 428, sub_hdr_size: 432, bitmap_blocks: 436, max_mapnr: 440, nr_cpus: 460 } as const;
/** kdump_sub_header fields (at block_size). */
const SUB = { phys_base: 0, offset_vmcoreinfo: 32, size_vmcoreinfo: 40, offset_note: 48, size_note: 56, offset_eraseinfo: 64, size_eraseinfo: 72, max_mapnr_64: 96 } as const;
const PAGE_DESC = 24;
const FLAT_HEADER = 4096;
/** Descriptors and flat records looked at: a lie among the first ones is enough. */
const MAX_LOOK = 4096;

function kdumpLie(edit: FileEdit, rng: Rng): string | undefined {
  const h = edit.read(0, 512);
  const block = h.readInt32LE(HEADER.block_size);
  const sub = h.readInt32LE(HEADER.sub_hdr_size);
  const bitmapBlocks = h.readUInt32LE(HEADER.bitmap_blocks);
  const size = edit.size;
  const pick = rng.int(10);
  if (pick < 3) {
    const field = rng.pick(Object.keys(HEADER) as (keyof typeof HEADER)[]);
    const cur = h.readUInt32LE(HEADER[field]);
    const v = lieU32(rng, cur, [size / Math.max(block, 1), 1 << 20, 512, 0x8]);
    edit.u32(HEADER[field], v);
    return `disk_dump_header ${field} ${cur} -> ${v}`;
  }
  if (pick < 6 && block > 0 && block + 104 <= size) {
    const field = rng.pick(Object.keys(SUB) as (keyof typeof SUB)[]);
    const at = block + SUB[field];
    const cur = edit.read(at, 8).readBigUInt64LE(0);
    const v = lieU64(rng, cur, [BigInt(size), 16n << 20n, BigInt(block)]);
    edit.u64(at, v);
    return `kdump_sub_header ${field} ${cur} -> ${v}`;
  }
  const descStart = (1 + sub + bitmapBlocks) * block;
  if (block <= 0 || descStart <= 0 || descStart >= size) return undefined;
  const n = Math.min(MAX_LOOK, Math.floor((size - descStart) / PAGE_DESC));
  const at = descStart + rng.int(Math.max(1, n)) * PAGE_DESC;
  const d = edit.read(at, PAGE_DESC);
  if (d.length < PAGE_DESC) return undefined;
  switch (rng.int(4)) {
    case 0: { const v = lieU64(rng, d.readBigUInt64LE(0), [BigInt(size), BigInt(descStart)]); edit.u64(at, v); return `page_desc at 0x${at.toString(16)}: offset -> ${v}`; }
    case 1: case 2: { const v = lieU32(rng, d.readUInt32LE(8), [block, block + 1, size]); edit.u32(at + 8, v); return `page_desc at 0x${at.toString(16)}: size ${d.readUInt32LE(8)} -> ${v}`; }
    default: { const v = rng.pick([0, 1, 2, 4, 0x20, 0x3f, 0x80000000]); edit.u32(at + 12, v); return `page_desc at 0x${at.toString(16)}: flags ${d.readUInt32LE(12)} -> 0x${v.toString(16)}`; }
  }
}

function flatLie(edit: FileEdit, rng: Rng): string | undefined {
  const size = edit.size;
  const heads: number[] = [];
  for (let at = FLAT_HEADER; heads.length < MAX_LOOK && at + 16 <= size;) {
    const r = edit.read(at, 16);
    const n = r.readBigInt64BE(8);
    if (r.readBigInt64BE(0) < 0n || n <= 0n || n > BigInt(size)) break;
    heads.push(at);
    at += 16 + Number(n);
  }
  if (!heads.length) return undefined;
  const at = rng.pick(heads);
  const r = edit.read(at, 16);
  const field = rng.chance(0.5) ? 0 : 8;
  const v = BigInt.asIntN(64, lieU64(rng, r.readBigUInt64BE(field), [BigInt(size), 1n << 30n]));
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  edit.write(at + field, b);
  return `flattened record at 0x${at.toString(16)}: ${field ? 'buf_size' : 'offset'} -> ${v}`;
}

export const kdump: StructureMutator = {
  id: 'kdump',
  scope: 'file',
  weight: 2,
  fits: (_path, head) => ['KDUMP   ', 'DISKDUMP'].includes(Buffer.from(head.subarray(0, 8)).toString('latin1')) || Buffer.from(head.subarray(0, 12)).toString('latin1') === 'makedumpfile',
  async mutate({ edit, rng }) {
    if (!edit) return undefined;
    const flat = edit.read(0, 12).toString('latin1') === 'makedumpfile';
    return flat ? flatLie(edit, rng) : kdumpLie(edit, rng);
  },
};
