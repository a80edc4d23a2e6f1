// makedumpfile's kdump-compressed format (makedumpfile diskdump_mod.h): disk_dump_header
// in block 0, kdump_sub_header in block 1, two bitmaps (1st: RAM present, 2nd: dumpable),
// then one page_desc per dumpable page in pfn order. QEMU's dump-guest-memory -z writes
// the same layout (qemu dump/dump.c).
import { inflateSync } from 'node:zlib';
import type { Problem } from '../model/index.js';
import { FormatError, getSafeBound } from '../util/errors.js';
import { archFromClues, requireArch } from './arch.js';
import { lzo1xDecompress } from './lzo.js';
import { PagedMemory, type PageStore } from './memory.js';
import { parseNotes, type NoteFacts } from './notes.js';
import { cstr, dv, type ByteSource } from './source.js';
import { PageUnavailable } from './types.js';

export const DUMP_DH_COMPRESSED_ZLIB = 0x1;
export const DUMP_DH_COMPRESSED_LZO = 0x2;
export const DUMP_DH_COMPRESSED_SNAPPY = 0x4;
export const DUMP_DH_COMPRESSED_INCOMPLETE = 0x8; // header status: the dump was cut short
export const DUMP_DH_COMPRESSED_ZSTD = 0x20;
const PAGE_DESC_SIZE = 24;
const MAX_BLOCK = 1 << 20;
const MAX_BITMAP_BYTES = 1 << 30; // covers 32 TiB of 4 KiB pages
const MAX_NOTE_BYTES = 16 << 20;

export interface KdumpHeader {
  version: number; release: string; machine: string; timestamp: bigint; status: number;
  blockSize: number; subHdrSize: number; bitmapBlocks: number; maxMapnr: bigint; nrCpus: number;
  physBase?: bigint; dumpLevel?: number;
}

export interface KdumpCore { header: KdumpHeader; arch: string; notes: NoteFacts; phys: PagedMemory; incomplete: boolean }

export function isKdump(head: Uint8Array): boolean {
  const s = cstr(head, 0, 8);
  return s === 'KDUMP   ' || s === 'DISKDUMP';
}

