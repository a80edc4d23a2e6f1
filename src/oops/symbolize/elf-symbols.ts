// Function symbols of an ELF64 file (vmlinux, a .ko, a gcc -c object): name, value, size and
// the section each lives in, read by position (a vmlinux with DWARF is hundreds of MiB; only
// its section headers, .symtab and .strtab are read). include/uapi/linux/elf.h.
import { open } from 'node:fs/promises';
import { Cursor } from '../../util/cursor.js';
import { FormatError, getSafeBound } from '../../util/errors.js';
import { struct } from '../../util/struct.js';

const Ehdr64 = struct('Elf64_Ehdr', [
  ['ident', { bytes: 16 }], ['type', 'u16'], ['machine', 'u16'], ['version', 'u32'], ['entry', 'u64'],
  ['phoff', 'u64'], ['shoff', 'u64'], ['flags', 'u32'], ['ehsize', 'u16'], ['phentsize', 'u16'],
  ['phnum', 'u16'], ['shentsize', 'u16'], ['shnum', 'u16'], ['shstrndx', 'u16'],
]);
const Shdr64 = struct('Elf64_Shdr', [
  ['name', 'u32'], ['type', 'u32'], ['flags', 'u64'], ['addr', 'u64'], ['offset', 'u64'],
  ['size', 'u64'], ['link', 'u32'], ['info', 'u32'], ['addralign', 'u64'], ['entsize', 'u64'],
]);
const Sym64 = struct('Elf64_Sym', [
  ['name', 'u32'], ['info', 'u8'], ['other', 'u8'], ['shndx', 'u16'], ['value', 'u64'], ['size', 'u64'],
]);

const SHT_SYMTAB = 2;
const STT_FUNC = 2;
const ET_REL = 1;
const MAX_SECTIONS = 1 << 16;
/** A vmlinux .symtab is ~10 MiB; more is not a kernel. */
const MAX_SYMTAB_BYTES = 256 << 20;

export interface ElfSymbol { name: string; value: bigint; size: bigint; section: string }

export interface ElfSymbols {
  path: string;
  /** ET_REL (.ko, .o): values are offsets in their section, and addr2line needs `-j section`. */
  relocatable: boolean;
  byName: Map<string, ElfSymbol[]>;
  /** Sorted by value, for address -> symbol on a linked file. */
  sorted: ElfSymbol[];
}

async function readAt(fh: import('node:fs/promises').FileHandle, pos: number, len: number, path: string): Promise<Uint8Array> {
  const buf = new Uint8Array(len);
  const { bytesRead } = await fh.read(buf, 0, len, pos);
  if (bytesRead < len) throw new FormatError(path, pos, `expected ${len} bytes, have ${bytesRead}`);
  return buf;
}

export async function readElfSymbols(path: string): Promise<ElfSymbols> {
  const fh = await open(path, 'r');
  try {
    const head = await readAt(fh, 0, Ehdr64.size, path);
    if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) throw new FormatError(path, 0, 'not an ELF file');
    if (head[4] !== 2) throw new FormatError(path, 4, 'not a 64-bit ELF file');
    const le = head[5] !== 2;
    const eh = Ehdr64.read(new Cursor(head, path, 0, le));
    const shnum = getSafeBound(eh.shnum, MAX_SECTIONS, 'e_shnum', path, Ehdr64.offsets.shnum);
    if (eh.shentsize < Shdr64.size) throw new FormatError(path, Ehdr64.offsets.shentsize, `e_shentsize ${eh.shentsize} too small`);
    const shoff = getSafeBound(eh.shoff, Number.MAX_SAFE_INTEGER, 'e_shoff', path, Ehdr64.offsets.shoff);
    const shBytes = await readAt(fh, shoff, shnum * eh.shentsize, path);
    const shdrs = Array.from({ length: shnum }, (_, i) => {
      const c = new Cursor(shBytes, path, shoff, le);
      c.seek(i * eh.shentsize);
      return Shdr64.read(c);
    });
    const table = async (i: number): Promise<Uint8Array> => {
      const s = shdrs[i];
      if (!s) throw new FormatError(path, shoff, `section ${i} does not exist`);
      const size = getSafeBound(s.size, MAX_SYMTAB_BYTES, `section ${i} size`, path, shoff + i * eh.shentsize);
      return readAt(fh, getSafeBound(s.offset, Number.MAX_SAFE_INTEGER, 'sh_offset', path), size, path);
    };
    const shstr = eh.shstrndx < shnum ? await table(eh.shstrndx) : new Uint8Array();
    const sectionName = (i: number): string => cstr(shstr, shdrs[i]?.name ?? -1);
    const symtabAt = shdrs.findIndex((s) => s.type === SHT_SYMTAB);
    if (symtabAt < 0) throw new FormatError(path, shoff, 'no .symtab: the file was stripped (use the unstripped vmlinux or .ko with debug info)');
    const symtab = await table(symtabAt);
    const strtab = await table(shdrs[symtabAt]!.link);
    const byName = new Map<string, ElfSymbol[]>();
    const sorted: ElfSymbol[] = [];
    const c = new Cursor(symtab, path, Number(shdrs[symtabAt]!.offset), le);
    while (c.remaining >= Sym64.size) {
      const s = Sym64.read(c);
      if ((s.info & 0xf) !== STT_FUNC || s.shndx === 0 || s.shndx >= 0xff00) continue;
      const sym: ElfSymbol = { name: cstr(strtab, s.name), value: s.value, size: s.size, section: sectionName(s.shndx) };
      const list = byName.get(sym.name);
      if (list) list.push(sym); else byName.set(sym.name, [sym]);
      sorted.push(sym);
    }
    sorted.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return { path, relocatable: eh.type === ET_REL, byName, sorted };
  } finally {
    await fh.close();
  }
}

function cstr(buf: Uint8Array, at: number): string {
  if (at < 0 || at >= buf.length) return '';
  let end = at;
  while (end < buf.length && buf[end] !== 0) end++;
  return Buffer.from(buf.buffer, buf.byteOffset + at, end - at).toString('latin1');
}
