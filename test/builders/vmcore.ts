// Tiny synthetic dumps for the container readers: ELF cores (32/64-bit, with or without
// virtual addresses), kdump-compressed (none/zlib/snappy/zstd-less), flattened, slim.
import { deflateSync } from 'node:zlib';
import snappy from 'snappyjs';

export function note(name: string, type: number, desc: Uint8Array): Buffer {
  const nm = Buffer.from(name + '\0', 'latin1');
  const pad = (n: number) => (n + 3) & ~3;
  const b = Buffer.alloc(12 + pad(nm.length) + pad(desc.length));
  b.writeUInt32LE(nm.length, 0); b.writeUInt32LE(desc.length, 4); b.writeUInt32LE(type, 8);
  nm.copy(b, 12); Buffer.from(desc).copy(b, 12 + pad(nm.length));
  return b;
}

export const vmcoreinfoNote = (text: string) => note('VMCOREINFO', 0, Buffer.from(text));

/** x86_64 NT_PRSTATUS: pid at 32, user_regs_struct at 112 (rip index 16, rsp index 19). */
export function prstatusX86(pid: number, rip: bigint, rsp: bigint): Buffer {
  const d = Buffer.alloc(112 + 27 * 8 + 8);
  d.writeInt32LE(pid, 32);
  d.writeBigUInt64LE(rip, 112 + 16 * 8);
  d.writeBigUInt64LE(rsp, 112 + 19 * 8);
  return note('CORE', 1, d);
}

export interface ElfSeg { paddr: bigint; vaddr?: bigint; data: Uint8Array; memsz?: number }

/** `xnum`: e_phnum = PN_XNUM with the real count in section header 0's sh_info (elf.h). */
export function buildElf(o: { is64?: boolean; machine?: number; segs: ElfSeg[]; notes?: Buffer[]; phnumOverride?: number; xnum?: boolean }): Buffer {
  const is64 = o.is64 ?? true;
  const ehsz = is64 ? 64 : 52, phsz = is64 ? 56 : 32;
  const nphdr = o.segs.length + 1;
  const notes = Buffer.concat(o.notes ?? []);
  let off = ehsz + nphdr * phsz;
  const noteOff = off; off += notes.length;
  const segOffs = o.segs.map((s) => { const x = off; off += s.data.length; return x; });
  const b = Buffer.alloc(off);
  b.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1], 0);
  b.writeUInt16LE(4, 16); b.writeUInt16LE(o.machine ?? 62, 18); b.writeUInt32LE(1, 20);
  if (is64) { b.writeBigUInt64LE(BigInt(ehsz), 32); b.writeUInt16LE(ehsz, 52); b.writeUInt16LE(phsz, 54); b.writeUInt16LE(o.phnumOverride ?? nphdr, 56); }
  else { b.writeUInt32LE(ehsz, 28); b.writeUInt16LE(ehsz, 40); b.writeUInt16LE(phsz, 42); b.writeUInt16LE(o.phnumOverride ?? nphdr, 44); }
  const ph = (i: number, type: number, offset: number, vaddr: bigint, paddr: bigint, filesz: number, memsz: number) => {
    const p = ehsz + i * phsz;
    b.writeUInt32LE(type, p);
    if (is64) { b.writeBigUInt64LE(BigInt(offset), p + 8); b.writeBigUInt64LE(vaddr, p + 16); b.writeBigUInt64LE(paddr, p + 24); b.writeBigUInt64LE(BigInt(filesz), p + 32); b.writeBigUInt64LE(BigInt(memsz), p + 40); }
    else { b.writeUInt32LE(offset, p + 4); b.writeUInt32LE(Number(vaddr), p + 8); b.writeUInt32LE(Number(paddr), p + 12); b.writeUInt32LE(filesz, p + 16); b.writeUInt32LE(memsz, p + 20); }
  };
  ph(0, 4, noteOff, 0n, 0n, notes.length, 0);
  notes.copy(b, noteOff);
  o.segs.forEach((s, i) => { ph(i + 1, 1, segOffs[i]!, s.vaddr ?? 0n, s.paddr, s.data.length, s.memsz ?? s.data.length); b.set(s.data, segOffs[i]!); });
  if (!o.xnum) return b;
  const sh = Buffer.alloc(is64 ? 64 : 40);
  sh.writeUInt32LE(nphdr, is64 ? 44 : 28);
  if (is64) { b.writeBigUInt64LE(BigInt(b.length), 40); b.writeUInt16LE(64, 58); b.writeUInt16LE(0xffff, 56); }
  else { b.writeUInt32LE(b.length, 32); b.writeUInt16LE(40, 46); b.writeUInt16LE(0xffff, 44); }
  return Buffer.concat([b, sh]);
}

export type Compression = 'none' | 'zlib' | 'snappy' | 'zstd';

