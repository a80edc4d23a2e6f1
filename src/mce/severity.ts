// The kernel's severity grading, as arch/x86/kernel/cpu/mce/severity.c does it:
// Intel walks the `severities[]` table (first match wins); AMD checks PCC, UC, the
// context, deferred. The kernel levels map onto the report's Severity union.
import type { Severity } from '../model/index.js';
import { MCG, MCI, bit } from './bits.js';
import { cpuFamily, cpuModel } from './cpuid.js';

export type KernelLevel = 'NO' | 'KEEP' | 'SOME' | 'DEFERRED' | 'UCNA' | 'AO' | 'UC' | 'AR' | 'PANIC';
const RANK: Record<KernelLevel, number> = { NO: 0, DEFERRED: 1, UCNA: 1, KEEP: 2, SOME: 3, AO: 4, UC: 5, AR: 6, PANIC: 7 };

/** Where the error hit: user (CS ring 3 / user IP), kernel, or not known from the record. */
export type Context = 'user' | 'kernel' | undefined;

export interface GradeInput {
  status: bigint;
  mcgStatus: bigint;
  bank: number;
  /**
   * MCG_CAP.SER_P: software error recovery. Without it (CPUs before Nehalem-EX, many
   * desktops) the S/AR rules are skipped: UC grades "Uncorrected", UC+OVER "Overflowed
   * uncorrected" (PANIC), and any UC in the kernel panics. Assumed on when not recorded.
   */
  ser: boolean;
  /** Graded in the #MC handler (MCG_STATUS.MCIP set), not by the poller. */
  exception: boolean;
  context: Context;
  cpuid?: number;
}

const b = (n: number) => 1n << BigInt(n);
const UC = b(MCI.UC), S = b(MCI.S), AR = b(MCI.AR), OVER = b(MCI.OVER), PCC = b(MCI.PCC), EN = b(MCI.EN), VAL = b(MCI.VAL);
const ADDR = b(MCI.ADDRV) | b(MCI.MISCV);
const UC_S = UC | S, UC_AR = UC | AR, UC_SAR = UC | S | AR;
const MCACOD = 0xefffn, SCRUB = 0x00c0n, SCRUBMSK = 0xeff0n, L3WB = 0x017an, DATA = 0x0134n, INSTR = 0x0150n;
const RIPV = b(MCG.RIPV), EIPV = b(MCG.EIPV), MCIP = b(MCG.MCIP);

interface Rule {
  sev: KernelLevel; msg: string; mask: bigint; result: bigint;
  mcgmask?: bigint; mcgres?: bigint; ser?: boolean; excp?: boolean; context?: 'user' | 'kernel' | 'not recorded';
  model?: number; minStepping?: number; banks?: [number, number];
}

