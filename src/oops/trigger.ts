// A panic on purpose: who asked for it (SysRq, a panic_on_* policy, a watchdog set to panic)
// and the event it fired on (the lead). Rows are the kernel's own panic strings:
//   drivers/tty/sysrq.c sysrq_handle_crash: panic("sysrq triggered crash\n") (4.17+; before,
//     it set panic_on_oops and wrote through NULL after printing "SysRq : Trigger a crash");
//   kernel/panic.c check_panic_on_warn: panic("%s: panic_on_warn set ...\n", origin) (6.2+,
//     backported to 5.x/6.1 stable), before: panic("panic_on_warn set ...\n");
//     make_task_dead/oops_limit: "Oopsed too often (kernel.oops_limit is %d)",
//     "Warned too often (kernel.warn_limit is %d)"; panic_on_taint: "panic_on_taint set ...";
//   arch/x86/kernel/dumpstack.c oops_end: panic("Fatal exception") when panic_on_oops,
//     "Fatal exception in interrupt" always in interrupt; arm64 traps.c die(): "%s: Fatal exception";
//   kernel/watchdog.c watchdog_timer_fn: panic("softlockup: hung tasks");
//     watchdog_hld.c / watchdog.c: nmi_panic(regs, "Hard LOCKUP");
//   kernel/hung_task.c: panic("hung_task: blocked tasks");
//   kernel/rcu/tree_stall.h panic_on_rcu_stall: panic("RCU Stall\n");
//   mm/oom_kill.c check_panic_on_oom: "Out of memory: %s panic_on_oom is enabled";
//   arch/x86/kernel/nmi.c: "NMI: Not continuing" (unknown_nmi_panic, panic_on_unrecovered_nmi),
//     "NMI IOCK error: Not continuing" (panic_on_io_nmi); 2.6 apic/nmi.c die_nmi: "NMI Watchdog
//     detected LOCKUP" then panic("Non maskable interrupt").
import type { EventRef } from '../model/index.js';

/** What the trigger rules read of a crash event (a detect CrashEvent fits). */
export interface TriggerEvent {
  kind: string;
  title: string;
  panic?: string;
  function?: string;
  module?: string;
}

interface TriggerRule {
  trigger: string;
  panic: RegExp;
  /** Kinds of event the policy fires on, nearest before the panic first; none: the SysRq rule. */
  on?: readonly string[];
  /** The panic line of the rule, for the reader. */
  source: string;
}

