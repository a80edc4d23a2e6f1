// The shape of one row of the crash-title table (after syzkaller pkg/report's oopsFormat):
// header, title format, where the guilty frame comes from, and when the report is corrupted.
import { CALL_TRACE, RIP, WARN_START, type StackSpec } from './stack.js';

/** Crash kinds, sorted. */
export type CrashKind =
  | 'bug' | 'hang' | 'lockup' | 'machine-check' | 'memory-safety' | 'oom' | 'oops' | 'panic' | 'rcu-stall' | 'reset' | 'warning';

export interface TitleRule {
  kind: CrashKind;
  /** Anchored at the start of the header line; no nested quantifiers. Its literal prefix
   * (prefix.ts) is the table's prefilter. */
  header: RegExp;
  /** {1}, {2}... = captures of the header then of `need`; {fn} = guilty function; {line} = the header line. */
  title: string;
  /** Lines that must follow, in order (syzkaller's report regexp); if one is missing the next
   * matching row is tried, and at the end the header line itself is the title (corrupted). */
  need?: readonly RegExp[];
  stack?: StackSpec;
  /** The event ends the boot by itself. */
  endsBoot?: boolean;
  /** The report carries no stack trace by design (syzkaller's noStackTrace): a missing
   * trace does not make it corrupted. */
  traceless?: boolean;
  /** syzkaller's alternative titles (same placeholders), for dedup across arches and kinds. */
  alt?: readonly string[];
  /** The format itself means a cut report ("kernel panic: Fatal exception" alone). */
  corrupted?: boolean;
  /** Header lines that follow within the report and belong to it instead of starting another
   * ("BUG: Dentry still in use" is printed by the WARNING after it). */
  absorbs?: RegExp;
}

/** Oopses: the faulting instruction, else the call trace. */
export const ripStack = (skip?: string[]): StackSpec => ({ parts: [RIP, CALL_TRACE, 'trace'], ...(skip ? { skip } : {}) });
/** WARNINGs: the frames after the trap's RIP line (powerpc64: "--- interrupt:"); kernels
 * without one print just the trace (syzkaller's warningStackFmt). */
export const warnStack = (skip?: string[]): StackSpec => ({ parts: [WARN_START, 'trace'], parts2: [CALL_TRACE, 'trace'], ...(skip ? { skip } : {}) });
/** Reports that only print a call trace. */
export const traceStack = (skip?: string[]): StackSpec => ({ parts: [CALL_TRACE, 'trace'], ...(skip ? { skip } : {}) });
