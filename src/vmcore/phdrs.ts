// ELF program headers (include/uapi/linux/elf.h Elf64_Phdr / Elf32_Phdr) into typed-array
// columns, one pass, no object, BigInt or call per header: QEMU's paging ELF has ~65,700
// of them, and each one cost a BigInt or two and a closure call when read field by field.
import { extentsOf, type Extents } from './segindex.js';

const TWO32 = 2 ** 32;

export const PT_LOAD = 1;
export const PT_NOTE = 4;

/** The PT_LOADs, one column per field (64-bit fields as 32-bit halves). */
export interface Loads {
  count: number;
  offset: Float64Array;
  phys: Extents; // [p_paddr, p_paddr + p_memsz)
  virt: Extents; // [p_vaddr, p_vaddr + p_memsz)
  fileszHi: Uint32Array;
  fileszLo: Uint32Array;
}

export interface NoteHeader { index: number; offset: number; size: number }

// Word indexes of each field, after the entry's 32-bit words are in host order: Elf64_Phdr
// is type, flags, offset, vaddr, paddr, filesz, memsz, align (a 64-bit field's low word
// first in a little-endian file); Elf32_Phdr is type, offset, vaddr, paddr, filesz, memsz.
const W64 = { words: 14, offset: 2, vaddr: 4, paddr: 6, filesz: 8, memsz: 10 };
const W32 = { words: 8, offset: 1, vaddr: 2, paddr: 3, filesz: 4, memsz: 5 };

/** The first `words` 32-bit words of each entry, in host order (a copy: aligned, and the file's byte order undone). */
function entryWords(ph: Uint8Array, phnum: number, phentsize: number, words: number, le: boolean): Uint32Array {
  const hostLE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
  if (le === hostLE && phentsize === words * 4) {
    const copy = new Uint8Array(phnum * phentsize); // its own buffer (a Buffer's slice() would share a pool's)
    copy.set(ph.subarray(0, copy.length));
    return new Uint32Array(copy.buffer);
  }
  const w = new Uint32Array(phnum * words);
  const v = new DataView(ph.buffer, ph.byteOffset, ph.byteLength);
  for (let i = 0; i < phnum; i++) for (let k = 0; k < words; k++) w[i * words + k] = v.getUint32(i * phentsize + k * 4, le);
  return w;
}

export function readProgramHeaders(ph: Uint8Array, phnum: number, phentsize: number, is64: boolean, le: boolean): { loads: Loads; notes: NoteHeader[] } {
  const F = is64 ? W64 : W32;
  const w = entryWords(ph, phnum, phentsize, F.words, le);
  const loads: Loads = { count: 0, offset: new Float64Array(phnum), phys: extentsOf(phnum), virt: extentsOf(phnum), fileszHi: new Uint32Array(phnum), fileszLo: new Uint32Array(phnum) };
  const notes: NoteHeader[] = [];
  // A 64-bit field at word f: low word, high word (0 for a 32-bit ELF).
  const LO = is64 && !le ? 1 : 0;
  const HI = is64 ? 1 - LO : -1;
  const { offset: OFF, fileszHi: FH, fileszLo: FL } = loads;
  const { startHi: PSH, startLo: PSL, endHi: PEH, endLo: PEL } = loads.phys;
  const { startHi: VSH, startLo: VSL, endHi: VEH, endLo: VEL } = loads.virt;
  // One loop over every header, run once before V8 optimises it: no call, columns in locals.
  for (let i = 0, b = 0, k = 0; i < phnum; i++, b += F.words) {
    const type = w[b]!;
    if (type !== PT_LOAD && type !== PT_NOTE) continue;
    const offset = (HI < 0 ? 0 : w[b + F.offset + HI]!) * TWO32 + w[b + F.offset + LO]!;
    const fh = HI < 0 ? 0 : w[b + F.filesz + HI]!;
    const fl = w[b + F.filesz + LO]!;
    if (type === PT_NOTE) { notes.push({ index: i, offset, size: fh * TWO32 + fl }); continue; }
    k = loads.count++;
    OFF[k] = offset;
    FH[k] = fh;
    FL[k] = fl;
    const mh = HI < 0 ? 0 : w[b + F.memsz + HI]!;
    const ml = w[b + F.memsz + LO]!;
    // [start, start + memsz) of both addresses; an end past 2^64 is cut there
    let sh = HI < 0 ? 0 : w[b + F.paddr + HI]!, sl = w[b + F.paddr + LO]!;
    let el = sl + ml, eh = sh + mh + (sl + ml >= TWO32 ? 1 : 0);
    if (el >= TWO32) el -= TWO32;
    if (eh >= TWO32) { eh = TWO32 - 1; el = TWO32 - 1; }
    PSH[k] = sh; PSL[k] = sl; PEH[k] = eh; PEL[k] = el;
    sh = HI < 0 ? 0 : w[b + F.vaddr + HI]!; sl = w[b + F.vaddr + LO]!;
    el = sl + ml; eh = sh + mh + (sl + ml >= TWO32 ? 1 : 0);
    if (el >= TWO32) el -= TWO32;
    if (eh >= TWO32) { eh = TWO32 - 1; el = TWO32 - 1; }
    VSH[k] = sh; VSL[k] = sl; VEH[k] = eh; VEL[k] = el;
  }
  return { loads, notes };
}
