// Rows for oopses, "BUG: ..." reports, lockups, stalls, hung tasks, panics and machine checks.
import type { TitleRule } from './rule-types.js';
import { ripStack, traceStack, warnStack } from './rule-types.js';
import { AT_FRAME, CALL_TRACE, PC_FRAME, RIP } from './stack.js';

const STALL_SKIP = ['apic_timer_interrupt', 'rcu'];

export const OOPS_RULES: readonly TitleRule[] = [
  { kind: 'oops', start: 'BUG: ', header: /^BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)/,
    title: 'BUG: unable to handle kernel paging request in {fn}', stack: ripStack() },
  { kind: 'oops', start: 'BUG: ', header: /^BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)/,
    title: 'BUG: unable to handle kernel NULL pointer dereference in {fn}', stack: ripStack() },
  // The kernel prints the header in two printk calls; the second part can be lost.
  { kind: 'oops', start: 'BUG: ', header: /^BUG: (?:unable to handle kernel|Unable to handle kernel)/, title: 'BUG: unable to handle kernel', corrupted: true },
  // arm64 (arch/arm64/mm/fault.c die_kernel_fault); "Internal error: Oops" follows.
  { kind: 'oops', start: 'Unable to handle kernel ', header: /^Unable to handle kernel (NULL pointer dereference|paging request)/,
    title: 'BUG: unable to handle kernel {1} in {fn}', stack: ripStack(), traceless: true },
  { kind: 'oops', start: 'Internal error: ', header: /^Internal error: Oops/, title: 'Internal error in {fn}', stack: ripStack() },
  { kind: 'oops', start: 'general protection fault', header: /^general protection fault/, title: 'general protection fault in {fn}', stack: ripStack() },
  { kind: 'oops', start: 'stack segment: ', header: /^stack segment: /, title: 'stack segment fault in {fn}', stack: ripStack() },
  { kind: 'oops', start: 'divide', header: /^divide(?: |_)error: /, title: 'divide error in {fn}', stack: { parts: [RIP] } },
  { kind: 'oops', start: 'invalid opcode: ', header: /^invalid opcode: /, title: 'invalid opcode in {fn}', stack: { parts: [RIP] } },
  { kind: 'oops', start: 'PANIC: double fault', header: /^PANIC: double fault/, title: 'PANIC: double fault in {fn}', stack: { parts: [RIP] }, endsBoot: true },
  { kind: 'bug', start: 'kernel BUG at ', header: /^kernel BUG at (?:\S{0,200}\/)?mm\/usercopy\.c/, title: 'BUG: bad usercopy in {fn}', stack: traceStack(['usercopy', '__check']) },
  { kind: 'bug', start: 'kernel BUG at ', header: /^kernel BUG at (?:\S{0,200}\/)?lib\/list_debug\.c/, title: 'BUG: corrupted list in {fn}', stack: ripStack() },
  { kind: 'bug', start: 'kernel BUG at ', header: /^kernel BUG at /, title: 'kernel BUG in {fn}', stack: ripStack() },
  { kind: 'bug', start: 'list_', header: /^list_(?:add|del) corruption/, title: 'BUG: corrupted list in {fn}', stack: ripStack(),
    absorbs: /^(?:kernel BUG at |WARNING: .{0,80}?at )(?:\S{0,200}\/)?lib\/list_debug\.c/ },
];