// severities[] of severity.c, in order. MCACOD masks ignore bit 12 (the filter bit).
const RULES: readonly Rule[] = [
  { sev: 'NO', msg: 'Invalid', mask: VAL, result: 0n },
  { sev: 'NO', msg: 'Not enabled', mask: EN, result: 0n, excp: true },
  { sev: 'PANIC', msg: 'Processor context corrupt', mask: PCC, result: PCC },
  { sev: 'PANIC', msg: 'MCIP not set in MCA handler', mask: 0n, result: 0n, excp: true, mcgmask: MCIP, mcgres: 0n },
  { sev: 'PANIC', msg: 'Neither restart nor error IP', mask: 0n, result: 0n, excp: true, mcgmask: RIPV | EIPV, mcgres: 0n },
  { sev: 'PANIC', msg: 'In kernel and no restart IP', mask: 0n, result: 0n, excp: true, context: 'kernel', mcgmask: RIPV, mcgres: 0n },
  { sev: 'KEEP', msg: 'Corrected error', mask: UC, result: 0n, ser: false },
  { sev: 'AO', msg: 'Action optional: memory scrubbing error', mask: UC_AR | SCRUBMSK, result: UC | SCRUB, ser: true },
  { sev: 'AO', msg: 'Action optional: last level cache writeback error', mask: UC_AR | MCACOD, result: UC | L3WB, ser: true },
  { sev: 'AO', msg: 'Uncorrected Patrol Scrub Error', mask: UC | ADDR | 0xffffeff0n, result: ADDR | 0x001000c0n, ser: true, model: 0x55, minStepping: 4, banks: [13, 18] },
  { sev: 'UCNA', msg: 'Uncorrected no action required', mask: UC_SAR, result: UC, ser: true },
  { sev: 'PANIC', msg: 'Illegal combination (UCNA with AR=1)', mask: OVER | UC_SAR, result: UC | AR, ser: true },
  { sev: 'KEEP', msg: 'Non signaled machine check', mask: S, result: 0n, ser: true },
  { sev: 'PANIC', msg: 'Action required with lost events', mask: OVER | UC_SAR, result: OVER | UC_SAR, ser: true },
  { sev: 'KEEP', msg: 'Action required but unaffected thread is continuable', mask: OVER | UC_SAR | ADDR, result: UC_SAR | ADDR, ser: true, mcgmask: RIPV | EIPV, mcgres: RIPV },
  { sev: 'AR', msg: 'Action required: data load error in a user process', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | DATA, ser: true, context: 'user' },
  { sev: 'AR', msg: 'Action required: instruction fetch error in a user process', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | INSTR, ser: true, context: 'user' },
  { sev: 'PANIC', msg: 'Data load in unrecoverable area of kernel', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | DATA, ser: true, context: 'kernel' },
  { sev: 'PANIC', msg: 'Instruction fetch error in kernel', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | INSTR, ser: true, context: 'kernel' },
  // Not in severity.c: a record without MCG_STATUS.MCIP or a user IP does not say where the
  // #MC hit (the kernel always knows). A known AR code still grades by its code: AR, the
  // user-process outcome; in the kernel the same record panics (the two rules above).
  { sev: 'AR', msg: 'Action required: data load error (context not recorded: a user process is killed, the kernel panics)', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | DATA, ser: true, context: 'not recorded' },
  { sev: 'AR', msg: 'Action required: instruction fetch error (context not recorded: a user process is killed, the kernel panics)', mask: OVER | UC_SAR | ADDR | MCACOD, result: UC_SAR | ADDR | INSTR, ser: true, context: 'not recorded' },
  { sev: 'PANIC', msg: 'Action required: unknown MCACOD', mask: OVER | UC_SAR, result: UC_SAR, ser: true },
  { sev: 'SOME', msg: 'Action optional: unknown MCACOD', mask: OVER | UC_SAR, result: UC_S, ser: true },
  { sev: 'SOME', msg: 'Action optional with lost events', mask: OVER | UC_SAR, result: OVER | UC_S, ser: true },
  { sev: 'PANIC', msg: 'Overflowed uncorrected', mask: OVER | UC, result: OVER | UC },
  { sev: 'UC', msg: 'Uncorrected', mask: UC, result: UC },
  { sev: 'SOME', msg: 'No match', mask: 0n, result: 0n },
];

export interface Grade {
  level: KernelLevel;
  /** The kernel's own words for the grade (severity.c's msg). */
  reason: string;
}

