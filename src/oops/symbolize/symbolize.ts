// Frames to source lines, offline, the way scripts/decode_stacktrace.sh does it: a frame
// "func+0xoff/0xsize [mod]" is the symbol's address in the .ko (or vmlinux) plus off, asked of
// addr2line with the DWARF of that file. In a .ko (ET_REL) symbol values are offsets in their
// section, so addr2line gets "-j <section>". Symbol + offset needs no load address and no KASLR
// offset; a bare runtime address does: minus the KASLR offset for vmlinux.
// A return address (every trace frame but the faulting one and exception frames) is looked
// up at offset-1: the call instruction's line, not the line after it.
import type { Oops, OopsFrame } from '../../model/index.js';
import { addr2line, type SourceLine } from './addr2line.js';
import { readElfSymbols, type ElfSymbol, type ElfSymbols } from './elf-symbols.js';
import { indexModules, moduleKey } from './modules.js';
import { readSystemMap, symbolAt, type SystemMap } from './system-map.js';

export interface SymbolizeOptions {
  vmlinux?: string;
  /** Folder searched for <module>.ko. */
  modules?: string;
  systemMap?: string;
  /** KASLR offset for bare addresses; an oops' own `kernelOffset` wins. */
  kernelOffset?: bigint;
  /** addr2line binary (binutils, or llvm-addr2line). */
  addr2line?: string;
}

/** Farther than this past a symbol without a size, an address is not in it. */
const MAX_SYMBOL_SIZE = 1n << 20n;

interface Target { file: string; section?: string; addr: bigint; frame: OopsFrame }

export class Symbolizer {
  readonly problems: string[] = [];
  private elf = new Map<string, Promise<ElfSymbols | undefined>>();
  private modIndex?: Promise<Map<string, string>>;
  private map?: Promise<SystemMap | undefined>;

  constructor(private readonly opts: SymbolizeOptions) {}

  private problem(msg: string): void {
    if (!this.problems.includes(msg)) this.problems.push(msg);
  }

  private symbols(path: string): Promise<ElfSymbols | undefined> {
    let p = this.elf.get(path);
    if (!p) {
      p = readElfSymbols(path).catch((e: unknown) => { this.problem(`${path}: ${e instanceof Error ? e.message : String(e)}`); return undefined; });
      this.elf.set(path, p);
    }
    return p;
  }

  private async modulePath(name: string): Promise<string | undefined> {
    if (!this.opts.modules) return undefined;
    this.modIndex ??= indexModules(this.opts.modules);
    const p = (await this.modIndex).get(moduleKey(name));
    if (!p) this.problem(`module ${name}: no ${name}.ko under ${this.opts.modules}`);
    else if (!p.endsWith('.ko')) { this.problem(`module ${name}: ${p} is compressed; unpack it (xz -d / zstd -d) next to it`); return undefined; }
    return p;
  }

  private systemMap(): Promise<SystemMap | undefined> {
    if (!this.opts.systemMap) return Promise.resolve(undefined);
    this.map ??= readSystemMap(this.opts.systemMap).catch((e: unknown) => { this.problem(`${this.opts.systemMap}: ${e instanceof Error ? e.message : String(e)}`); return undefined; });
    return this.map;
  }

