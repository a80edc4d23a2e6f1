// The interface between the dump containers (src/vmcore/*.ts: ELF, kdump-compressed,
// flattened, gzip, slim) and the readers of what is inside (src/vmcore/translate/,
// src/vmcore/printk/). Containers give physical memory by position; nothing here knows
// about page tables or printk.
import type { Problem } from '../model/index.js';

/** Why a page cannot be read. */
export type PageUnavailableReason =
  | 'excluded' // not in the dump (makedumpfile's dumpable bitmap, zero-filtered, no PT_LOAD covers it)
  | 'io' // the read failed (EIO on a poisoned page)
  | 'avoided' // --avoid ADDR: never read
  | 'corrupt' // the page's data could not be decoded (bad compressed block)
  | 'slim'; // the dump has headers and notes only

/** A page (or part of one) of the dumped machine that cannot be read. */
export class PageUnavailable extends Error {
  override name = 'PageUnavailable';
  constructor(
    readonly paddr: bigint,
    readonly reason: PageUnavailableReason,
    detail = '',
  ) {
    super(`physical address 0x${paddr.toString(16)} unavailable (${reason})${detail ? `: ${detail}` : ''}`);
  }
}

/** Physical memory of the dumped machine, by position. */
export interface PhysMemory {
  /**
   * `length` bytes at physical address `paddr` (may cross pages). Throws PageUnavailable
   * (with the first unreadable address) if any byte of it cannot be read.
   */
  read(paddr: bigint, length: number): Promise<Uint8Array>;
  /**
   * Whether the page holding `paddr` may be read, without reading page data: false when the
   * dump certainly lacks it (or it is --avoid'ed); true may still fail (kdump: a bitmap block
   * not yet read, EIO).
   */
  has(paddr: bigint): boolean;
  /** Never read the page holding `paddr` from now on; false if it already was off limits. */
  avoid(paddr: bigint): boolean;
  /** Page size of the dumped machine (kdump header block_size, VMCOREINFO PAGESIZE, or 4096). */
  readonly pageSize: number;
  /** Bytes read from the dump file so far (for --stats). */
  readonly bytesRead: number;
  /** Distinct dump pages read so far (for --stats). */
  readonly pagesRead: number;
}

/** Kernel virtual memory, only where the dump itself maps it (kexec ELF PT_LOAD p_vaddr). */
export interface VirtMemory {
  /** Throws PageUnavailable (paddr field holds the virtual address) if not covered. */
  read(vaddr: bigint, length: number): Promise<Uint8Array>;
  /** The physical address the dump's own segments give for `vaddr`, if any covers it. */
  toPhys(vaddr: bigint): bigint | undefined;
}

export type DumpFormat = 'elf64' | 'elf32' | 'kdump' | 'flattened' | 'qemu-kdump' | 'slim';

/** One CPU's state at dump time, from NT_PRSTATUS or QEMU's CPU notes. */
export interface DumpCpu {
  cpu: number;
  pid?: number;
  /** Registers by name ('rip', 'rsp', 'cr3', ... / 'pc', 'sp', 'x0'..'x30', 'pstate'). */
  regs?: Record<string, bigint>;
  ip?: bigint;
  sp?: bigint;
}

export interface DumpInfo {
  path: string;
  format: DumpFormat;
  /** 'x86_64', 'arm64', 'i386', or the ELF e_machine / utsname machine as found. */
  arch: string;
  /** Parsed VMCOREINFO "KEY=value" lines: SYMBOL(x), OFFSET(a.b), SIZE(x), NUMBER(x), LENGTH(x), PAGESIZE, OSRELEASE, CRASHTIME, KERNELOFFSET, ... */
  vmcoreinfo?: Map<string, string>;
  vmcoreinfoRaw?: string;
  release?: string;
  crashTime?: Date;
  /** From an NT_NOCOREDUMP note (slim dumps), e.g. 'PANIC_MCE'. */
  noCoredumpReason?: string;
  /** The dump says nothing of a panic (QEMU dump-guest-memory). The printk side may know better. */
  live?: boolean;
  cpus: DumpCpu[];
  phys: PhysMemory;
  /** Present when the dump's segments carry kernel virtual addresses (kexec /proc/vmcore). */
  virt?: VirtMemory;
  /** Bytes copied to a temporary file first (a pipe on stdin, a gzip-compressed dump). */
  spilledBytes?: number;
  /** Damage found while opening (and, appended later, while reading pages). */
  problems: Problem[];
}

export interface OpenDumpOptions {
  /** Physical addresses whose pages are never read (--avoid). */
  avoid?: bigint[];
}

export interface OpenDump extends DumpInfo {
  close(): Promise<void>;
}
// openDump(path, opts): Promise<OpenDump> is exported from src/vmcore/open.ts.
