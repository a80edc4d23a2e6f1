// Rows for WARNINGs (kernel/panic.c __warn) and lockdep reports (kernel/locking/lockdep.c),
// after syzkaller pkg/report/linux.go's "WARNING:" oops. A WARNING's title names the subsystem
// whose check fired when its source file is a generic checker (debugobjects, refcount,
// lockdep, ...): the guilty frame is then the checker's caller, so its helpers are skipped.
import type { TitleRule } from './rule-types.js';
import { traceStack, warnStack } from './rule-types.js';
import { CALL_TRACE, PC_FRAME } from './stack.js';

/** syzkaller's {{SRC}}: "net/core/dev.c:1234". */
export const SRC = '([a-zA-Z0-9_/.-]{1,200}\\.[a-z]{1,4}:[0-9]{1,7})';
const FUNC = '([A-Za-z0-9_]{1,200})(?:\\.|\\+)';
const AT_ANY = /at: (?:\[<?(?:0x)?[0-9a-f]{1,16}>?\] {1,4})?([A-Za-z0-9_]{1,200})(?:\.|\+)/;

const warn = (header: string, title: string, skip?: string[]): TitleRule =>
  ({ kind: 'warning', header: new RegExp(`^WARNING: ${header}`), title, stack: warnStack(skip) });
/** "WARNING: CPU: 0 PID: 1 at lib/refcount.c:25 refcount_warn_saturate+0x.." and 6.19's
 * "WARNING: lib/refcount.c:25 at refcount_warn_saturate+0x.., CPU#0: ..": the path, then `fn`. */
const warnIn = (src: string, fn: string, title: string, skip: string[]): TitleRule => warn(`.{0,200}?${src}.{0,200}? (?:${fn})`, title, skip);
const lockdep = (header: string, title: string, rest: Partial<TitleRule>): TitleRule =>
  ({ kind: 'warning', header: new RegExp(`^WARNING: ${header}`), title, ...rest });

export const WARN_RULES: readonly TitleRule[] = [
  warnIn('lib/debugobjects\\.c', 'debug_print|debug_check|at', 'WARNING: ODEBUG bug in {fn}',
    ['debug_', 'rcu', 'hrtimer_', 'timer_', 'work_', 'percpu_', 'vunmap', 'vfree', '__free_', 'debug_check', 'kobject_']),
  warnIn('mm/usercopy\\.c', 'usercopy_warn|at', 'WARNING: bad usercopy in {fn}', ['usercopy', '__check']),
  warnIn('lib/kobject\\.c', 'kobject_|at', 'WARNING: kobject bug in {fn}', ['kobject_']),
  warnIn('fs/proc/generic\\.c', 'proc_register|at', 'WARNING: proc registration bug in {fn}', ['proc_']),
  warnIn('lib/refcount\\.c', 'refcount_|at', 'WARNING: refcount bug in {fn}', ['refcount', 'kobject_']),
  warn('.{0,200}?kernel/locking/lockdep\\.c.{0,200}?lock_', 'WARNING: locking bug in {fn}', ['lock_sock', 'release_sock']),
  lockdep('.{0,200}?still has locks held!', 'WARNING: still has locks held in {1}', { need: [/at: ([A-Za-z0-9_]{1,200})(?:\.|\+)/] }),
  warn('Nested lock was not taken', 'WARNING: nested lock was not taken in {fn}'),
  lockdep('lock held when returning to user space', 'WARNING: lock held when returning to user space in {1}',
    { need: [/leaving the kernel with locks still held/, AT_ANY], traceless: true }),
  warn('.{0,200}?mm/.{0,200}?\\.c.{0,200}? k?.?malloc', 'WARNING: kmalloc bug in {fn}', ['kmalloc', 'krealloc', 'slab', 'kmem']),
  warn('.{0,200}?mm/vmalloc.c.{0,200}?__vmalloc_node', 'WARNING: zero-size vmalloc in {fn}'),
  warn('.{0,300}? usb_submit_urb', 'WARNING in {fn}/usb_submit_urb', ['usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg']),
  // 6.19 (lore 20251110114633.202485143@infradead.org): "WARNING: file.c:12 at 0x0, CPU#0: task/1".
  warn(`${SRC} at 0x\\d{1,20}, CPU#\\d{1,5}`, 'WARNING in {fn}'),
  warn(`.{0,300} at ${SRC} ${FUNC}`, 'WARNING in {fn}'),
  warn(`${SRC} at ${FUNC}`, 'WARNING in {fn}'),
  warn(`\\[.{0,200}\\] ${SRC} at ${FUNC}`, 'WARNING in {fn}'),
  // Lockdep: the lock being taken, else the one held, then the stack; workqueue locks are the work's.
  lockdep('possible circular locking dependency detected', 'possible deadlock in {fn}',
    { need: [/is trying to acquire lock/], stack: { parts: [AT_ANY, AT_ANY, 'trace'], skip: ['process_one_work', 'flush_workqueue', 'drain_workqueue', 'destroy_workqueue'] } }),
  lockdep('possible irq lock inversion dependency detected', 'possible deadlock in {1}', { need: [/just changed the state of lock/, AT_ANY] }),
  lockdep('.{0,40}-safe -> .{0,40}-unsafe lock order detected', 'possible deadlock in {fn}', { stack: { parts: [/which became .{0,100} at:/, 'trace'] } }),
  lockdep('possible recursive locking detected', 'possible deadlock in {1}', { need: [/is trying to acquire lock/, AT_ANY] }),
  // The title's function is the stack's, not the "at:" of the lock taken.
  lockdep('inconsistent lock state', 'inconsistent lock state in {fn}', { need: [/takes/, AT_ANY], stack: { parts: [CALL_TRACE, 'trace'] } }),
  lockdep('suspicious RCU usage', 'WARNING: suspicious RCU usage in {fn}',
    { need: [new RegExp(SRC)], stack: traceStack(['rcu', 'kmem', 'slab']) }),
  lockdep("kernel stack regs at [0-9a-f]{1,16} in \\S{0,100} has bad '([^']{1,20})' value", "WARNING: kernel stack regs has bad '{1}' value", { traceless: true }),
  lockdep('kernel stack frame pointer at [0-9a-f]{1,16} in \\S{0,100} has bad value', 'WARNING: kernel stack frame pointer has bad value', { traceless: true }),
  lockdep('bad unlock balance detected!', 'WARNING: bad unlock balance in {fn}', { stack: { parts: [PC_FRAME, CALL_TRACE, 'trace'] } }),
  lockdep('held lock freed!', 'WARNING: held lock freed in {1}', { need: [/at:(?: \[<?(?:0x)?[0-9a-f]{1,16}>?\])? {1,4}([A-Za-z0-9_]{1,200})(?:\.|\+)/] }),
  lockdep("kernel stack regs .{0,200}? has bad 'bp' value", 'WARNING: kernel stack regs has bad value', { traceless: true }),
  lockdep('kernel stack frame pointer .{0,200}? has bad value', 'WARNING: kernel stack regs has bad value', { traceless: true }),
  { kind: 'warning', header: /^WARNING:\s*$/, title: 'WARNING: corrupted', corrupted: true },
  // Not in syzkaller's table: lockdep's own assertion line, printed before its WARNING.
  { kind: 'warning', header: /^DEBUG_LOCKS_WARN_ON/, title: 'WARNING: locking bug in {fn}',
    stack: { ...warnStack(['lock_sock', 'release_sock']), parts2: [CALL_TRACE, 'trace'] } },
  { kind: 'warning', header: /^WARNING: [^\n]{0,300}/, title: '{line}', traceless: true },
];
