// ELF core dumps: /proc/vmcore copies (kexec: PT_LOADs with p_vaddr and p_paddr) and QEMU
// dump-guest-memory ELF (physical addresses only). include/uapi/linux/elf.h.
import type { Problem } from '../model/index.js';
import { FormatError, getSafeBound } from '../util/errors.js';
import { PagedMemory, type PageStore } from './memory.js';
import { parseNotes, type NoteFacts } from './notes.js';
import { dv, type ByteSource } from './source.js';
import { PageUnavailable, type VirtMemory } from './types.js';
import { readProgramHeaders, type Loads } from './phdrs.js';
import { range, SegmentIndex, type Extents } from './segindex.js';

const MAX_PHDRS = 1 << 20; // a count of this many headers is 56 MiB: more is damage
const PN_XNUM = 0xffff;
const MAX_NOTE_BYTES = 16 << 20;
const MACHINES: Record<number, string> = { 62: 'x86_64', 183: 'arm64', 3: 'i386', 40: 'arm' };

export interface ElfCore {
  is64: boolean; arch: string; loads: Loads; notes: NoteFacts;
  phys: PagedMemory; virt?: VirtMemory;
}

export function isElfCore(head: Uint8Array): boolean {
  return head.length >= 18 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46 && dv(head).getUint16(16, head[5] !== 2) === 4;
}