export async function readKdump(src: ByteSource, problems: Problem[], avoid: bigint[]): Promise<KdumpCore> {
  const h = await src.read(0, 512);
  if (h.length < 464 || !isKdump(h)) throw new FormatError(src.path, 0, 'not a kdump-compressed header');
  const v = dv(h);
  const blockSize = v.getInt32(428, true);
  if (blockSize < 512 || blockSize > MAX_BLOCK || (blockSize & (blockSize - 1))) throw new FormatError(src.path, 428, `block_size ${blockSize} is not a page size`);
  const header: KdumpHeader = {
    version: v.getInt32(8, true), release: cstr(h, 12 + 65 * 2, 65), machine: cstr(h, 12 + 65 * 4, 65),
    timestamp: v.getBigInt64(408, true), status: v.getUint32(424, true), blockSize,
    subHdrSize: getSafeBound(v.getInt32(432, true), 1 << 16, 'sub_hdr_size', src.path, 432),
    bitmapBlocks: v.getUint32(436, true), maxMapnr: BigInt(v.getUint32(440, true)), nrCpus: v.getInt32(460, true),
  };
  const bitmapBytes = getSafeBound(header.bitmapBlocks * blockSize, MAX_BITMAP_BYTES, 'bitmap size', src.path, 436);
  let notes: NoteFacts = { cpus: [], qemu: false };
  let arch = archFromClues({ utsMachine: header.machine }) ?? 'unknown';
  let noteBytes: Uint8Array | undefined;
  if (header.subHdrSize > 0) {
    const sub = await src.read(blockSize, 104);
    const sv = dv(sub);
    if (sub.length >= 16) { header.physBase = sv.getBigUint64(0, true); header.dumpLevel = sv.getInt32(8, true); }
    if (header.version >= 6 && sub.length >= 104) {
      const m = sv.getBigUint64(96, true);
      if (m > header.maxMapnr) header.maxMapnr = m;
    }
    const parts: Uint8Array[] = [];
    if (header.version >= 4 && sub.length >= 64) {
      parts.push(await region(src, sv.getBigUint64(48, true), sv.getBigUint64(56, true), 'note', problems));
    }
    noteBytes = Buffer.concat(parts);
    notes = parseNotes(noteBytes, arch);
    if (!notes.vmcoreinfoRaw && header.version >= 3 && sub.length >= 48) {
      const vi = await region(src, sv.getBigUint64(32, true), sv.getBigUint64(40, true), 'vmcoreinfo', problems);
      if (vi.length) notes.vmcoreinfoRaw = cstr(vi, 0, vi.length);
    }
  }
  // The header's machine first; QEMU's writer leaves "Unknown" there (see arch.ts).
  if (arch === 'unknown') {
    arch = requireArch(src.path, { utsMachine: header.machine, ...(notes.vmcoreinfoRaw ? { vmcoreinfoRaw: notes.vmcoreinfoRaw } : {}), ...(notes.prstatusSize !== undefined ? { prstatusSize: notes.prstatusSize } : {}) });
    // Registers are named by arch: read the notes again now that it is known.
    if (noteBytes) notes = { ...parseNotes(noteBytes, arch), ...(notes.vmcoreinfoRaw ? { vmcoreinfoRaw: notes.vmcoreinfoRaw } : {}) };
  }
  const bitmapOff = blockSize * (1 + header.subHdrSize);
  if (bitmapOff + bitmapBytes > src.size) throw new FormatError(src.path, bitmapOff, `bitmaps (${bitmapBytes} bytes) run past the end of the file`);
  const half = bitmapBytes / 2;
  const maxPfn = BigInt(half) * 8n;
  const descOff = bitmapOff + bitmapBytes;
  const dumpable = new LazyBitmap(src, bitmapOff + half, half, blockSize);
  const store: PageStore = {
    has: (pfn) => pfn < maxPfn && dumpable.bitSync(pfn) !== false,
    page: async (pfn) => {
      const pa = pfn * BigInt(blockSize);
      if (pfn >= maxPfn || !(await dumpable.bit(pfn))) throw new PageUnavailable(pa, 'excluded', 'not in the dump (filtered by dump level)');
      const idx = await dumpable.rank(pfn);
      const dOff = descOff + idx * PAGE_DESC_SIZE;
      const d = await src.read(dOff, PAGE_DESC_SIZE);
      if (d.length < PAGE_DESC_SIZE) throw new PageUnavailable(pa, 'excluded', 'page descriptor past the end of the file');
      const dvv = dv(d);
      const off = Number(dvv.getBigInt64(0, true));
      const size = dvv.getUint32(8, true);
      const flags = dvv.getUint32(12, true);
      if (size > blockSize || off < 0) throw new PageUnavailable(pa, 'corrupt', `page descriptor at 0x${dOff.toString(16)}: size ${size}`);
      const data = await src.read(off, size);
      if (data.length < size) throw new PageUnavailable(pa, 'excluded', 'page data past the end of the file (incomplete dump)');
      await loadCodecs(flags);
      return decodePage(data, flags, blockSize, pa);
    },
  };
  const phys = new PagedMemory(blockSize, store, src, problems, avoid);
  const incomplete = (header.status & DUMP_DH_COMPRESSED_INCOMPLETE) !== 0;
  if (incomplete) problems.push({ path: src.path, offset: 424, message: 'the dump is marked INCOMPLETE: it was cut short while being written' });
  return { header, arch, notes, phys, incomplete };
}

async function region(src: ByteSource, off: bigint, size: bigint, what: string, problems: Problem[]): Promise<Uint8Array> {
  if (off === 0n || size === 0n) return new Uint8Array(0);
  if (size > BigInt(MAX_NOTE_BYTES) || off + size > BigInt(src.size)) {
    problems.push({ path: src.path, message: `${what} region at 0x${off.toString(16)} of ${size} bytes is out of bounds; skipped` });
    return new Uint8Array(0);
  }
  return src.read(Number(off), Number(size));
}

