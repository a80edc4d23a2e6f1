// Rows for "BUG: ..." reports other than the sanitizers' (syzkaller pkg/report/linux.go, the
// "BUG:" oops): page faults (arch/x86/mm/fault.c), spinlock debugging (kernel/locking/
// spinlock_debug.c), the watchdog (kernel/watchdog.c), lockdep's BUGs (kernel/locking/
// lockdep.c), mm (mm/page_alloc.c, mm/memory.c), the scheduler (kernel/sched/core.c),
// stack overflow (arch/x86/kernel/traps.c handle_stack_overflow).
import type { TitleRule } from './rule-types.js';
import { ripStack, traceStack } from './rule-types.js';
import { PC_FRAME, CALL_TRACE } from './stack.js';

/** "at: [<..>] func+0x" without skipping (a report regexp in syzkaller, not a stack rule). */
const AT_ANY = /at: (?:\[<?(?:0x)?[0-9a-f]{1,16}>?\] {1,4})?([A-Za-z0-9_]{1,200})(?:\.|\+)/;
const PC_ANY = /\[<?(?:0x)?[0-9a-f]{1,16}>?\] {1,4}([A-Za-z0-9_]{1,200})(?:\.|\+)/;

export const BUG_RULES: readonly TitleRule[] = [
  { kind: 'oops', header: /^BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)/,
    title: 'BUG: unable to handle kernel paging request in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  { kind: 'oops', header: /^BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)/,
    title: 'BUG: unable to handle kernel NULL pointer dereference in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  // The kernel prints the header in two printk calls; the second part can be lost.
  { kind: 'oops', header: /^BUG: (?:unable to handle kernel|Unable to handle kernel)/, title: 'BUG: unable to handle kernel', corrupted: true },
  { kind: 'bug', header: /^BUG: (spinlock|rwlock) (lockup suspected|already unlocked|recursion|cpu recursion|bad magic|wrong owner|wrong CPU|trylock failure on UP)/,
    title: 'BUG: {1} {2} in {fn}', stack: traceStack(['spin_', '_lock', '_unlock']) },
  { kind: 'lockup', header: /^BUG: soft lockup/, title: 'BUG: soft lockup in {fn}', alt: ['stall in {fn}'], stack: { ...ripStack(), extractor: 'stall' } },
  { kind: 'bug', header: /^BUG: .{0,200}?still has locks held!/, need: [PC_ANY], title: 'BUG: still has locks held in {1}' },
  { kind: 'bug', header: /^BUG: scheduling while atomic/, title: 'BUG: scheduling while atomic in {fn}', stack: traceStack(['schedule']) },
  { kind: 'bug', header: /^BUG: lock held when returning to user space/,
    need: [/leaving the kernel with locks still held/, AT_ANY], title: 'BUG: lock held when returning to user space in {1}', traceless: true },
  { kind: 'bug', header: /^BUG: bad unlock balance detected!/, title: 'BUG: bad unlock balance in {fn}',
    stack: { parts: [PC_FRAME, CALL_TRACE, 'trace'] } },
  { kind: 'bug', header: /^BUG: held lock freed!/, need: [PC_ANY], title: 'BUG: held lock freed in {1}' },
  { kind: 'bug', header: /^BUG: Bad rss-counter state/, title: 'BUG: Bad rss-counter state', traceless: true },
  { kind: 'bug', header: /^BUG: non-zero (nr_ptes|nr_pmds) on freeing mm/, title: 'BUG: non-zero {1} on freeing mm', traceless: true },
  // fs/dcache.c umount_check: the filesystem and device are left out (they split one bug).
  { kind: 'bug', header: /^BUG: Dentry .{1,300}? still in use \(\d{1,10}\) \[(unmount) of ([^\]]{1,100})\]/,
    title: 'BUG: Dentry still in use in {1}', alt: ['BUG: Dentry still in use [{1} of {2}]'], absorbs: /^WARNING: .{0,80}?at (?:\S{0,200}\/)?fs\/dcache\.c/ },
  { kind: 'bug', header: /^BUG: Dentry .{0,300}still in use/, title: '{line}', corrupted: true },
  // The page_owner stack says who allocated the page; without it the report is not enough.
  { kind: 'bug', header: /^BUG: Bad page (state|cache)/, title: 'BUG: Bad page {1} in {fn}',
    stack: { parts: [/page last allocated/, 'trace'], skip: ['(free|put|get|update|release)_page', 'free_unref', '^_*folio', 'truncate_inode_pages', 'page_frag_free', 'alloc', 'vmap', 'page_owner'] } },
  { kind: 'bug', header: /^BUG: Bad page map/, title: 'BUG: Bad page map' },
  { kind: 'bug', header: /^BUG: workqueue lockup/, title: 'BUG: workqueue lockup', traceless: true },
  { kind: 'bug', header: /^BUG: sleeping function called from invalid context at (.{0,200})/,
    title: 'BUG: sleeping function called from invalid context in {fn}', stack: traceStack() },
  { kind: 'bug', header: /^BUG: using ([a-z_]{1,60})\(\) in preemptible/, title: 'BUG: using {1}() in preemptible code in {fn}',
    stack: traceStack(['dump_stack', 'preemption', 'preempt', 'debug_', 'processor_id', 'this_cpu']) },
  { kind: 'bug', header: /^BUG: workqueue leaked lock or atomic/, need: [/last function: ([a-zA-Z0-9_]{1,200})$/],
    title: 'BUG: workqueue leaked lock or atomic in {1}', traceless: true },
  // "BUG: stack guard page was hit at", 5.2+ "BUG: TASK stack guard page was hit at" (also IRQ, NMI, #DF...).
  { kind: 'bug', header: /^BUG: .{0,40}?stack guard page was hit at/, title: 'BUG: stack guard page was hit in {fn}', alt: ['stack-overflow in {fn}'],
    stack: { ...ripStack(), extractor: 'stall' } },
  // arm/arm64 print what x86 titles "WARNING: locking bug" this way; one bug, one title.
  { kind: 'bug', header: /^BUG: Invalid wait context/, title: 'WARNING: locking bug in {fn}', stack: traceStack(['lock_sock', 'release_sock']) },
  { kind: 'bug', header: /^BUG:\s*$/, title: 'BUG: corrupted', corrupted: true },
  // Not in syzkaller's table: the NMI watchdog (kernel/watchdog_perf.c; "NMI watchdog: " dropped first).
  { kind: 'lockup', header: /^BUG: (?:kernel )?hard lockup/, title: 'BUG: hard lockup in {fn}', stack: ripStack() },
  { kind: 'lockup', header: /^Watchdog detected hard LOCKUP/, title: 'BUG: hard lockup in {fn}', stack: ripStack() },
  // No row knows this BUG: the line is the title (not corrupted: nothing says it is cut).
  { kind: 'bug', header: /^BUG: [^\n]{0,300}/, title: '{line}', traceless: true },
];