export const BUG_RULES: readonly TitleRule[] = [
  { kind: 'bug', start: 'BUG: spinlock ', header: /^BUG: spinlock (lockup suspected|already unlocked|recursion|bad magic|wrong owner|wrong CPU)/,
    title: 'BUG: spinlock {1} in {fn}', stack: traceStack(['spin_']) },
  { kind: 'lockup', start: 'BUG: soft lockup', header: /^BUG: soft lockup/, title: 'BUG: soft lockup in {fn}', stack: { ...ripStack(), extractor: 'stall' } },
  { kind: 'lockup', start: 'BUG: ', header: /^BUG: (?:kernel )?hard lockup/, title: 'BUG: hard lockup in {fn}', stack: ripStack() },
  // kernel/watchdog_perf.c: the NMI watchdog's report (its "NMI watchdog: " prefix is dropped first).
  { kind: 'lockup', start: 'Watchdog detected hard LOCKUP', header: /^Watchdog detected hard LOCKUP/, title: 'BUG: hard lockup in {fn}', stack: ripStack() },
  { kind: 'bug', start: 'BUG: ', header: /^BUG: \S{1,64} still has locks held!/, title: 'BUG: still has locks held in {fn}', stack: { parts: [PC_FRAME] } },
  { kind: 'bug', start: 'BUG: lock held when returning to user space', header: /^BUG: lock held when returning to user space/,
    title: 'BUG: lock held when returning to user space in {fn}', traceless: true, stack: { parts: [/leaving the kernel with locks still held/, AT_FRAME] } },
  { kind: 'bug', start: 'BUG: bad unlock balance detected!', header: /^BUG: bad unlock balance detected!/, title: 'BUG: bad unlock balance in {fn}',
    stack: { parts: [/is trying to release lock/, PC_FRAME] } },
  { kind: 'bug', start: 'BUG: held lock freed!', header: /^BUG: held lock freed!/, title: 'BUG: held lock freed in {fn}', stack: { parts: [PC_FRAME] } },
  { kind: 'bug', start: 'BUG: Bad rss-counter state', header: /^BUG: Bad rss-counter state/, title: 'BUG: Bad rss-counter state' , traceless: true },
  { kind: 'bug', start: 'BUG: non-zero nr_p', header: /^BUG: non-zero (nr_ptes|nr_pmds) on freeing mm/, title: 'BUG: non-zero {1} on freeing mm' , traceless: true },
  { kind: 'bug', start: 'BUG: Dentry ', header: /^BUG: Dentry .{1,300}? still in use \(\d{1,10}\) \[(unmount) of ([^\]]{1,100})\]/,
    title: 'BUG: Dentry still in use in {1}', absorbs: /^WARNING: .{0,80}?at (?:\S{0,200}\/)?fs\/dcache\.c/ },
  // The page_owner stack says who allocated the page; without it, the freeing call trace.
  { kind: 'bug', start: 'BUG: Bad page state', header: /^BUG: Bad page state/, title: 'BUG: Bad page state in {fn}',
    stack: { parts: [/page last allocated/, 'trace'], parts2: [CALL_TRACE, 'trace'], skip: ['alloc', 'page_pool', 'page_owner', 'freelist', 'prep_new_page', 'bad_page', 'free_unref', 'free_pages', '__free_'] } },
  { kind: 'bug', start: 'BUG: Bad page map', header: /^BUG: Bad page map/, title: 'BUG: Bad page map' },
  { kind: 'bug', start: 'BUG: workqueue lockup', header: /^BUG: workqueue lockup/, title: 'BUG: workqueue lockup' , traceless: true },
  { kind: 'bug', start: 'BUG: workqueue leaked lock or atomic', header: /^BUG: workqueue leaked lock or atomic/, need: [/last function: ([a-zA-Z0-9_]{1,200})/],
    title: 'BUG: workqueue leaked lock or atomic in {1}' , traceless: true },
  { kind: 'bug', start: 'BUG: sleeping function called from invalid context', header: /^BUG: sleeping function called from invalid context/,
    title: 'BUG: sleeping function called from invalid context in {fn}', stack: traceStack() },
  { kind: 'bug', start: 'BUG: using __this_cpu_', header: /^BUG: using __this_cpu_([a-z_]{1,40})\(\) in preemptible/,
    title: 'BUG: using __this_cpu_{1}() in preemptible code in {fn}', stack: traceStack(['dump_stack', 'preemption', 'preempt']) },
  { kind: 'bug', start: 'BUG: using smp_processor_id', header: /^BUG: using smp_processor_id\(\) in preemptible/,
    title: 'BUG: using smp_processor_id() in preemptible code in {fn}', stack: traceStack(['dump_stack', 'preemption', 'preempt', 'debug_smp_processor_id']) },
  { kind: 'bug', start: 'BUG: ', header: /^BUG: (?:\w{1,16} )?stack guard page was hit/, title: 'BUG: stack guard page was hit in {fn}', stack: ripStack(), traceless: true },
  { kind: 'bug', start: 'BUG: scheduling while atomic', header: /^BUG: scheduling while atomic/, title: 'BUG: scheduling while atomic in {fn}', stack: traceStack(['schedule']) },
  { kind: 'bug', start: 'BUG: Invalid wait context', header: /^BUG: Invalid wait context/, title: 'WARNING: locking bug in {fn}',
    stack: { parts: [/is trying to lock/, AT_FRAME], parts2: [CALL_TRACE, 'trace'], skip: ['lock_sock', 'release_sock'] } },
  // No row knows this BUG: the line is the title (not corrupted: nothing says it is cut).
  { kind: 'bug', start: 'BUG: ', header: /^BUG: [^\n]{0,300}/, title: '{line}', traceless: true },
];

