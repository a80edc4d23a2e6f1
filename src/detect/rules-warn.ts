// Rows for WARNINGs and lockdep reports. A WARNING's title names the subsystem whose check
// fired when its source file is a generic checker (debugobjects, refcount, lockdep, ...): the
// guilty frame is then the checker's caller, so the checker's own helpers are skipped too.
import type { TitleRule } from './rule-types.js';
import { traceStack, warnStack } from './rule-types.js';
import { AT_FRAME, CALL_TRACE } from './stack.js';

/** "WARNING: CPU: 0 PID: 1 at lib/refcount.c:25 refcount_warn_saturate+0x.." (or "WARNING: at ..."):
 * the row applies when the source path ends with `src` and the function starts with `fn`. */
function warnAt(src: string, fn: string, title: string, skip: string[]): TitleRule {
  return { kind: 'warning', start: 'WARNING: ', header: new RegExp(`^WARNING: (?:.{0,80}?at )?(?:\\S{0,200}/)?${src}:\\d{1,6} (?:at )?${fn}`), title, stack: warnStack(skip) };
}

const lockdep = (header: RegExp, title: string, parts: TitleRule['stack']): TitleRule => ({ kind: 'warning', start: ['WARNING: ', 'INFO: '], header, title, ...(parts ? { stack: parts } : {}) });
const TAKES = /is trying to acquire/;

export const WARN_RULES: readonly TitleRule[] = [
  warnAt('lib/debugobjects\\.c', '', 'WARNING: ODEBUG bug in {fn}',
    ['debug_', 'rcu', 'hrtimer_', 'timer_', 'work_', 'percpu_', 'kmem_', 'slab_', 'kfree', 'vunmap', 'vfree', '__free_', 'debug_check', 'kobject_']),
  warnAt('mm/usercopy\\.c', 'usercopy_warn', 'WARNING: bad usercopy in {fn}', ['usercopy', '__check']),
  warnAt('lib/kobject\\.c', 'kobject_', 'WARNING: kobject bug in {fn}', ['kobject_']),
  warnAt('fs/proc/generic\\.c', 'proc_register', 'WARNING: proc registration bug in {fn}', ['proc_']),
  warnAt('lib/refcount\\.c', 'refcount_', 'WARNING: refcount bug in {fn}', ['refcount', 'kobject_']),
  warnAt('kernel/locking/lockdep\\.c', '\\w{0,60}lock_', 'WARNING: locking bug in {fn}', ['lock_sock', 'release_sock']),
  warnAt('mm/\\S{1,100}\\.c', 'k?.?malloc', 'WARNING: kmalloc bug in {fn}', ['kmalloc', 'kcalloc', 'kzalloc', 'krealloc', 'vmalloc', 'slab', 'kmem']),
  // The page allocator warns about its caller's request (too large, bad flags).
  warnAt('mm/page_alloc\\.c', '', 'WARNING in {fn}', ['alloc_pages', 'kmalloc', 'krealloc', 'kvmalloc', 'kmem', 'slab']),
  { kind: 'warning', start: 'WARNING: ', header: /^WARNING: .{0,300}? usb_submit_urb/, title: 'WARNING in {fn}/usb_submit_urb',
    stack: warnStack(['usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg']) },
  { kind: 'warning', start: 'WARNING: ', header: /^WARNING: (?:CPU: \d{1,5} PID: \d{1,10}|at |\S{1,200}:\d{1,6} at )/, title: 'WARNING in {fn}', stack: warnStack() },
  { kind: 'warning', start: 'WARNING: lock held when returning to user space', header: /^WARNING: lock held when returning to user space/,
    title: 'WARNING: lock held when returning to user space in {fn}', traceless: true, stack: { parts: [/leaving the kernel with locks still held/, AT_FRAME] } },
  // Lockdep: the lock being taken, else the one held, then the stack (lock primitives skipped).
  lockdep(/^(?:WARNING|INFO): possible circular locking dependency detected/, 'possible deadlock in {fn}', { parts: [TAKES, AT_FRAME, AT_FRAME, 'trace'] }),
  lockdep(/^(?:WARNING|INFO): possible recursive locking detected/, 'possible deadlock in {fn}', { parts: [TAKES, AT_FRAME, AT_FRAME, 'trace'] }),
  lockdep(/^(?:WARNING|INFO): possible irq lock inversion dependency detected/, 'possible deadlock in {fn}', { parts: [/just changed the state of lock/, AT_FRAME] }),
  lockdep(/^(?:WARNING|INFO): ([A-Z]{1,10})-safe -> \1-unsafe lock order detected/, 'possible deadlock in {fn}',
    { parts: [/which became \S{1,20}-irq-safe at:/, 'trace'], parts2: [TAKES, AT_FRAME] }),
  lockdep(/^(?:WARNING|INFO): inconsistent lock state/, 'inconsistent lock state in {fn}', { parts: [/takes/, AT_FRAME] }),
  { kind: 'warning', start: 'WARNING: suspicious RCU usage', header: /^WARNING: suspicious RCU usage/, need: [/([a-zA-Z0-9_/.-]{1,200}\.[a-z]{1,4}:\d{1,6})/],
    title: 'WARNING: suspicious RCU usage in {fn}', stack: traceStack(['rcu', 'kmem', 'slab', 'kmalloc', 'vmalloc', 'kcalloc', 'kzalloc']) },
  { kind: 'warning', start: 'WARNING: kernel stack ', header: /^WARNING: kernel stack regs at [0-9a-f]{1,16} in \S{0,100} has bad '([^']{1,20})' value/,
    title: "WARNING: kernel stack regs has bad '{1}' value", traceless: true },
  { kind: 'warning', start: 'WARNING: kernel stack ', header: /^WARNING: kernel stack frame pointer at [0-9a-f]{1,16} in \S{0,100} has bad value/,
    title: 'WARNING: kernel stack frame pointer has bad value', traceless: true },
  { kind: 'warning', start: 'WARNING: kernel stack ', header: /^WARNING: kernel stack (?:regs .{0,200}? has bad 'bp' value|frame pointer .{0,200}? has bad value)/,
    title: 'WARNING: kernel stack regs has bad value', traceless: true },
  { kind: 'warning', start: 'WARNING: bad unlock balance detected!', header: /^WARNING: bad unlock balance detected!/, title: 'WARNING: bad unlock balance in {fn}',
    stack: { parts: [/is trying to release lock/, /\] ([A-Za-z0-9_]{1,200})(?:\.|\+)/] } },
  { kind: 'warning', start: 'WARNING: held lock freed!', header: /^WARNING: held lock freed!/, title: 'WARNING: held lock freed in {fn}', stack: { parts: [AT_FRAME] } },
  { kind: 'warning', start: 'DEBUG_LOCKS_WARN_ON', header: /^DEBUG_LOCKS_WARN_ON/, title: 'WARNING: locking bug in {fn}', stack: { ...warnStack(['lock_sock', 'release_sock']), parts2: [CALL_TRACE, 'trace'] } },
  { kind: 'warning', start: 'WARNING: ', header: /^WARNING: [^\n]{0,300}/, title: '{line}', traceless: true },
];
