// Which machine a dump is of. A kdump header's utsname machine is whatever the writer put
// there: makedumpfile copies the kernel's, QEMU's writer (qemu dump/dump.c
// create_header32/64) leaves "Unknown" on a guest it knows no name for. What the dump says
// of itself decides, in this order: the header's machine when it names one, the entries
// only one architecture writes into VMCOREINFO, the size of its NT_PRSTATUS notes.
import { FormatError } from '../util/errors.js';
import { parseVmcoreinfo } from './notes.js';

/** utsname machine (uname -m) → the arch names the readers use. */
const UTS: Record<string, string> = { x86_64: 'x86_64', aarch64: 'arm64', arm64: 'arm64', i386: 'i386', i686: 'i386', arm: 'arm', armv7l: 'arm' };

/**
 * VMCOREINFO entries each arch's arch_crash_save_vmcoreinfo() writes, and no other:
 * arch/x86/kernel/crash_core_64.c (init_top_pgt, pgtable_l5_enabled, phys_base) and
 * arch/arm64/kernel/crash_core.c (VA_BITS, kimage_voffset, PHYS_OFFSET, TCR_EL1_T1SZ).
 */
const VMCOREINFO_SIGNS: { arch: string; keys: string[] }[] = [
  { arch: 'x86_64', keys: ['SYMBOL(init_top_pgt)', 'NUMBER(pgtable_l5_enabled)', 'NUMBER(phys_base)'] },
  { arch: 'arm64', keys: ['NUMBER(kimage_voffset)', 'NUMBER(VA_BITS)', 'NUMBER(TCR_EL1_T1SZ)', 'NUMBER(PHYS_OFFSET)'] },
];

/** sizeof(struct elf_prstatus) of 64-bit arches (include/linux/elfcore.h: 112 bytes before
 * pr_reg, then ELF_NGREG registers, then pr_fpvalid padded): x86_64 27 regs, arm64 34. */
const PRSTATUS_SIZES: Record<number, string> = { 336: 'x86_64', 392: 'arm64' };

export interface ArchClues {
  /** The kdump header's utsname machine, as written. */
  utsMachine?: string;
  vmcoreinfoRaw?: string;
  /** Size of the first NT_PRSTATUS note's descriptor. */
  prstatusSize?: number;
}

/** The arch, or undefined when no clue names one. */
export function archFromClues(c: ArchClues): string | undefined {
  const uts = c.utsMachine ? UTS[c.utsMachine.trim()] : undefined;
  if (uts) return uts;
  if (c.vmcoreinfoRaw) {
    const vi = parseVmcoreinfo(c.vmcoreinfoRaw);
    for (const s of VMCOREINFO_SIGNS) if (s.keys.some((k) => vi.has(k))) return s.arch;
  }
  return c.prstatusSize !== undefined ? PRSTATUS_SIZES[c.prstatusSize] : undefined;
}

/** The arch, or an error naming every clue that was looked at and what it said. */
export function requireArch(path: string, c: ArchClues): string {
  const arch = archFromClues(c);
  if (arch) return arch;
  throw new FormatError(path, 0, `cannot tell which architecture this dump is of: the header's machine is ${JSON.stringify(c.utsMachine ?? '')}, ` +
    `${c.vmcoreinfoRaw ? 'VMCOREINFO has none of ' + VMCOREINFO_SIGNS.flatMap((s) => s.keys).join(', ') : 'there is no VMCOREINFO'}, ` +
    `and ${c.prstatusSize === undefined ? 'there is no NT_PRSTATUS note' : `the NT_PRSTATUS note's size (${c.prstatusSize}) is not one of a known arch`}`);
}