export const HANG_RULES: readonly TitleRule[] = [
  { kind: 'bug', start: 'INFO: trying to register non-static key', header: /^INFO: trying to register non-static key/,
    title: 'INFO: trying to register non-static key in {fn}', stack: traceStack(['stack', 'lock', 'IRQ']) },
  { kind: 'hang', start: 'INFO: task ', header: /^INFO: task .{1,64}:\d{1,10} blocked for more than \d{1,10} seconds/, title: 'INFO: task hung in {fn}',
    stack: { ...traceStack(), extractor: 'hang' } },
  { kind: 'hang', start: 'INFO: task ', header: /^INFO: task .{1,64}:\d{1,10} can't die/, title: "INFO: task can't die in {fn}", stack: traceStack() },
  // The stalled CPU's stack is the one interrupted by the timer: after "apic_timer_interrupt".
  { kind: 'rcu-stall', start: 'INFO: rcu_', header: /^INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stall/, title: 'INFO: rcu detected stall in {fn}',
    stack: { parts: [/apic_timer_interrupt/, RIP, 'trace'], parts2: [/apic_timer_interrupt|Exception stack|el1h_64_irq/, 'trace'], skip: STALL_SKIP, extractor: 'stall' } },
  { kind: 'rcu-stall', start: 'INFO: rcu_', header: /^INFO: rcu_tasks\w{0,10} detected stalls/, title: 'INFO: rcu detected stall in {fn}',
    stack: { ...warnStack(STALL_SKIP), extractor: 'stall' } },
];

export const PANIC_RULES: readonly TitleRule[] = [
  { kind: 'panic', start: 'Kernel panic - not syncing: stack-protector', header: /^Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: ([A-Za-z0-9_]{1,200})(?:\.|\+)/,
    title: 'kernel panic: stack is corrupted in {1}', endsBoot: true , traceless: true },
  { kind: 'panic', start: 'Kernel panic - not syncing: stack-protector', header: /^Kernel panic - not syncing: stack-protector:/,
    title: 'kernel panic: stack is corrupted in {fn}', stack: traceStack(['stack_chk']), endsBoot: true },
  { kind: 'panic', start: 'Kernel panic - not syncing: corrupted stack end', header: /^Kernel panic - not syncing: corrupted stack end/,
    title: 'kernel panic: corrupted stack end in {fn}', stack: { ...traceStack(['schedule', 'retint_kernel']), extractor: 'stall' }, endsBoot: true },
  { kind: 'panic', start: 'Kernel panic - not syncing: Attempted to kill init!', header: /^Kernel panic - not syncing: Attempted to kill init!/,
    title: 'kernel panic: Attempted to kill init!', endsBoot: true },
  { kind: 'panic', start: "Kernel panic - not syncing: Couldn't open N_TTY ldisc", header: /^Kernel panic - not syncing: Couldn't open N_TTY ldisc for \S{1,64} --- error -\d{1,5}/,
    title: "kernel panic: Couldn't open N_TTY ldisc", endsBoot: true },
  // Alone, these follow-on reasons mean the report before them was lost.
  { kind: 'panic', start: 'Kernel panic - not syncing: ', header: /^Kernel panic - not syncing: (?:kernel: )?(Fatal exception|panic_on_warn set|hung_task: blocked tasks)/,
    title: 'kernel panic: {1}', corrupted: true, endsBoot: true },
  { kind: 'panic', start: 'Kernel panic - not syncing: ', header: /^Kernel panic - not syncing: (.{1,300})/, title: 'kernel panic: {1}', endsBoot: true },
];

export const OTHER_RULES: readonly TitleRule[] = [
  { kind: 'bug', start: 'VFS: Busy inodes after unmount', header: /^VFS: Busy inodes after unmount/, title: 'VFS: Busy inodes after unmount (use-after-free)', traceless: true },
  { kind: 'oom', start: 'Out of memory: ', header: /^Out of memory: (?:Kill|Killed) process/, title: 'out of memory' , traceless: true },
  { kind: 'machine-check', start: 'mce: [Hardware Error]: ', header: /^mce: \[Hardware Error\]: /, title: 'machine check: hardware error' , traceless: true },
  // Trusty (Android's TEE) asserts arrive through the trusty driver, which then WARNs.
  { kind: 'bug', start: 'trusty: panic ', header: /^trusty: panic \(caller [^)]{1,40}\): DEBUG ASSERT FAILED at \([^)]{1,200}\): (.{1,200})/,
    title: 'trusty: ASSERT FAILED: {1}', absorbs: /^WARNING: .{0,80}?at (?:\S{0,200}\/)?drivers\/trusty\// },
  // The fuzzer's own fatal errors (syzkaller's log.Fatal), when its output shares the console.
  { kind: 'bug', start: 'SYZFATAL:', header: /^SYZFATAL:(.{1,300})/, title: 'SYZFATAL:{1}' , traceless: true },
];
