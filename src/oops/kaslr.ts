// KASLR: how far the kernel image was moved from its link address. The panic path prints
// "Kernel Offset: 0x2600000 from 0xffffffff81000000 (relocation range: ...)" (x86
// dump_kernel_offset) or "Kernel Offset: 0x3524c4800000 from 0xffff800008000000" (arm64), or
// "Kernel Offset: disabled"; a vmcore's VMCOREINFO holds "KERNELOFFSET=2600000" (hex, no 0x;
// kernel/crash_core.c arch_crash_save_vmcoreinfo).

const LOG_LINE = /Kernel Offset: (?:0x([0-9a-f]{1,16}) from|(disabled))/;
const VMCOREINFO = /^KERNELOFFSET=([0-9a-f]{1,16})$/m;

/** The offset named by one log line or a VMCOREINFO text, as a bigint. */
export function kernelOffsetOf(text: string): bigint | undefined {
  const m = LOG_LINE.exec(text);
  if (m) return m[2] ? 0n : BigInt(`0x${m[1]}`);
  const v = VMCOREINFO.exec(text);
  return v ? BigInt(`0x${v[1]}`) : undefined;
}

/** Lines from the end of a log searched for the offset line: the panic prints it last. */
export const KASLR_SCAN_LINES = 3000;

export function kernelOffsetIn(lines: readonly string[]): bigint | undefined {
  for (let i = lines.length - 1; i >= 0 && i >= lines.length - KASLR_SCAN_LINES; i--) {
    const line = lines[i]!;
    if (!line.includes('Kernel Offset: ') && !line.startsWith('KERNELOFFSET=')) continue;
    const off = kernelOffsetOf(line);
    if (off !== undefined) return off;
  }
  return undefined;
}
