// Inputs for the vmcore benchmark (bench/vmcore.ts): kexec-style ELF cores made from a real
// kdump's pages, and gzip'd copies written as a stream (nothing held whole).
import { closeSync, createReadStream, createWriteStream, ftruncateSync, openSync, writeSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { openDump } from '../src/vmcore/open.js';

const PAGE = 4096;
const START_KERNEL_MAP = 0xffffffff80000000n;
const IMAGE_SPAN = 1n << 30n; // kernel text map: at most 1 GiB

/**
 * An ELF core as /proc/vmcore gives it (the capture kernel's vmcore): the dumpable pages of
 * `src` as phys PT_LOADs, the kernel image's pages once more as text-map PT_LOADs (p_vaddr
 * = __START_KERNEL_map + paddr - phys_base, the same file bytes), behind a zero PT_LOAD of
 * `fillerBytes` first in the file (never written: sparse) and mapped far above the RAM.
 */
export async function makeElf(src: string, out: string, fillerBytes: number): Promise<number> {
  const d = await openDump(src);
  const runs: { pfn: number; pages: Uint8Array[] }[] = [];
  try {
    const physBase = BigInt(d.vmcoreinfo?.get('NUMBER(phys_base)') ?? '0');
    const maxPfn = 1 << 20; // 4 GiB: more than the 768 MB guest
    for (let pfn = 0; pfn < maxPfn; pfn++) {
      const pa = BigInt(pfn) * BigInt(PAGE);
      if (!d.phys.has(pa)) continue;
      let p: Uint8Array;
      try { p = await d.phys.read(pa, PAGE); } catch { continue; }
      const last = runs.at(-1);
      if (last && last.pfn + last.pages.length === pfn) last.pages.push(p);
      else runs.push({ pfn, pages: [p] });
    }
    const vi = Buffer.from(d.vmcoreinfoRaw ?? '');
    const name = Buffer.from('VMCOREINFO\0\0');
    const note = Buffer.alloc(12 + name.length + ((vi.length + 3) & ~3));
    note.writeUInt32LE(11, 0); note.writeUInt32LE(vi.length, 4); note.writeUInt32LE(0, 8); name.copy(note, 12); vi.copy(note, 12 + name.length);
    const inImage = (pa: bigint) => pa - physBase >= 0n && pa - physBase < IMAGE_SPAN;
    const nph = 2 + runs.length + runs.filter((r) => inImage(BigInt(r.pfn) * BigInt(PAGE))).length;
    const hdr = Buffer.alloc(64 + nph * 56);
    hdr.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    hdr.writeUInt16LE(4, 16); hdr.writeUInt16LE(62, 18); hdr.writeUInt32LE(1, 20);
    hdr.writeBigUInt64LE(64n, 32); hdr.writeUInt16LE(64, 52); hdr.writeUInt16LE(56, 54); hdr.writeUInt16LE(nph, 56);
    let phi = 0;
    const ph = (type: number, off: number, vaddr: bigint, paddr: bigint, size: number) => {
      const o = 64 + phi++ * 56;
      hdr.writeUInt32LE(type, o); hdr.writeBigUInt64LE(BigInt(off), o + 8); hdr.writeBigUInt64LE(vaddr, o + 16);
      hdr.writeBigUInt64LE(paddr, o + 24); hdr.writeBigUInt64LE(BigInt(size), o + 32); hdr.writeBigUInt64LE(BigInt(size), o + 40);
    };
    let off = Math.ceil((hdr.length + note.length) / PAGE) * PAGE;
    ph(4, hdr.length, 0n, 0n, note.length);
    ph(1, off, 0n, 1n << 40n, fillerBytes); // zero filler, far above RAM
    off += fillerBytes;
    const fd = openSync(out, 'w');
    try {
      for (const r of runs) {
        const pa = BigInt(r.pfn) * BigInt(PAGE);
        ph(1, off, 0n, pa, r.pages.length * PAGE);
        if (inImage(pa)) ph(1, off, pa - physBase + START_KERNEL_MAP, pa, r.pages.length * PAGE);
        for (const p of r.pages) { writeSync(fd, p, 0, PAGE, off); off += PAGE; }
      }
      writeSync(fd, hdr, 0, hdr.length, 0);
      writeSync(fd, note, 0, note.length, hdr.length);
      ftruncateSync(fd, off);
    } finally {
      closeSync(fd);
    }
    return off;
  } finally {
    await d.close();
  }
}

/** `src` gzip'd to `out` (level 1: the 1 GiB of zeros in a made ELF compress in seconds). */
export async function gzipTo(src: string, out: string, level = 1): Promise<void> {
  await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), createGzip({ level }), createWriteStream(out));
}

/** `src` (gzip) inflated to `out`. */
export async function gunzipTo(src: string, out: string): Promise<void> {
  await pipeline(createReadStream(src, { highWaterMark: 1 << 20 }), createGunzip(), createWriteStream(out));
}