export function gradeIntel(g: GradeInput): Grade {
  for (const r of RULES) {
    if ((g.status & r.mask) !== r.result) continue;
    if (r.mcgmask !== undefined && (g.mcgStatus & r.mcgmask) !== r.mcgres) continue;
    if (r.ser !== undefined && r.ser !== g.ser) continue;
    // An unknown context matches neither a user nor a kernel rule.
    if (r.context && (g.context ?? 'not recorded') !== r.context) continue;
    // The exception-context rules grade the #MC as a whole; a corrected bank record
    // logged during one stays corrected (mcelog and rasdaemon say so too).
    if (r.excp && (!g.exception || (g.status & UC) === 0n)) continue;
    if (r.model !== undefined && (g.cpuid === undefined || cpuModel(g.cpuid) !== r.model || (g.cpuid & 0xf) < (r.minStepping ?? 0))) continue;
    if (r.banks && (g.bank < r.banks[0] || g.bank > r.banks[1])) continue;
    // The kernel keeps the rule's words; say why the level rose when it did.
    if (RANK[r.sev] >= RANK.UC && r.sev !== 'PANIC' && g.context === 'kernel') return { level: 'PANIC', reason: `${r.msg} (in kernel)` };
    return { level: r.sev, reason: r.msg };
  }
  return { level: 'SOME', reason: 'No match' };
}

/** McaOverflowRecov (CPUID 8000_0007h EBX[0], the kernel's mce_flags.overflow_recov): family 15h on. */
const OVERFLOW_RECOV_FAMILY = 0x15;

/** mce_severity_amd (with the SMCA succor/TCC path for CPUs that have MCA_IPID). */
export function gradeAmd(g: GradeInput, smca: boolean): Grade {
  const s = g.status;
  if (bit(s, MCI.PCC)) return { level: 'PANIC', reason: 'Processor context corrupt' };
  if (bit(s, MCI.UC)) {
    if (g.context === 'kernel') return { level: 'PANIC', reason: 'Uncorrected in kernel' };
    // mce_severity_amd_smca: TCC in the kernel panics (caught just above), else recover.
    if (smca) return { level: 'AR', reason: 'Uncorrected, recoverable by killing the affected task' };
    if (g.cpuid !== undefined && cpuFamily(g.cpuid) >= OVERFLOW_RECOV_FAMILY) return { level: 'AR', reason: 'Uncorrected, recoverable by killing the current task' };
    if (bit(s, MCI.OVER)) return { level: 'PANIC', reason: 'Overflowed uncorrected' };
    return { level: 'UC', reason: 'Uncorrected' };
  }
  if (bit(s, MCI.DEFERRED)) return { level: 'DEFERRED', reason: 'Deferred error' };
  return { level: 'KEEP', reason: 'Corrected error' };
}

export function toSeverity(level: KernelLevel, status: bigint): Severity {
  switch (level) {
    case 'PANIC': return 'fatal';
    case 'AR': return 'action-required';
    case 'AO': return 'action-optional';
    case 'SOME': return bit(status, MCI.UC) ? 'action-optional' : 'corrected';
    case 'UC': case 'UCNA': return 'uncorrected';
    case 'DEFERRED': return 'deferred';
    // KEEP/NO leave the record alone ("unaffected thread is continuable", "Not enabled"):
    // a valid uncorrected one stays uncorrected in the report; an invalid one is nothing.
    default: return bit(status, MCI.UC) && bit(status, MCI.VAL) ? 'uncorrected' : 'corrected';
  }
}

/**
 * error_context() of severity.c: user when the CS was ring 3 (a user-space IP stands for
 * it: the record keeps the IP only when RIPV or EIPV is set, and the CS with it); in the
 * #MC handler (MCIP) without a user IP, the kernel assumes the worst, IN_KERNEL. A record
 * the poller logged (no MCIP) has no context. IN_KERNEL_RECOV (a fault inside an
 * exception-table fixup, e.g. copy_from_user) needs the kernel's tables: it grades here as
 * IN_KERNEL, as it would on a kernel without CONFIG_MEMORY_FAILURE fixups.
 */
export function contextOf(ip: bigint | undefined, mcgStatus: bigint): Context {
  if (ip !== undefined && ip !== 0n && (bit(mcgStatus, MCG.RIPV) || bit(mcgStatus, MCG.EIPV))) return ip >= 0xffff800000000000n ? 'kernel' : 'user';
  return bit(mcgStatus, MCG.MCIP) ? 'kernel' : undefined;
}
