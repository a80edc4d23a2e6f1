// ELF core dumps: /proc/vmcore copies (kexec: PT_LOADs with p_vaddr and p_paddr) and QEMU
// dump-guest-memory ELF (physical addresses only). include/uapi/linux/elf.h.
import type { Problem } from '../model/index.js';
import { FormatError, getSafeBound } from '../util/errors.js';
import { PagedMemory, type PageStore } from './memory.js';
import { parseNotes, type NoteFacts } from './notes.js';
import { dv, type ByteSource } from './source.js';
import { PageUnavailable, type VirtMemory } from './types.js';
import { SegmentIndex } from './segindex.js';

const PT_LOAD = 1;
const PT_NOTE = 4;
const MAX_PHDRS = 1 << 20; // a count of this many headers is 56 MiB: more is damage
const PN_XNUM = 0xffff;
const MAX_NOTE_BYTES = 16 << 20;
const MACHINES: Record<number, string> = { 62: 'x86_64', 183: 'arm64', 3: 'i386', 40: 'arm' };

export interface Segment { vaddr: bigint; paddr: bigint; offset: number; filesz: bigint; memsz: bigint }

export interface ElfCore {
  is64: boolean; arch: string; segments: Segment[]; notes: NoteFacts;
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
  const pv = dv(ph);
  const segments: Segment[] = [];
  const noteParts: Uint8Array[] = [];
  let noteBytes = 0;
  for (let i = 0; i < phnum; i++) {
    const o = i * phentsize;
    const type = pv.getUint32(o, le);
    const s: Segment = is64
      ? { offset: Number(pv.getBigUint64(o + 8, le)), vaddr: pv.getBigUint64(o + 16, le), paddr: pv.getBigUint64(o + 24, le), filesz: pv.getBigUint64(o + 32, le), memsz: pv.getBigUint64(o + 40, le) }
      : { offset: pv.getUint32(o + 4, le), vaddr: BigInt(pv.getUint32(o + 8, le)), paddr: BigInt(pv.getUint32(o + 12, le)), filesz: BigInt(pv.getUint32(o + 16, le)), memsz: BigInt(pv.getUint32(o + 20, le)) };
    if (type === PT_LOAD) segments.push(s);
    else if (type === PT_NOTE) {
      const n = Number(s.filesz);
      if (noteBytes + n > MAX_NOTE_BYTES) { problems.push({ path: src.path, offset: phoff + o, message: `PT_NOTE of ${n} bytes over the ${MAX_NOTE_BYTES} limit; skipped` }); continue; }
      const b = await src.read(s.offset, n);
      if (b.length < n) problems.push({ path: src.path, offset: s.offset, message: 'PT_NOTE past the end of the file' });
      noteParts.push(b);
      noteBytes += b.length;
    }
  }
  const notes = parseNotes(Buffer.concat(noteParts), arch, le);
  const pageSize = pageSizeHint ?? 4096;
  const byPaddr = new SegmentIndex(segments, (s) => ({ start: s.paddr, end: s.paddr + s.memsz }));
  const store: PageStore = {
    has: (pfn) => byPaddr.find(pfn * BigInt(pageSize)) !== undefined,
    page: async (pfn) => {
      const pa = pfn * BigInt(pageSize);
      const out = new Uint8Array(pageSize);
      // A page may straddle segments or lie partly beyond p_filesz (zeros, as the kernel's memsz).
      let any = false;
      for (let d = 0; d < pageSize;) {
        const s = byPaddr.find(pa + BigInt(d));
        if (!s) {
          // Skip to the next segment's start, or past the page: never byte by byte.
          const next = byPaddr.nextStart(pa + BigInt(d));
          d = next === undefined || next >= pa + BigInt(pageSize) ? pageSize : Number(next - pa);
          continue;
        }
        any = true;
        const rel = pa + BigInt(d) - s.paddr;
        const n = Number(BigInt(Math.min(pageSize - d, Number(s.memsz - rel))));
        if (rel < s.filesz) {
          const fn = Math.min(n, Number(s.filesz - rel));
          const b = await src.read(s.offset + Number(rel), fn);
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
  const mapped = new SegmentIndex(segments.filter((s) => s.vaddr !== 0n && s.vaddr !== s.paddr), (s) => ({ start: s.vaddr, end: s.vaddr + s.memsz }));
  const virt: VirtMemory | undefined = mapped.size ? {
    toPhys: (va) => { const s = mapped.find(va); return s ? s.paddr + (va - s.vaddr) : undefined; },
    read: async (va, len) => {
      const s = mapped.find(va);
      if (!s || va + BigInt(len) > s.vaddr + s.memsz) throw new PageUnavailable(va, 'excluded', 'no PT_LOAD maps this virtual address');
      return phys.read(s.paddr + (va - s.vaddr), len);
    },
  } : undefined;
  return { is64, arch, segments, notes, phys, virt };
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

