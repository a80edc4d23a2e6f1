// Rows for "INFO: ..." reports (syzkaller pkg/report/linux.go, the "INFO:" oops): RCU stalls
// (kernel/rcu/tree_stall.h), hung and unkillable tasks (kernel/hung_task.c), lockdep of 4.x
// and older ("[ INFO: ... ]", kernel/locking/lockdep.c), non-static keys, suspicious RCU usage.
import type { TitleRule } from './rule-types.js';
import { traceStack } from './rule-types.js';
import { RIP } from './stack.js';
import { SRC } from './rules-warn.js';

/** Old lockdep printed "at: [<ffffffff81234>] func+0x.."; syzkaller reads it with no skip list. */
const AT_PC = /at: \[<?(?:0x)?[0-9a-f]{1,16}>?\] {1,4}([A-Za-z0-9_]{1,200})(?:\.|\+)/;
const info = (header: RegExp, title: string, rest: Partial<TitleRule>): TitleRule => ({ kind: 'warning', header, title, ...rest });

export const INFO_RULES: readonly TitleRule[] = [
  info(/^INFO: possible circular locking dependency detected/, 'possible deadlock in {1}', { need: [/is trying to acquire lock/, AT_PC] }),
  info(/^INFO: possible irq lock inversion dependency detected/, 'possible deadlock in {1}', { need: [/just changed the state of lock/, AT_PC] }),
  info(/^INFO: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected/, 'possible deadlock in {1}', { need: [/is trying to acquire/, AT_PC] }),
  info(/^INFO: possible recursive locking detected/, 'possible deadlock in {1}', { need: [/is trying to acquire lock/, AT_PC] }),
  info(/^INFO: inconsistent lock state/, 'inconsistent lock state in {1}', { need: [/takes/, AT_PC] }),
  // The stalled CPU's stack is the one the timer interrupted: after "apic_timer_interrupt"
  // (x86), "Exception stack" (arm32), "el1h_64_irq" (arm64).
  { kind: 'rcu-stall', header: /^INFO: rcu_(?:preempt|sched|bh|tasks\w{0,10}) (?:self-)?detected(?: expedited)? stall/, title: 'INFO: rcu detected stall in {fn}',
    alt: ['stall in {fn}'],
    stack: { parts: [/apic_timer_interrupt/, RIP, 'trace'], parts2: [/apic_timer_interrupt|Exception stack|el1h_64_irq/, 'trace'], skip: ['apic_timer_interrupt', 'rcu'], extractor: 'stall' } },
  { kind: 'bug', header: /^INFO: trying to register non-static key/,
    title: 'INFO: trying to register non-static key in {fn}', stack: traceStack(['stack', 'lock', 'IRQ']) },
  info(/^INFO: suspicious RCU usage/, 'INFO: suspicious RCU usage in {fn}',
    { need: [new RegExp(SRC)], stack: traceStack(['rcu', 'kmem', 'slab']) }),
  { kind: 'hang', header: /^INFO: task .{1,64} blocked for more than \d{1,10} seconds/, title: 'INFO: task hung in {fn}', alt: ['hang in {fn}'],
    stack: { ...traceStack(), extractor: 'hang' } },
  { kind: 'hang', header: /^INFO: task .{1,64} can't die for more than .{1,40} seconds/, title: "INFO: task can't die in {fn}", alt: ['hang in {fn}'],
    stack: traceStack(['schedule']) },
  { kind: 'bug', header: /^INFO:\s*$/, title: 'INFO: corrupted', corrupted: true },
];
