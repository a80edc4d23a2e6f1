// ELF core program headers (include/uapi/linux/elf.h) that lie: a PT_LOAD overlapping
// another, covering more than the file holds, of zero or huge size, at an offset past the
// end; e_phnum, e_phoff and e_phentsize off; a PT_NOTE that claims megabytes; notes whose
// namesz or descsz run past their segment.
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU16, lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

const PT_LOAD = 1;
const PT_NOTE = 4;
/** Headers looked at: QEMU's ELF has ~65,700 of them; a lie in the first few is enough. */
const MAX_HEADERS = 4096;

export interface Phdr { at: number; type: number; offset: bigint; vaddr: bigint; paddr: bigint; filesz: bigint; memsz: bigint }

/** Field offsets of Elf64_Phdr / Elf32_Phdr. */
const F64 = { type: 0, offset: 8, vaddr: 16, paddr: 24, filesz: 32, memsz: 40 };
const F32 = { type: 0, offset: 4, vaddr: 8, paddr: 12, filesz: 16, memsz: 20 };

export function readPhdrs(edit: FileEdit): { is64: boolean; phoff: number; phnum: number; phentsize: number; list: Phdr[] } | undefined {
  const h = edit.read(0, 64);
  if (h.length < 52 || h.readUInt32BE(0) !== 0x7f454c46 || h[5] !== 1) return undefined;
  const is64 = h[4] === 2;
  const phoff = is64 ? Number(h.readBigUInt64LE(32)) : h.readUInt32LE(28);
  const phentsize = h.readUInt16LE(is64 ? 54 : 42);
  const phnum = h.readUInt16LE(is64 ? 56 : 44);
  const f = is64 ? F64 : F32;
  const n = Math.min(phnum, MAX_HEADERS);
  const raw = edit.read(phoff, n * phentsize);
  const list: Phdr[] = [];
  for (let i = 0; i < n && (i + 1) * phentsize <= raw.length; i++) {
    const p = i * phentsize;
    const w = (o: number) => (is64 ? raw.readBigUInt64LE(p + o) : BigInt(raw.readUInt32LE(p + o)));
    list.push({ at: phoff + p, type: raw.readUInt32LE(p), offset: w(f.offset), vaddr: w(f.vaddr), paddr: w(f.paddr), filesz: w(f.filesz), memsz: w(f.memsz) });
  }
  return { is64, phoff, phnum, phentsize, list };
}

export const elf: StructureMutator = {
  id: 'elf-phdr',
  scope: 'file',
  fits: (_path, head) => head.length >= 20 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46 && head[16] === 4,
  async mutate({ edit, rng }) {
    if (!edit) return undefined;
    const e = readPhdrs(edit);
    if (!e || e.list.length === 0) return undefined;
    const size = BigInt(edit.size);
    const f = e.is64 ? F64 : F32;
    const put = (at: number, v: bigint) => (e.is64 ? edit.u64(at, v) : edit.u32(at, Number(BigInt.asUintN(32, v))));
    const loads = e.list.filter((p) => p.type === PT_LOAD);
    const notes = e.list.filter((p) => p.type === PT_NOTE);
    const p = loads.length && rng.chance(0.8) ? rng.pick(loads) : rng.pick(e.list);
    const other = loads.length ? rng.pick(loads) : p;
    switch (rng.int(9)) {
      case 0: { const v = lieU64(rng, p.offset, [size, size - p.filesz, other.offset]); put(p.at + f.offset, v); return `phdr at 0x${p.at.toString(16)}: p_offset ${p.offset} -> ${v}`; }
      case 1: { const v = lieU64(rng, p.filesz, [size - p.offset, size, p.memsz, 0n]); put(p.at + f.filesz, v); return `phdr at 0x${p.at.toString(16)}: p_filesz ${p.filesz} -> ${v}`; }
      case 2: { const v = lieU64(rng, p.memsz, [p.filesz, 0n, 1n << 40n]); put(p.at + f.memsz, v); return `phdr at 0x${p.at.toString(16)}: p_memsz ${p.memsz} -> ${v}`; }
      case 3: {
        // Overlap: this segment's physical range starts inside another's, or equals it.
        const v = rng.chance(0.5) ? other.paddr : other.paddr + other.memsz / 2n;
        put(p.at + f.paddr, v);
        if (rng.chance(0.5)) put(p.at + f.vaddr, other.vaddr);
        return `phdr at 0x${p.at.toString(16)}: p_paddr 0x${p.paddr.toString(16)} -> 0x${v.toString(16)} (overlaps the segment at 0x${other.paddr.toString(16)})`;
      }
      case 4: { const v = lieU64(rng, p.paddr, [other.paddr, 1n << 52n]); put(p.at + f.paddr, v); return `phdr at 0x${p.at.toString(16)}: p_paddr -> 0x${v.toString(16)}`; }
      case 5: { const v = rng.pick([PT_NOTE, PT_LOAD, 0, 0x6474e550, 0xffffffff]); edit.u32(p.at + f.type, v); return `phdr at 0x${p.at.toString(16)}: p_type ${p.type} -> ${v}`; }
      case 6: {
        const field = rng.pick(['phnum', 'phoff', 'phentsize'] as const);
        if (field === 'phnum') { const v = lieU16(rng, e.phnum, [0xffff, e.list.length + 1]); edit.u16(e.is64 ? 56 : 44, v); return `e_phnum ${e.phnum} -> ${v}`; }
        if (field === 'phentsize') { const v = lieU16(rng, e.phentsize, [32, 56, 64]); edit.u16(e.is64 ? 54 : 42, v); return `e_phentsize ${e.phentsize} -> ${v}`; }
        const v = lieU64(rng, BigInt(e.phoff), [size, size - 56n]);
        if (e.is64) edit.u64(32, v); else edit.u32(28, Number(BigInt.asUintN(32, v)));
        return `e_phoff ${e.phoff} -> ${v}`;
      }
      case 7: {
        if (!notes.length) return undefined;
        const n = rng.pick(notes);
        const v = lieU64(rng, n.filesz, [size, 16n << 20n, (16n << 20n) + 1n]);
        put(n.at + f.filesz, v);
        return `PT_NOTE at 0x${n.at.toString(16)}: p_filesz ${n.filesz} -> ${v}`;
      }
      default: {
        // A note inside the PT_NOTE segment: namesz or descsz past the segment.
        if (!notes.length) return undefined;
        const n = rng.pick(notes);
        const seg = edit.read(Number(n.offset), Math.min(Number(n.filesz), 1 << 16));
        const starts: number[] = [];
        for (let q = 0; q + 12 <= seg.length && starts.length < 64;) {
          starts.push(q);
          const adv = 12 + ((seg.readUInt32LE(q) + 3) & ~3) + ((seg.readUInt32LE(q + 4) + 3) & ~3);
          if (adv <= 12 && seg.readUInt32LE(q) === 0 && seg.readUInt32LE(q + 4) === 0) break;
          q += adv;
        }
        if (!starts.length) return undefined;
        const q = rng.pick(starts);
        const which = rng.chance(0.5) ? 0 : 4;
        const v = lieU32(rng, seg.readUInt32LE(q + which), [seg.length - q, Number(n.filesz)]);
        edit.u32(Number(n.offset) + q + which, v);
        return `note at 0x${(Number(n.offset) + q).toString(16)}: ${which ? 'descsz' : 'namesz'} -> ${v}`;
      }
    }
  },
};
