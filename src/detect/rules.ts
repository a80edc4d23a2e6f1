// Crash headers and their titles, as data (after syzkaller pkg/report/linux.go: one row per
// report family: header, title format, where the guilty function comes from, corrupted rule).
// Title formats: {1} {2} = header groups, {fn} = guilty function, {access} = "Read"/"Write".

/** Crash kinds, sorted. */
export type CrashKind =
  | 'bug' | 'hang' | 'lockup' | 'machine-check' | 'memory-safety' | 'oom' | 'oops' | 'panic' | 'rcu-stall' | 'warning';

/** Where the guilty function is read: call trace (+RIP/PC), header function else trace, or none. */
export type StackRule = 'trace' | 'header' | 'none';

export interface TitleRule {
  kind: CrashKind;
  header: RegExp;
  title: string;
  stack: StackRule;
  /** The event ends the boot by itself. */
  endsBoot?: boolean;
}

// Every header is anchored and free of nested quantifiers: linear per line.
export const RULES: readonly TitleRule[] = [
  { kind: 'oops', header: /^BUG: kernel NULL pointer dereference/, title: 'BUG: unable to handle kernel NULL pointer dereference in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^BUG: unable to handle (?:kernel )?(NULL pointer dereference|paging request)/, title: 'BUG: unable to handle kernel {1} in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^BUG: unable to handle page fault/, title: 'BUG: unable to handle kernel paging request in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^Unable to handle kernel (NULL pointer dereference|paging request)/, title: 'BUG: unable to handle kernel {1} in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^Internal error: Oops/, title: 'Internal error in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^general protection fault/, title: 'general protection fault in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^divide(?: |_)error: /, title: 'divide error in {fn}', stack: 'trace' },
  { kind: 'oops', header: /^(?:PANIC: )?double fault/, title: 'PANIC: double fault in {fn}', stack: 'trace', endsBoot: true },
  { kind: 'bug', header: /^kernel BUG at /, title: 'kernel BUG in {fn}', stack: 'trace' },
  { kind: 'lockup', header: /^BUG: (?:kernel )?(soft|hard) lockup/, title: 'BUG: {1} lockup in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: KASAN: double-free or invalid-free/, title: 'KASAN: invalid-free in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: KASAN: ([\w-]{1,40})/, title: 'KASAN: {1} {access} in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: KFENCE: (invalid free|use-after-free|out-of-bounds|memory corruption)/, title: 'KFENCE: {1} in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: KMSAN: ([\w-]{1,40})/, title: 'KMSAN: {1} in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: KCSAN: data-race in ([\w.]{1,120}) \/ ([\w.]{1,120})/, title: 'KCSAN: data-race in {1} / {2}', stack: 'none' },
  { kind: 'memory-safety', header: /^BUG: KCSAN: (assert: race)/, title: 'KCSAN: {1} in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^UBSAN: Undefined behaviour/, title: 'UBSAN: undefined-behaviour in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^UBSAN: ([\w-]{1,40})/, title: 'UBSAN: {1} in {fn}', stack: 'trace' },
  { kind: 'memory-safety', header: /^BUG: memory leak/, title: 'memory leak in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^list_(?:add|del) corruption/, title: 'BUG: corrupted list in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: (?:\w{1,16} )?stack guard page was hit/, title: 'BUG: stack guard page was hit in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: (using smp_processor_id\(\) in preemptible)/, title: 'BUG: {1} code in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: (lock held when returning to user space)/, title: 'BUG: {1} in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: \S{1,64} still has locks held/, title: 'BUG: still has locks held in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: Invalid wait context/, title: 'WARNING: locking bug in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^(WARNING|BUG): bad unlock balance detected/, title: '{1}: bad unlock balance in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: (sleeping function called from invalid context|scheduling while atomic|stack guard page was hit|Bad page state)/, title: 'BUG: {1} in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: spinlock (bad magic|lockup suspected|already unlocked|recursion|wrong owner|wrong CPU)/, title: 'BUG: spinlock {1} in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^BUG: Bad rss-counter state/, title: 'BUG: Bad rss-counter state', stack: 'none' },
  { kind: 'bug', header: /^INFO: trying to register non-static key/, title: 'INFO: trying to register non-static key in {fn}', stack: 'trace' },
  { kind: 'bug', header: /^VFS: Busy inodes after unmount/, title: 'VFS: Busy inodes after unmount (use-after-free)', stack: 'none' },
  { kind: 'warning', header: /^(?:WARNING|INFO): (?:possible (?:circular locking dependency|recursive locking)|[A-Z]{1,10}-safe -> [A-Z]{1,10}-unsafe lock order) detected/, title: 'possible deadlock in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^WARNING: (?:inconsistent lock state|HARDIRQ-safe|SOFTIRQ-safe)/, title: 'inconsistent lock state in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^WARNING: suspicious RCU usage/, title: 'WARNING: suspicious RCU usage in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^WARNING: held lock freed/, title: 'WARNING: held lock freed in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^WARNING: kernel stack (regs|frame pointer) at [0-9a-f]{1,16} in \S{1,100} has bad/, title: 'WARNING: kernel stack {1} has bad value in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^ODEBUG: /, title: 'WARNING: ODEBUG bug in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^refcount_t: /, title: 'WARNING: refcount bug in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^DEBUG_LOCKS_WARN_ON/, title: 'WARNING: locking bug in {fn}', stack: 'trace' },
  { kind: 'warning', header: /^WARNING: CPU: \d{1,5} PID: \d{1,10} at \S{1,300} ([\w.]{1,200})\+0x/, title: 'WARNING in {fn}', stack: 'header' },
  { kind: 'warning', header: /^WARNING: \S{1,300} at ([\w.]{1,200})\+0x/, title: 'WARNING in {fn}', stack: 'header' },
  { kind: 'warning', header: /^WARNING: (?:CPU: |at )/, title: 'WARNING in {fn}', stack: 'trace' },
  { kind: 'hang', header: /^INFO: task \S{1,64}:\d{1,10} blocked for more than/, title: 'INFO: task hung in {fn}', stack: 'trace' },
  { kind: 'hang', header: /^INFO: task \S{1,64}:\d{1,10} can't die/, title: "INFO: task can't die in {fn}", stack: 'trace' },
  { kind: 'rcu-stall', header: /^(?:rcu: )?INFO: rcu_(?:preempt|sched|bh|tasks\w{0,10}) (?:self-)?detected (?:expedited )?stall/, title: 'INFO: rcu detected stall in {fn}', stack: 'trace' },
  { kind: 'oom', header: /^Out of memory: (?:Kill|Killed) process/, title: 'out of memory', stack: 'none' },
  { kind: 'machine-check', header: /^mce: \[Hardware Error\]: /, title: 'machine check: hardware error', stack: 'none' },
  { kind: 'panic', header: /^Kernel panic - not syncing: (Fatal exception)/, title: 'kernel panic: {1}', stack: 'none', endsBoot: true },
  { kind: 'panic', header: /^Kernel panic - not syncing: corrupted stack end/, title: 'kernel panic: corrupted stack end in {fn}', stack: 'trace', endsBoot: true },
  { kind: 'panic', header: /^Kernel panic - not syncing: /, title: 'kernel panic: {panic}', stack: 'none', endsBoot: true },
];

/** Panic reasons that only follow from the event before them: folded into it (syzkaller's rule). */
export const FOLLOW_ON_PANIC = /^(?:kernel: )?(?:Fatal exception|panic_on_warn set|hung_task: blocked tasks|softlockup: hung tasks|hard LOCKUP|Hard LOCKUP|Out of memory|System is deadlocked on memory|Fatal machine check|Fatal local machine check)/;
/** Panic reasons of a machine check: the event is a machine-check one. */
export const MCE_PANIC = /^Fatal (?:local )?machine check/;

/** Lines that continue the open report instead of starting one (arm64 and x86 oops bodies). */
export const CONTINUATION = /^(?:Internal error: Oops|Oops: |Mem abort info|Data abort info|mce: \[Hardware Error\]: )/;

/** syzbot normalizes numbers in titles: hex addresses to ADDR, decimals to NUM. */
export function normalizeTitle(t: string): string {
  return t.replace(/\b0x[0-9a-f]{1,16}\b/g, 'ADDR').replace(/\b[0-9a-f]{8,16}\b/g, 'ADDR').replace(/\b\d{1,20}\b/g, 'NUM');
}