export const TRIGGER_RULES: readonly TriggerRule[] = [
  { trigger: 'sysrq', panic: /^sysrq triggered crash/, source: 'drivers/tty/sysrq.c sysrq_handle_crash' },
  { trigger: 'panic_on_warn', panic: /(?:^|: )panic_on_warn set/, on: ['warning', 'bug', 'oops', 'lockup', 'rcu-stall', 'hang'], source: 'kernel/panic.c check_panic_on_warn' },
  { trigger: 'warn_limit', panic: /^Warned too often \(kernel\.warn_limit/, on: ['warning'], source: 'kernel/panic.c check_panic_on_warn' },
  { trigger: 'oops_limit', panic: /^Oopsed too often \(kernel\.oops_limit/, on: ['oops', 'bug'], source: 'kernel/exit.c make_task_dead' },
  { trigger: 'panic_on_taint', panic: /^panic_on_taint set/, on: ['warning', 'oops', 'bug', 'lockup', 'machine-check'], source: 'kernel/panic.c add_taint' },
  { trigger: 'oops_in_interrupt', panic: /(?:^|: )Fatal exception in interrupt/, on: ['oops', 'bug'], source: 'arch/x86/kernel/dumpstack.c oops_end, arch/arm64/kernel/traps.c die' },
  { trigger: 'panic_on_oops', panic: /(?:^|: )Fatal exception$/, on: ['oops', 'bug'], source: 'arch/x86/kernel/dumpstack.c oops_end, arch/arm64/kernel/traps.c die' },
  { trigger: 'softlockup_panic', panic: /^softlockup: hung tasks/, on: ['lockup'], source: 'kernel/watchdog.c watchdog_timer_fn' },
  { trigger: 'hardlockup_panic', panic: /^Hard LOCKUP/, on: ['lockup'], source: 'kernel/watchdog_hld.c, kernel/watchdog.c watchdog_hardlockup_check' },
  { trigger: 'hung_task_panic', panic: /^hung_task: blocked tasks/, on: ['hang'], source: 'kernel/hung_task.c check_hung_uninterruptible_tasks' },
  { trigger: 'panic_on_rcu_stall', panic: /^RCU Stall/, on: ['rcu-stall'], source: 'kernel/rcu/tree_stall.h panic_on_rcu_stall' },
  { trigger: 'panic_on_oom', panic: /^Out of memory: (?:system-wide|compulsory) panic_on_oom/, on: ['oom'], source: 'mm/oom_kill.c check_panic_on_oom' },
  { trigger: 'panic_on_io_nmi', panic: /^NMI IOCK error: Not continuing/, on: [], source: 'arch/x86/kernel/nmi.c io_check_error' },
  { trigger: 'unknown_nmi_panic', panic: /^NMI: Not continuing/, on: [], source: 'arch/x86/kernel/nmi.c unknown_nmi_error, pci_serr_error' },
  { trigger: 'nmi_watchdog', panic: /^Non maskable interrupt/, on: ['lockup'], source: '2.6 arch/x86/kernel/apic/nmi.c die_nmi' },
];

/** The panic SysRq's crash command makes (drivers/tty/sysrq.c): deliberate, blaming no caller. */
const SYSRQ = TRIGGER_RULES.find((r) => r.trigger === 'sysrq')!;
export const isSysrqPanic = (reason: string): boolean => SYSRQ.panic.test(reason.trim());

/** The SysRq lead: the boot's first oops/BUG, else its first lockup/hang, else its first WARNING. */
const SYSRQ_LEAD: readonly (readonly string[])[] = [['oops', 'bug'], ['lockup', 'hang', 'rcu-stall', 'oom'], ['warning']];

export interface Trigger {
  trigger: string;
  /** Index in the events given of the event whose panic matched. */
  at: number;
  /** Index of the lead event, when there is one. */
  lead?: number;
}

export function eventRef(e: TriggerEvent): EventRef {
  const r: EventRef = { title: e.title };
  if (e.function) r.function = e.function;
  if (e.module) r.module = e.module;
  return r;
}

/**
 * The trigger of the last panic among `events` (in boot order), and its lead. `sysrqCrash`:
 * the log shows "sysrq: Trigger a crash" (kernels before 4.17 crash through a NULL write,
 * with no panic string of their own).
 */
export function findTrigger(events: readonly TriggerEvent[], opts: { sysrqCrash?: boolean } = {}): Trigger | undefined {
  let at = -1;
  for (let i = events.length - 1; i >= 0 && at < 0; i--) if (events[i]!.panic !== undefined) at = i;
  const reason = at >= 0 ? events[at]!.panic!.trim() : undefined;
  const rule = reason === undefined ? undefined : TRIGGER_RULES.find((r) => r.panic.test(reason));
  if (rule?.trigger === 'sysrq' || (opts.sysrqCrash && (!rule || rule.trigger === 'panic_on_oops'))) {
    const end = at >= 0 ? at : events.length - 1;
    if (end < 0) return undefined;
    const t: Trigger = { trigger: 'sysrq', at: end };
    for (const kinds of SYSRQ_LEAD) {
      const i = events.findIndex((e, k) => k <= end && kinds.includes(e.kind) && !isSysrqItself(e));
      if (i >= 0) { t.lead = i; break; }
    }
    return t;
  }
  if (!rule) return undefined;
  const t: Trigger = { trigger: rule.trigger, at };
  // The policy fires inside the report it judges (the detector folds the panic into it), or
  // right after it: the nearest event of the kinds the policy watches, at or before the panic.
  for (let i = at; i >= 0; i--) {
    if (rule.on?.includes(events[i]!.kind)) { t.lead = i; break; }
  }
  return t;
}

/** Before 4.17 the SysRq crash is itself an oops in sysrq_handle_crash: not a lead. */
function isSysrqItself(e: TriggerEvent): boolean {
  return e.function === 'sysrq_handle_crash';
}
