// Which crash event of a boot is the crash, and what the incident's event list shows.
// - A panic (or a report the kernel did not survive) ends the boot and names it.
// - Without one, the first oops is the crash: later oopses are usually its consequences
//   (a lock left held, a corrupted list), and syzbot titles a log by its first report.
// - A panic that follows a report (syzkaller folds "Fatal exception" into the oops it
//   follows) is listed as its own event after it, at its own line.
// - panic() prints no backtrace once an oops has set TAINT_DIE (kernel/panic.c:
//   "if (!test_taint(TAINT_DIE) && oops_in_progress <= 1) dump_stack()"): a bare panic
//   after an oops is whole, not cut.
import type { IncidentEvent, KernelMessage } from '../model/index.js';
import type { CrashEvent, Frame } from '../detect/types.js';
import { cleanFunction } from '../detect/frames.js';
import { PANIC_PREFIX } from './facts.js';

/** Kinds whose report goes through die()/oops_end(), which set TAINT_DIE (arch/x86/kernel/dumpstack.c, arch/arm64/kernel/traps.c). */
const DIE_KINDS = new Set(['oops', 'bug']);

/** A panic event that is the follow-on of the report before it (that report took its
 * reason as its own `panic`): the report is the crash, the panic its ending. */
export function isFollowOnPanic(events: readonly CrashEvent[], i: number): boolean {
  const e = events[i]!;
  const prev = events[i - 1];
  return e.kind === 'panic' && prev !== undefined && prev.kind !== 'panic' && prev.panic !== undefined && prev.panic === e.panic;
}

export function endingEvent(events: readonly CrashEvent[]): CrashEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i]!.endsBoot) return isFollowOnPanic(events, i) ? events[i - 1] : events[i];
  }
  return events.find((e) => e.kind !== 'warning') ?? events[0];
}

/** The first event that is an oops or BUG (not a WARNING, not a panic), if any. */
export function firstOops(events: readonly CrashEvent[]): CrashEvent | undefined {
  return events.find((e) => DIE_KINDS.has(e.kind));
}

/** A panic with no stack of its own after a die()-class report is printed whole (see above). */
export function panicAfterDie(e: CrashEvent, events: readonly CrashEvent[]): boolean {
  if (e.kind !== 'panic' && e.kind !== 'machine-check') return false;
  const i = events.indexOf(e);
  return events.slice(0, i < 0 ? events.length : i).some((x) => DIE_KINDS.has(x.kind));
}

/**
 * Frames of panic()'s own backtrace that are its machinery, not its caller: kernel/panic.c,
 * lib/dump_stack.c, arch/x86/kernel/dumpstack.c, arch/arm64/kernel/stacktrace.c, and the
 * WARN path (kernel/panic.c __warn, lib/bug.c report_bug, arch/x86/kernel/traps.c handle_bug).
 */
const PANIC_MACHINERY = new Set(['dump_stack', 'dump_stack_lvl', 'show_stack', 'dump_backtrace', 'show_trace_log_lvl', 'panic', 'vpanic',
  'nmi_panic', '__warn', 'check_panic_on_warn', 'warn_slowpath_fmt', 'report_bug', 'handle_bug', 'exc_invalid_op', 'asm_exc_invalid_op',
  'do_trap', 'do_error_trap', 'die', 'oops_end']);

/** The function that called panic(), from the panic's own backtrace, if it printed one. */
export function panicCaller(e: CrashEvent): Frame | undefined {
  if (e.kind !== 'panic') return undefined;
  return e.frames.find((f) => !f.unreliable && !PANIC_MACHINERY.has(cleanFunction(f.function)));
}

function toIncidentEvent(e: CrashEvent, corrupted: boolean): IncidentEvent {
  const out: IncidentEvent = { title: e.title, kind: e.kind, source: e.source };
  if (e.tsNs !== undefined) out.tsNs = e.tsNs.toString();
  if (corrupted) out.corrupted = true;
  return out;
}

/** The line of a panic folded into the report before it: within that report's lines. */
function foldedPanicLine(e: CrashEvent, messages: readonly KernelMessage[]): KernelMessage | undefined {
  for (let i = Math.max(e.first + 1, 0); i <= e.last && i < messages.length; i++) {
    if (messages[i]!.text.includes(PANIC_PREFIX)) return messages[i];
  }
  return undefined;
}

/** The events as the incident lists them: each report, and each panic folded into one after it. */
export function incidentEvents(events: readonly CrashEvent[], messages: readonly KernelMessage[] = []): IncidentEvent[] {
  const out: IncidentEvent[] = [];
  events.forEach((e, i) => {
    out.push(toIncidentEvent(e, e.corrupted && !(panicAfterDie(e, events) && e.frames.length === 0)));
    // The detector may list the follow-on panic itself; else it is made from its line.
    if (e.panic === undefined || e.kind === 'panic' || e.kind === 'machine-check' || (events[i + 1] && isFollowOnPanic(events, i + 1))) return;
    const line = foldedPanicLine(e, messages);
    const p: IncidentEvent = { title: `kernel panic: ${e.panic}`, kind: 'panic', source: line?.source ?? e.source };
    const ts = line?.tsNs ?? e.tsNs;
    if (ts !== undefined) p.tsNs = ts.toString();
    out.push(p);
  });
  return out;
}