  /** Where to ask addr2line for one frame, or undefined when the inputs cannot say. */
  private async target(f: OopsFrame, exact: boolean, kaslr: bigint | undefined): Promise<Target | undefined> {
    const back = exact ? 0n : 1n;
    if (f.offset !== undefined && !f.function.startsWith('0x')) {
      const off = BigInt(f.offset);
      if (f.module) {
        const ko = await this.modulePath(f.module);
        const syms = ko ? await this.symbols(ko) : undefined;
        const sym = syms && pick(syms.byName.get(f.function), f.size);
        if (!syms || !sym) { if (syms) this.problem(`${f.function}: not in the symbols of ${syms.path}`); return undefined; }
        const t: Target = { file: syms.path, addr: sym.value + off - (off > 0n ? back : 0n), frame: f };
        if (syms.relocatable) t.section = sym.section;
        return t;
      }
      if (!this.opts.vmlinux) return undefined;
      const syms = await this.symbols(this.opts.vmlinux);
      let value = syms && pick(syms.byName.get(f.function), f.size)?.value;
      value ??= (await this.systemMap())?.byName.get(f.function)?.[0];
      if (!syms || value === undefined) return undefined;
      return { file: syms.path, addr: value + off - (off > 0n ? back : 0n), frame: f };
    }
    if (f.address !== undefined && !this.opts.vmlinux && f.module === undefined && f.function.startsWith('0x')) {
      // System.map alone names a bare address; lines need the vmlinux.
      const map = await this.systemMap();
      const link = BigInt(f.address) - (kaslr ?? 0n);
      const sym = map && symbolAt(map.sorted, link);
      if (sym && link - sym.value < MAX_SYMBOL_SIZE) { f.function = sym.name; f.offset = `0x${(link - sym.value).toString(16)}`; }
      return undefined;
    }
    if (f.address !== undefined && this.opts.vmlinux && f.module === undefined) {
      const syms = await this.symbols(this.opts.vmlinux);
      if (!syms) return undefined;
      const link = BigInt(f.address) - (kaslr ?? 0n);
      const sym = symbolAt(syms.sorted, link);
      // Outside vmlinux text (a module, a wrong offset): leave it.
      if (!sym || link - sym.value >= (sym.size > 0n ? sym.size : MAX_SYMBOL_SIZE)) return undefined;
      if (f.function.startsWith('0x')) { f.function = sym.name; f.offset = `0x${(link - sym.value).toString(16)}`; if (sym.size) f.size = `0x${sym.size.toString(16)}`; }
      return { file: syms.path, addr: link - back, frame: f };
    }
    return undefined;
  }

  /** Fill file, line and inlined of `frames` in place; `exact[i]`: frame i is a faulting pc, not a return address. */
  async frames(frames: readonly OopsFrame[], exact: (f: OopsFrame, i: number) => boolean, kaslr?: bigint): Promise<void> {
    const targets: Target[] = [];
    for (let i = 0; i < frames.length; i++) {
      const t = await this.target(frames[i]!, exact(frames[i]!, i), kaslr ?? this.opts.kernelOffset);
      if (t) targets.push(t);
    }
    const groups = new Map<string, Target[]>();
    for (const t of targets) {
      const k = `${t.file}\0${t.section ?? ''}`;
      const g = groups.get(k);
      if (g) g.push(t); else groups.set(k, [t]);
    }
    for (const g of groups.values()) {
      const lines = await addr2line(g[0]!.file, g.map((t) => t.addr), g[0]!.section, this.opts.addr2line);
      g.forEach((t, k) => apply(t.frame, lines[k] ?? []));
    }
  }

  /** Symbolise an oops block: the faulting pc exactly, trace frames as return addresses
   * (except exception frames and a first frame that repeats the pc). */
  async oops(o: Oops): Promise<void> {
    const kaslr = o.kernelOffset !== undefined ? BigInt(o.kernelOffset) : undefined;
    const pcs = [o.rip, o.lr].filter((f): f is OopsFrame => f !== undefined);
    await this.frames(pcs, (f) => f === o.rip, kaslr);
    const same = (f: OopsFrame): boolean => o.rip !== undefined && f.function === o.rip.function && f.offset === o.rip.offset;
    await this.frames(o.trace, (f) => f.interrupted === true || same(f), kaslr);
  }
}

/** Of several symbols with one name (static functions), the one whose size the frame printed. */
function pick(list: readonly ElfSymbol[] | undefined, size: string | undefined): ElfSymbol | undefined {
  if (!list?.length) return undefined;
  if (size !== undefined) { const s = BigInt(size); const hit = list.find((x) => x.size === s); if (hit) return hit; }
  return list[0];
}

/** addr2line's chain, innermost first: the last entry is the frame's own function (its line is
 * where the inlined chain was called); the ones before are the inlined functions. */
function apply(f: OopsFrame, chain: readonly SourceLine[]): void {
  if (!chain.length || chain.every((s) => s.file === undefined)) return;
  const own = chain[chain.length - 1]!;
  if (own.file !== undefined) { f.file = own.file; f.line = own.line!; }
  if (chain.length > 1) {
    f.inlined = chain.slice(0, -1).map((s) => {
      const g: OopsFrame = { function: s.function, reliable: true };
      if (s.file !== undefined) { g.file = s.file; g.line = s.line!; }
      return g;
    });
  }
}
