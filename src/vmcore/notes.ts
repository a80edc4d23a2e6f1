// ELF notes of a dump: VMCOREINFO (kernel/crash_core.c), NT_PRSTATUS per CPU
// (include/linux/elfcore.h, struct elf_prstatus), QEMU's CPU state notes
// (qemu target/i386/arch_dump.c QEMUCPUState), and the slim-dump NT_NOCOREDUMP reason.
import type { DumpCpu } from './types.js';
import { cstr, dv } from './source.js';

export const NT_PRSTATUS = 1;
/** Slim dumps: a note whose desc is the reason no memory was dumped (e.g. "PANIC_MCE"). */
export const NT_NOCOREDUMP = 0x4e434400; // 'NCD\0'
const MAX_NOTES = 65536;

export interface NoteFacts {
  vmcoreinfoRaw?: string;
  cpus: DumpCpu[];
  noCoredumpReason?: string;
  qemu: boolean;
  /** Descriptor size of the first NT_PRSTATUS note: says the arch when nothing else does. */
  prstatusSize?: number;
}

const X86_64_REGS = ['r15', 'r14', 'r13', 'r12', 'rbp', 'rbx', 'r11', 'r10', 'r9', 'r8', 'rax', 'rcx', 'rdx', 'rsi', 'rdi', 'orig_rax', 'rip', 'cs', 'eflags', 'rsp', 'ss', 'fs_base', 'gs_base', 'ds', 'es', 'fs', 'gs'];
const ARM64_REGS = [...Array.from({ length: 31 }, (_, i) => `x${i}`), 'sp', 'pc', 'pstate'];
const QEMU_X86_64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15', 'rip', 'rflags'];

/** Parse a note area. `is64`: 64-bit prstatus layout; `arch` picks register names. */
export function parseNotes(b: Uint8Array, arch: string, little = true): NoteFacts {
  const v = dv(b);
  const out: NoteFacts = { cpus: [], qemu: false };
  let off = 0;
  let prCount = 0;
  let qemuCount = 0;
  for (let n = 0; n < MAX_NOTES && off + 12 <= b.length; n++) {
    const namesz = v.getUint32(off, little);
    const descsz = v.getUint32(off + 4, little);
    const type = v.getUint32(off + 8, little);
    const nameOff = off + 12;
    const descOff = nameOff + align4(namesz);
    const next = descOff + align4(descsz);
    if (namesz > b.length || descsz > b.length || next > b.length) break;
    const name = cstr(b, nameOff, namesz);
    const desc = b.subarray(descOff, descOff + descsz);
    if (name === 'VMCOREINFO' || name === 'VMCOREINFO_XEN') out.vmcoreinfoRaw ??= cstr(desc, 0, desc.length);
    else if (name === 'CORE' && type === NT_PRSTATUS) {
      out.prstatusSize ??= descsz;
      out.cpus.push(prstatus(desc, prCount++, arch, little));
    }
    else if (name === 'QEMU') {
      out.qemu = true;
      const c = qemuCpu(desc, qemuCount++, arch, little);
      if (c) mergeQemu(out.cpus, c);
    } else if (type === NT_NOCOREDUMP) out.noCoredumpReason = cstr(desc, 0, desc.length).trim();
    if (next <= off) break;
    off = next;
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function prstatus(d: Uint8Array, cpu: number, arch: string, little: boolean): DumpCpu {
  const c: DumpCpu = { cpu };
  if (d.length < 36) return c;
  const v = dv(d);
  c.pid = v.getInt32(32, little);
  const names = arch === 'arm64' ? ARM64_REGS : arch === 'x86_64' ? X86_64_REGS : undefined;
  if (!names || d.length < 112 + names.length * 8) return c;
  c.regs = {};
  names.forEach((r, i) => (c.regs![r] = v.getBigUint64(112 + i * 8, little)));
  c.ip = c.regs.rip ?? c.regs.pc;
  c.sp = c.regs.rsp ?? c.regs.sp;
  return c;
}

/** QEMUCPUState (x86_64): version, size, 18 GPRs, 10 segments of 24 bytes, cr[5]. */
function qemuCpu(d: Uint8Array, cpu: number, arch: string, little: boolean): DumpCpu | undefined {
  if (arch !== 'x86_64' || d.length < 8 + 18 * 8 + 240 + 40) return undefined;
  const v = dv(d);
  const regs: Record<string, bigint> = {};
  QEMU_X86_64.forEach((r, i) => (regs[r] = v.getBigUint64(8 + i * 8, little)));
  for (let i = 0; i < 5; i++) regs[`cr${i}`] = v.getBigUint64(392 + i * 8, little);
  return { cpu, regs, ip: regs.rip, sp: regs.rsp };
}

function mergeQemu(cpus: DumpCpu[], q: DumpCpu): void {
  const c = cpus.find((x) => x.cpu === q.cpu);
  if (!c) cpus.push(q);
  else c.regs = { ...q.regs, ...c.regs };
}

/** VMCOREINFO text → map of KEY=value (first '=' splits; "SYMBOL(x)" keys kept whole). */
export function parseVmcoreinfo(raw: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of raw.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) m.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  return m;
}