/**
 * A zstd frame (RFC 8878) of Raw and RLE blocks (runs of 16+ equal bytes as RLE), smaller
 * than the page as makedumpfile -z pages must be: what fzstd must decode. Single-segment
 * frame, 2-byte Frame_Content_Size (size - 256), no checksum.
 */
export function zstdFrame(data: Uint8Array): Buffer {
  if (data.length < 256 || data.length > 65791) throw new RangeError('2-byte frame content size covers 256..65791');
  const blocks: Buffer[] = [];
  const block = (type: 0 | 1, size: number, body: Uint8Array) => {
    const h = Buffer.alloc(3);
    h.writeUIntLE((type << 1) | (size << 3), 0, 3);
    blocks.push(h, Buffer.from(body));
  };
  let raw = 0;
  for (let i = 0; i < data.length;) {
    let j = i;
    while (j < data.length && data[j] === data[i]) j++;
    if (j - i >= 16 || j === data.length) {
      if (raw < i) block(0, i - raw, data.subarray(raw, i));
      block(1, j - i, data.subarray(i, i + 1));
      raw = j;
    }
    i = j;
  }
  if (raw < data.length) block(0, data.length - raw, data.subarray(raw));
  const last = blocks[blocks.length - 2]!;
  last[0]! |= 1; // Last_Block
  const head = Buffer.alloc(7);
  head.writeUInt32LE(0xfd2fb528, 0);
  head[4] = 0x60; // FCS flag 1 (2 bytes), single segment
  head.writeUInt16LE(data.length - 256, 5);
  return Buffer.concat([head, ...blocks]);
}

/**
 * kdump-compressed (makedumpfile diskdump_mod.h), block 4096; `pages` by pfn (only these
 * are dumpable). `version` 1-6 writes the sub-header fields that version has: 3+ vmcoreinfo,
 * 4+ notes, 6 max_mapnr_64. `encoded` gives pages already compressed (real LZO pages) with
 * their page_desc flags.
 */
export function buildKdump(o: { pages: Map<number, Uint8Array>; maxPfn: number; compression: Compression; notes?: Buffer[]; vmcoreinfo?: string; status?: number; bitmapBlocksOverride?: number; release?: string; machine?: string; version?: number; encoded?: Map<number, { data: Uint8Array; flags: number }> }): Buffer {
  const version = o.version ?? 6;
  const B = 4096;
  const bitmapHalf = Math.max(B, Math.ceil(o.maxPfn / 8 / B) * B);
  const bitmapBlocks = (2 * bitmapHalf) / B;
  const notes = Buffer.concat(o.notes ?? []);
  const vi = Buffer.from(o.vmcoreinfo ?? '');
  const pfns = [...new Set([...o.pages.keys(), ...(o.encoded?.keys() ?? [])])].sort((a, b) => a - b);
  const descOff = B * 2 + bitmapHalf * 2;
  let dataOff = descOff + pfns.length * 24;
  const noteOff = dataOff; dataOff += notes.length;
  const viOff = dataOff; dataOff += vi.length;
  const datas = pfns.map((p) => {
    const enc = o.encoded?.get(p);
    if (enc) return { d: Buffer.from(enc.data), f: enc.flags };
    const raw = o.pages.get(p)!;
    if (o.compression === 'zstd') return { d: zstdFrame(raw), f: 0x20 };
    if (o.compression === 'zlib') return { d: deflateSync(raw), f: 1 };
    if (o.compression === 'snappy') return { d: Buffer.from(snappy.compress(raw)), f: 4 };
    return { d: Buffer.from(raw), f: 0 };
  });
  const total = dataOff + datas.reduce((n, x) => n + x.d.length, 0);
  const b = Buffer.alloc(total);
  b.write('KDUMP   ', 0, 'latin1'); b.writeInt32LE(version, 8);
  b.write(o.release ?? '6.1.0-test', 12 + 65 * 2, 'latin1'); b.write(o.machine ?? 'x86_64', 12 + 65 * 4, 'latin1');
  b.writeBigInt64LE(1_700_000_000n, 408); b.writeUInt32LE(o.status ?? 0, 424);
  b.writeInt32LE(B, 428); b.writeInt32LE(1, 432); b.writeUInt32LE(o.bitmapBlocksOverride ?? bitmapBlocks, 436);
  b.writeUInt32LE(o.maxPfn, 440); b.writeInt32LE(1, 460);
  const sub = B;
  b.writeBigUInt64LE(0x1000000n, sub); b.writeInt32LE(31, sub + 8); // phys_base, dump_level
  if (version >= 3) { b.writeBigUInt64LE(BigInt(viOff), sub + 32); b.writeBigUInt64LE(BigInt(vi.length), sub + 40); }
  if (version >= 4) { b.writeBigUInt64LE(BigInt(notes.length ? noteOff : 0), sub + 48); b.writeBigUInt64LE(BigInt(notes.length), sub + 56); }
  if (version >= 6) b.writeBigUInt64LE(BigInt(o.maxPfn), sub + 96);
  for (const p of pfns) { b[2 * B + (p >> 3)]! |= 1 << (p & 7); b[2 * B + bitmapHalf + (p >> 3)]! |= 1 << (p & 7); }
  notes.copy(b, noteOff); vi.copy(b, viOff);
  let d = viOff + vi.length;
  pfns.forEach((_p, i) => {
    const x = datas[i]!;
    const o2 = descOff + i * 24;
    b.writeBigInt64LE(BigInt(d), o2); b.writeUInt32LE(x.d.length, o2 + 8); b.writeUInt32LE(x.f, o2 + 12);
    x.d.copy(b, d); d += x.d.length;
  });
  return b;
}