// The zstd and snappy decoders load on the first page that needs them: most dumps are
// zlib, and every crashlog command loads this module (backends/vmcore).
let zstd: typeof import('fzstd') | undefined;
let snappy: typeof import('snappyjs').default | undefined;
async function loadCodecs(flags: number): Promise<void> {
  if (flags & DUMP_DH_COMPRESSED_ZLIB) return;
  if (flags & DUMP_DH_COMPRESSED_ZSTD) zstd ??= await import('fzstd');
  else if (flags & DUMP_DH_COMPRESSED_SNAPPY) snappy ??= (await import('snappyjs')).default;
}

/** One page's data as its page_desc flags say it is stored (loadCodecs(flags) first). */
export function decodePage(data: Uint8Array, flags: number, pageSize: number, pa: bigint): Uint8Array {
  try {
    let out: Uint8Array;
    if (flags & DUMP_DH_COMPRESSED_ZLIB) out = inflateSync(data, { maxOutputLength: pageSize });
    else if (flags & DUMP_DH_COMPRESSED_ZSTD) out = zstd!.decompress(data, new Uint8Array(pageSize));
    else if (flags & DUMP_DH_COMPRESSED_SNAPPY) out = snappy!.uncompress(data, pageSize);
    else if (flags & DUMP_DH_COMPRESSED_LZO) out = lzo1xDecompress(data, pageSize);
    else out = data;
    if (out.length !== pageSize) throw new Error(`decoded to ${out.length} bytes, not ${pageSize}`);
    return out;
  } catch (err) {
    if (err instanceof PageUnavailable) throw err;
    throw new PageUnavailable(pa, 'corrupt', (err as Error).message);
  }
}

/** The dumpable bitmap, read block by block on demand, with per-block popcounts for rank(). */
class LazyBitmap {
  private readonly blocks = new Map<number, Uint8Array>();
  private readonly prefix: number[] = [0]; // set bits before block i, known up to prefix.length-1
  constructor(private readonly src: ByteSource, private readonly off: number, private readonly len: number, private readonly blk: number) {}

  private async block(i: number): Promise<Uint8Array> {
    let b = this.blocks.get(i);
    if (!b) {
      b = await this.src.read(this.off + i * this.blk, Math.min(this.blk, this.len - i * this.blk));
      this.blocks.set(i, b);
    }
    return b;
  }
  bitSync(pfn: bigint): boolean | undefined {
    const byte = Number(pfn >> 3n);
    const b = this.blocks.get(Math.floor(byte / this.blk));
    return b ? ((b[byte % this.blk] ?? 0) >> Number(pfn & 7n) & 1) === 1 : undefined;
  }
  async bit(pfn: bigint): Promise<boolean> {
    const byte = Number(pfn >> 3n);
    const b = await this.block(Math.floor(byte / this.blk));
    return (((b[byte % this.blk] ?? 0) >> Number(pfn & 7n)) & 1) === 1;
  }
  async rank(pfn: bigint): Promise<number> {
    const byte = Number(pfn >> 3n);
    const bi = Math.floor(byte / this.blk);
    while (this.prefix.length <= bi) {
      const i = this.prefix.length - 1;
      this.prefix.push(this.prefix[i]! + popcount(await this.block(i), this.blk));
      if (this.blocks.size > 64 && i !== bi) this.blocks.delete(i);
    }
    const b = await this.block(bi);
    const inBlock = byte % this.blk;
    let n = this.prefix[bi]! + popcount(b, inBlock);
    const bits = Number(pfn & 7n);
    n += popcount8((b[inBlock] ?? 0) & ((1 << bits) - 1));
    return n;
  }
}

function popcount(b: Uint8Array, n: number): number {
  let c = 0;
  for (let i = 0; i < n && i < b.length; i++) c += popcount8(b[i]!);
  return c;
}
function popcount8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}