export async function readElfCore(src: ByteSource, problems: Problem[], avoid: bigint[], pageSizeHint?: number): Promise<ElfCore> {
  const h = await src.read(0, 64);
  if (!isElfCore(h)) throw new FormatError(src.path, 0, 'not an ELF core file');
  const is64 = h[4] === 2;
  const le = h[5] !== 2;
  // sizeof(Elf64_Ehdr) / sizeof(Elf32_Ehdr) (include/uapi/linux/elf.h)
  const ehdr = is64 ? 64 : 52;
  if (h.length < ehdr) throw new FormatError(src.path, h.length, `ELF header cut short: ${h.length} of its ${ehdr} bytes`);
  const v = dv(h);
  const arch = MACHINES[v.getUint16(18, le)] ?? `e_machine ${v.getUint16(18, le)}`;
  const phoff = is64 ? Number(v.getBigUint64(32, le)) : v.getUint32(28, le);
  const phentsize = v.getUint16(is64 ? 54 : 42, le);
  const phnum = getSafeBound(await programHeaderCount(src, v, is64, le), MAX_PHDRS, 'e_phnum', src.path, is64 ? 56 : 44);
  if (phentsize < (is64 ? 56 : 32)) throw new FormatError(src.path, is64 ? 54 : 42, `e_phentsize ${phentsize} too small`);
  const ph = await src.read(phoff, phnum * phentsize);
  if (ph.length < phnum * phentsize) throw new FormatError(src.path, phoff, 'program headers past the end of the file');
  const { loads, notes: noteHeaders } = readProgramHeaders(ph, phnum, phentsize, is64, le);
  const noteParts: Uint8Array[] = [];
  let noteBytes = 0;
  for (const { index, offset, size: n } of noteHeaders) {
    if (noteBytes + n > MAX_NOTE_BYTES) { problems.push({ path: src.path, offset: phoff + index * phentsize, message: `PT_NOTE of ${n} bytes over the ${MAX_NOTE_BYTES} limit; skipped` }); continue; }
    const b = await src.read(offset, n);
    if (b.length < n) problems.push({ path: src.path, offset, message: 'PT_NOTE past the end of the file' });
    noteParts.push(b);
    noteBytes += b.length;
  }
  const notes = parseNotes(Buffer.concat(noteParts), arch, le);
  const pageSize = pageSizeHint ?? 4096;
  const byPaddr = new SegmentIndex(loads.phys, range(loads.count));
  const big = (h: Uint32Array, l: Uint32Array, i: number) => (BigInt(h[i]!) << 32n) | BigInt(l[i]!);
  const start = (x: Extents, i: number) => big(x.startHi, x.startLo, i);
  const end = (x: Extents, i: number) => big(x.endHi, x.endLo, i);
  const store: PageStore = {
    has: (pfn) => byPaddr.find(pfn * BigInt(pageSize)) >= 0,
    page: async (pfn) => {
      const pa = pfn * BigInt(pageSize);
      const out = new Uint8Array(pageSize);
      // A page may straddle segments or lie partly beyond p_filesz (zeros, as the kernel's memsz).
      let any = false;
      for (let d = 0; d < pageSize;) {
        const s = byPaddr.find(pa + BigInt(d));
        if (s < 0) {
          // Skip to the next segment's start, or past the page: never byte by byte.
          const next = byPaddr.nextStart(pa + BigInt(d));
          d = next === undefined || next >= pa + BigInt(pageSize) ? pageSize : Number(next - pa);
          continue;
        }
        any = true;
        const rel = pa + BigInt(d) - start(loads.phys, s);
        const n = Math.min(pageSize - d, Number(end(loads.phys, s) - pa - BigInt(d)));
        const filesz = big(loads.fileszHi, loads.fileszLo, s);
        if (rel < filesz) {
          const fn = Math.min(n, Number(filesz - rel));
          const b = await src.read(loads.offset[s]! + Number(rel), fn);
          if (b.length < fn) throw new PageUnavailable(pa, 'excluded', 'segment data past the end of the file');
          out.set(b, d);
        }
        d += n;
      }
      if (!any) throw new PageUnavailable(pa, 'excluded', 'no PT_LOAD covers it');
      return out;
    },
  };
  const phys = new PagedMemory(pageSize, store, src, problems, avoid);
  // kexec's segments carry the kernel's virtual addresses; QEMU's (without paging) only 0 or paddr.
  const vx = loads.virt;
  const px = loads.phys;
  const kernelMapped = new Uint32Array(loads.count);
  let nk = 0;
  for (let i = 0; i < loads.count; i++) if ((vx.startHi[i] || vx.startLo[i]) && (vx.startHi[i] !== px.startHi[i] || vx.startLo[i] !== px.startLo[i])) kernelMapped[nk++] = i;
  const mapped = new SegmentIndex(vx, kernelMapped.subarray(0, nk));
  const virt: VirtMemory | undefined = mapped.size ? {
    toPhys: (va) => { const s = mapped.find(va); return s < 0 ? undefined : start(px, s) + (va - start(vx, s)); },
    read: async (va, len) => {
      const s = mapped.find(va);
      if (s < 0 || va + BigInt(len) > end(vx, s)) throw new PageUnavailable(va, 'excluded', 'no PT_LOAD maps this virtual address');
      return phys.read(start(px, s) + (va - start(vx, s)), len);
    },
  } : undefined;
  return { is64, arch, loads, notes, phys, virt };
}


/**
 * e_phnum, or with PN_XNUM (0xffff: more segments than 16 bits count, as the kernel writes
 * /proc/vmcore of a machine with very many memory ranges) section header 0's sh_info.
 */
async function programHeaderCount(src: ByteSource, v: DataView, is64: boolean, le: boolean): Promise<number> {
  const n = v.getUint16(is64 ? 56 : 44, le);
  if (n !== PN_XNUM) return n;
  const shoff = is64 ? Number(v.getBigUint64(40, le)) : v.getUint32(32, le);
  if (shoff === 0) throw new FormatError(src.path, is64 ? 56 : 44, 'e_phnum is PN_XNUM but there is no section header 0 with the count');
  const sh = await src.read(shoff, is64 ? 64 : 40);
  if (sh.length < (is64 ? 48 : 32)) throw new FormatError(src.path, shoff, 'section header 0 past the end of the file');
  return dv(sh).getUint32(is64 ? 44 : 28, le);
}