/** The same bytes as makedumpfile -F would stream them, in `chunk`-sized records, last-first for the header. */
export function toFlattened(file: Buffer, chunk = 5000): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(4096); h.write('makedumpfile', 0, 'latin1'); h.writeBigInt64BE(1n, 16); h.writeBigInt64BE(1n, 24);
  parts.push(h);
  const rec = (off: number, data: Buffer) => { const r = Buffer.alloc(16); r.writeBigInt64BE(BigInt(off), 0); r.writeBigInt64BE(BigInt(data.length), 8); parts.push(r, data); };
  // a wrong header first, overwritten at the end, as makedumpfile rewrites its header
  rec(0, Buffer.alloc(512, 0xee));
  for (let o = 0; o < file.length; o += chunk) rec(o, file.subarray(o, o + chunk));
  const end = Buffer.alloc(16); end.writeBigInt64BE(-1n, 0); parts.push(end);
  return Buffer.concat(parts);
}

/** A QEMU-style phys-only ELF core of a MapMemory machine (pagetables.ts), one PT_LOAD per run of pages. */
export function machineToElf(mem: { pageSize: number; pages: Map<bigint, Uint8Array> }, vmcoreinfo: Record<string, string>, machine = 62, extraNotes: Buffer[] = []): Buffer {
  const pfns = [...mem.pages.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const segs: ElfSeg[] = [];
  let run: { start: bigint; pages: Uint8Array[] } | undefined;
  const flush = () => { if (run) segs.push({ paddr: run.start * BigInt(mem.pageSize), data: Buffer.concat(run.pages) }); };
  for (const pfn of pfns) {
    if (run && run.start + BigInt(run.pages.length) === pfn) run.pages.push(mem.pages.get(pfn)!);
    else { flush(); run = { start: pfn, pages: [mem.pages.get(pfn)!] }; }
  }
  flush();
  const vi = Object.entries(vmcoreinfo).map(([k, v]) => `${k}=${v}\n`).join('');
  return buildElf({ segs, machine, notes: [vmcoreinfoNote(vi), ...extraNotes] });
}

/**
 * A 64-bit little-endian ELF core (a QEMU `dump-guest-memory` ELF, physical addresses only)
 * rewritten as QEMU's kdump-zlib writer lays it out (qemu dump/dump.c): the ELF's notes
 * (NT_PRSTATUS, VMCOREINFO) in the sub-header, zero pages left out, and the utsname
 * machine it leaves as "Unknown" for a guest it has no name for.
 */
export async function elfCoreToKdump(elfPath: string, machine = 'Unknown'): Promise<Buffer> {
  const { open } = await import('node:fs/promises');
  const f = await open(elfPath, 'r');
  try {
    const read = async (pos: number, len: number) => { const b = Buffer.alloc(len); await f.read(b, 0, len, pos); return b; };
    const h = await read(0, 64);
    const phoff = Number(h.readBigUInt64LE(32)), phentsize = h.readUInt16LE(54), phnum = h.readUInt16LE(56);
    const ph = await read(phoff, phentsize * phnum);
    const pages = new Map<number, Uint8Array>();
    const notes: Buffer[] = [];
    let maxPfn = 0;
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      const type = ph.readUInt32LE(o), off = Number(ph.readBigUInt64LE(o + 8)), paddr = Number(ph.readBigUInt64LE(o + 24)), size = Number(ph.readBigUInt64LE(o + 32));
      if (type === 4) notes.push(await read(off, size));
      if (type !== 1) continue;
      for (let p = 0; p + 4096 <= size; p += 4096) {
        const page = await read(off + p, 4096);
        const pfn = (paddr + p) / 4096;
        maxPfn = Math.max(maxPfn, pfn + 1);
        if (page.some((x) => x !== 0)) pages.set(pfn, page);
      }
    }
    // The release comes from VMCOREINFO's OSRELEASE, as QEMU's header leaves it empty too.
    return buildKdump({ pages, maxPfn, compression: 'zlib', notes, machine, release: '' });
  } finally {
    await f.close();
  }
}
