// Lockdep, stalls, hangs, WARN checkers, one-line reports and panics, built from the kernel's
// printk formats (file per case): title, guilty frame, corrupted flag.
import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { consoleLog as log } from '../builders/console-log.js';
import { SYSCALL, frames, x86Regs, x86Trace } from './printk-forms.js';

type Case = [name: string, lines: string[], title: string, fn: string | undefined, corrupted: boolean];

/** kernel/locking/lockdep.c: the "=====" banner, the header, the kernel line, the "-----" rule. */
const banner = (header: string): string[] => ['======================================================', header, '6.8.0-rc1-syzkaller #0 Not tainted',
  '------------------------------------------------------'];
const lockAt = (lock: string, fn: string) => `ffff88801d2a8000 (${lock}){+.+.}-{3:3}, at: ${fn}+0x1c/0x90`;
const STACK_BT = ['', 'stack backtrace:', 'CPU: 0 PID: 4321 Comm: syz-executor.3 Not tainted 6.8.0 #0'];
/** kernel/panic.c __warn: "WARNING: CPU: %d PID: %d at %s:%d %pS". */
const warnAt = (file: string, fn: string) => `WARNING: CPU: 0 PID: 4321 at ${file}:123 ${fn}+0x1c/0x90`;

const locking: Case[] = [
  ['circular locking', [...banner('WARNING: possible circular locking dependency detected'), 'syz-executor.3/4321 is trying to acquire lock:',
    lockAt('&mm->mmap_lock', 'forge_fault'), '', 'but task is already holding lock:', lockAt('&forge->lock', 'forge_ioctl'), '',
    'which lock already depends on the new lock.', ...STACK_BT, ...x86Trace('dump_stack_lvl', 'check_noncircular', '__lock_acquire', 'lock_acquire', 'down_read', 'forge_fault')],
  'possible deadlock in forge_fault', 'forge_fault', false],
  ['circular locking taken in a lock primitive', [...banner('WARNING: possible circular locking dependency detected'), 'syz/1 is trying to acquire lock:',
    lockAt('&mm->mmap_lock', 'down_read'), '', 'but task is already holding lock:', lockAt('&forge->lock', 'forge_ioctl'), ...STACK_BT, ...x86Trace('lock_acquire', 'forge_ioctl')],
  'possible deadlock in forge_ioctl', 'forge_ioctl', false],
  // The report regexp takes the "at:" frame as it is, skip list or not.
  ['recursive locking', [...banner('WARNING: possible recursive locking detected'), 'syz/1 is trying to acquire lock:', lockAt('&forge->lock', 'mutex_lock_nested'),
    '', 'but task is already holding lock:', lockAt('&forge->lock', 'forge_ioctl'), ...STACK_BT, ...x86Trace('lock_acquire', 'forge_ioctl')],
  'possible deadlock in mutex_lock_nested', 'mutex_lock_nested', false],
  ['irq lock inversion', [...banner('WARNING: possible irq lock inversion dependency detected'), 'syz/1 just changed the state of lock:', lockAt('&forge->lock', 'forge_irq'),
    ...STACK_BT, ...x86Trace('lock_acquire', 'forge_irq')], 'possible deadlock in forge_irq', 'forge_irq', false],
  ['SOFTIRQ-safe -> SOFTIRQ-unsafe', [...banner('WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected'), 'syz/1 [HC0[0]:SC0[0]:HE0:SE1] is trying to acquire:',
    lockAt('&forge->lock', 'forge_bh'), '', '... which became SOFTIRQ-irq-safe at:', ...frames('lock_acquire', '_raw_spin_lock', 'forge_timer', 'call_timer_fn'), ...STACK_BT,
    ...x86Trace('lock_acquire', 'forge_bh')], 'possible deadlock in forge_timer', 'forge_timer', false],
  // The title's function is the stack's; the "takes" line only has to be there.
  ['inconsistent lock state', [...banner('WARNING: inconsistent lock state'), 'inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.',
    'swapper/0/0 [HC0[0]:SC1[1]:HE1:SE0] takes:', lockAt('&forge->lock', 'forge_rx'), '{SOFTIRQ-ON-W} state was registered at:', ...frames('lock_acquire', 'forge_open'),
    ...STACK_BT, ...x86Trace('dump_stack_lvl', 'print_usage_bug', 'mark_lock', '__lock_acquire', 'lock_acquire', '_raw_spin_lock', 'forge_rx', 'net_rx_action')],
  'inconsistent lock state in forge_rx', 'forge_rx', false],
  ['bad unlock balance', [...banner('WARNING: bad unlock balance detected!'), 'syz/1 is trying to release lock (&forge->lock) at:', '[<ffffffff81234567>] forge_release+0x1c/0x90',
    'but there are no more locks to release!', ...STACK_BT, ...x86Trace('print_unlock_imbalance_bug', 'lock_release', 'forge_release')], 'WARNING: bad unlock balance in forge_release', 'forge_release', false],
  ['held lock freed', [...banner('WARNING: held lock freed!'), 'syz/1 is freeing memory ffff88801d2a8000-ffff88801d2a8fff, with a lock still held there!',
    lockAt('&forge->lock', 'forge_destroy'), ...STACK_BT, ...x86Trace('debug_check_no_locks_freed', 'kfree', 'forge_destroy')], 'WARNING: held lock freed in forge_destroy', 'forge_destroy', false],
  ['lock held when returning to user space', [...banner('WARNING: lock held when returning to user space!'), 'syz/1 is leaving the kernel with locks still held!',
    '1 lock held by syz/1:', ` #0: ${lockAt('&forge->lock', 'forge_ioctl')}`], 'WARNING: lock held when returning to user space in forge_ioctl', 'forge_ioctl', false],
  ['still has locks held', [...banner('WARNING: syz-executor.3/4321 still has locks held!'), '1 lock held by syz/1:', ` #0: ffff88801d2a8000 (&forge->lock){+.+.}-{3:3}, at: forge_exit+0x1c/0x90`,
    ...STACK_BT, ...x86Trace('debug_check_no_locks_held', 'do_exit')], 'WARNING: still has locks held in forge_exit', 'forge_exit', false],
  // lockdep before 4.15: "[ INFO: ... ]" and "at: [<..>] func".
  ['old lockdep', ['=================================', '[ INFO: possible circular locking dependency detected ]', '4.9.0 #1 Not tainted',
    'syz/1 is trying to acquire lock:', ' (&forge->lock){+.+.}, at: [<ffffffff81234567>] forge_fault+0x1c/0x90', ...STACK_BT, ...x86Trace('lock_acquire', 'forge_fault')],
  'possible deadlock in forge_fault', 'forge_fault', false],
  ['non-static key', ['INFO: trying to register non-static key.', 'The code is fine but needs lockdep annotation, or maybe', ...STACK_BT,
    ...x86Trace('dump_stack_lvl', 'register_lock_class', '__lock_acquire', 'lock_acquire', '_raw_spin_lock_irqsave', 'forge_queue', ...SYSCALL)],
  'INFO: trying to register non-static key in forge_queue', 'forge_queue', false],
  ['suspicious RCU usage', ['=============================', 'WARNING: suspicious RCU usage', '6.8.0 #0 Not tainted', '-----------------------------',
    'drivers/forge/list.c:77 RCU-list traversed in non-reader section!!', '', 'other info that might help us debug this:', ...STACK_BT,
    ...x86Trace('dump_stack_lvl', 'lockdep_rcu_suspicious', 'forge_lookup', ...SYSCALL)], 'WARNING: suspicious RCU usage in forge_lookup', 'forge_lookup', false],
  // kernel/locking/spinlock_debug.c spin_dump: "BUG: spinlock %s on CPU#%d, %s/%d".
  ['spinlock bad magic', ['BUG: spinlock bad magic on CPU#0, syz/4321', ' lock: forge_lock+0x0/0x40, .magic: 00000000, .owner: <none>/-1, .owner_cpu: 0',
    ...x86Trace('dump_stack_lvl', 'do_raw_spin_lock', '_raw_spin_lock', 'forge_poke', ...SYSCALL)], 'BUG: spinlock bad magic in forge_poke', 'forge_poke', false],
];

const stalls: Case[] = [
  // kernel/rcu/tree_stall.h: pr_fmt "rcu: ", "INFO: %s self-detected stall on CPU"; the interrupted stack follows the timer interrupt.
  // ioctl/connect/socketpair syscalls are too generic: the frame above them names the stall.
  ['rcu self-detected stall', ['rcu: INFO: rcu_preempt self-detected stall on CPU', 'rcu: \t0-....: (10500 ticks this GP) idle=8dc/1/0x4000000000000000 softirq=1/1 fqs=5239',
    ...x86Regs('forge_spin').slice(0, 2), 'Call Trace:', ' <IRQ>', ...frames('rcu_sched_clock_irq', 'update_process_times', 'tick_sched_timer', '__sysvec_apic_timer_interrupt'),
    ' </IRQ>', ' <TASK>', ' asm_sysvec_apic_timer_interrupt+0x1a/0x20', 'RIP: 0010:forge_spin+0x1c/0x90', 'RSP: 0018:ffffc90003e8fb08 EFLAGS: 00000246',
    ...frames('forge_spin', 'forge_ioctl', '__x64_sys_ioctl', 'do_syscall_64'), ' </TASK>'], 'INFO: rcu detected stall in forge_ioctl', 'forge_ioctl', false],
  ['rcu stall in a workqueue item', ['rcu: INFO: rcu_sched detected stalls on CPUs/tasks:', 'Sending NMI from CPU 1 to CPUs 0:', 'NMI backtrace for cpu 0',
    'Call Trace:', ' <IRQ>', ...frames('nmi_cpu_backtrace'), ' </IRQ>', ' asm_sysvec_apic_timer_interrupt+0x1a/0x20', 'RIP: 0010:forge_poll+0x1c/0x90',
    ...frames('forge_poll', 'forge_work', 'process_one_work', 'worker_thread', 'kthread')], 'INFO: rcu detected stall in forge_work', 'forge_work', false],
  // kernel/watchdog.c: pr_emerg("BUG: soft lockup - CPU#%d stuck for %us! [%s:%d]"), pr_fmt "watchdog: ".
  ['soft lockup', ['watchdog: BUG: soft lockup - CPU#0 stuck for 143s! [syz-executor.3:4321]', 'Modules linked in:', ...x86Regs('forge_spin'),
    ...x86Trace('forge_spin', 'forge_write', 'vfs_write', 'ksys_write', 'do_syscall_64')], 'BUG: soft lockup in forge_write', 'forge_write', false],
  // kernel/hung_task.c check_hung_task: "INFO: task %s:%d blocked for more than %ld seconds."
  ['hung task', ['INFO: task syz-executor.3:4321 blocked for more than 143 seconds.', '      Not tainted 6.8.0 #0',
    '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.', 'task:syz-executor.3 state:D stack:26384 pid:4321  tgid:4321  ppid:1 flags:0x00004006',
    ...x86Trace('__schedule', 'schedule', 'schedule_preempt_disabled', '__mutex_lock', 'forge_flush', 'forge_release', '__fput', 'task_work_run')],
  'INFO: task hung in forge_flush', 'forge_flush', false],
  ['hung task on synchronize_rcu', ['INFO: task kworker/0:1:12 blocked for more than 143 seconds.',
    ...x86Trace('__schedule', 'schedule', 'schedule_timeout', 'wait_for_completion', '__wait_rcu_gp', 'synchronize_rcu', 'forge_teardown')],
  'INFO: task hung in synchronize_rcu', 'synchronize_rcu', false],
  ['task can\'t die', ['INFO: task syz-executor.3:4321 can\'t die for more than 143 seconds.', ...x86Trace('__schedule', 'schedule', 'forge_wait_done', 'do_exit')],
    'INFO: task can\'t die in forge_wait_done', 'forge_wait_done', false],
  ['workqueue lockup', ['BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 36s!', 'Showing busy workqueues and worker pools:'], 'BUG: workqueue lockup', undefined, false],
];

const checkers: Case[] = [
  // lib/refcount.c refcount_warn_saturate: REFCOUNT_WARN("addition on 0; use-after-free").
  ['refcount', ['refcount_t: addition on 0; use-after-free.', warnAt('lib/refcount.c', 'refcount_warn_saturate'), ...x86Regs('refcount_warn_saturate'),
    ...x86Trace('__refcount_add', 'kref_get', 'forge_get', 'forge_open')], 'WARNING: refcount bug in forge_get', 'forge_get', false],
  // lib/debugobjects.c debug_print_object: "ODEBUG: %s %s (active state %u) object: %p object type: %s hint: %pS".
  ['ODEBUG', ['ODEBUG: free active (active state 0) object: ffff88801d2a8000 object type: timer_list hint: forge_timer+0x0/0x90',
    warnAt('lib/debugobjects.c', 'debug_print_object'), ...x86Regs('debug_print_object'), ...x86Trace('debug_check_no_obj_freed', 'slab_free_freelist_hook', 'kfree', 'forge_destroy')],
  'WARNING: ODEBUG bug in forge_destroy', 'forge_destroy', false],
  ['kmalloc', [warnAt('mm/slab_common.c', 'kmalloc_slab'), ...x86Regs('kmalloc_slab'), ...x86Trace('__kmalloc', 'forge_resize', ...SYSCALL)], 'WARNING: kmalloc bug in forge_resize', 'forge_resize', false],
  ['WARNING', [warnAt('drivers/forge/q.c', 'forge_check'), 'Modules linked in:', ...x86Regs('forge_check'), ...x86Trace('forge_submit', ...SYSCALL)],
    'WARNING in forge_check', 'forge_check', false],
  // 6.19 __warn: "WARNING: %s:%d at %pS, CPU#%d: %s/%d".
  ['WARNING, 6.19 form', ['WARNING: drivers/forge/q.c:21 at forge_check+0x1d/0x30, CPU#0: syz.3.4/4321', ...x86Regs('forge_check'), ...x86Trace('forge_submit')],
    'WARNING in forge_check', 'forge_check', false],
  ['WARNING from usb_submit_urb', [warnAt('drivers/usb/core/urb.c', 'usb_submit_urb'), ...x86Regs('usb_submit_urb'), ...x86Trace('usb_start_wait_urb', 'usb_control_msg', 'forge_usb_probe')],
    'WARNING in forge_usb_probe/usb_submit_urb', 'forge_usb_probe', false],
  // No RIP line and no trace: the header's function is not the guilty frame (syzkaller's warningStackFmt).
  ['WARNING with no trace after it', [warnAt('drivers/forge/q.c', 'forge_check')], 'WARNING in corrupted', undefined, true],
  // kernel/sched/core.c __might_resched: "BUG: sleeping function called from invalid context at %s:%d".
  ['sleeping in atomic context', ['BUG: sleeping function called from invalid context at kernel/locking/mutex.c:585', 'in_atomic(): 1, irqs_disabled(): 0',
    ...x86Trace('dump_stack_lvl', '__might_resched', '__mutex_lock', 'mutex_lock_nested', 'forge_irq_work')], 'BUG: sleeping function called from invalid context in forge_irq_work', 'forge_irq_work', false],
  // lib/smp_processor_id.c check_preemption_disabled: "BUG: using %s%s() in preemptible [%08x] code: %s/%d".
  ['this_cpu in preemptible code', ['BUG: using __this_cpu_read() in preemptible [00000000] code: syz/4321', 'caller is forge_stat+0x1c/0x90',
    ...x86Trace('dump_stack_lvl', 'check_preemption_disabled', 'forge_stat', ...SYSCALL)], 'BUG: using __this_cpu_read() in preemptible code in forge_stat', 'forge_stat', false],
  ['bad page state', ['BUG: Bad page state in process syz  pfn:7071f', 'page_owner tracks the page as allocated',
    'page last allocated via order 0, migratetype Unmovable, gfp_mask 0x102820(GFP_ATOMIC|__GFP_NOWARN), pid 1, tgid 1 (swapper/0), ts 1, free_ts 0',
    ...frames('post_alloc_hook', 'get_page_from_freelist', '__alloc_pages', 'forge_fill_ring'), 'page last free pid 1 tgid 1 stack trace:', ...frames('free_unref_page'),
    ...x86Trace('bad_page', 'free_unref_page', 'forge_drain')], 'BUG: Bad page state in forge_fill_ring', 'forge_fill_ring', false],
  ['bad page state without page_owner', ['BUG: Bad page state in process syz  pfn:7071f', ...x86Trace('bad_page', 'free_unref_page', 'forge_drain')],
    'BUG: Bad page state in corrupted', undefined, true],
];

const oneLiners: Case[] = [
  // net/core/dev.c netdev_wait_allrefs_any: "unregister_netdevice: waiting for %s to become free. Usage count = %d".
  ['netdev refcount leak', ['unregister_netdevice: waiting for vcan0 to become free. Usage count = 2'], 'unregister_netdevice: waiting for DEV to become free', undefined, false],
  // arch/x86/boot/compressed/misc.c: "Booting the kernel (entry_offset: 0x...)".
  ['unexpected reboot', ['Booting the kernel (entry_offset: 0x0000000000000000).'], 'unexpected kernel reboot', undefined, false],
  ['VFS busy inodes', ['VFS: Busy inodes after unmount of loop0 (ext4). Self-destruct in 5 seconds.  Have a nice day...'], 'VFS: Busy inodes after unmount (use-after-free)', undefined, false],
  ['Bad rss-counter', ['BUG: Bad rss-counter state mm:ffff88801d2a8000 type:MM_ANONPAGES val:1'], 'BUG: Bad rss-counter state', undefined, false],
  ['unknown BUG: the line, normalised', ['BUG: forge pool 3 leaked 4096 bytes at ffff88801d2a8000'], 'BUG: forge pool NUM leaked NUM bytes at ADDR', undefined, false],
  // kernel/panic.c panic: "Kernel panic - not syncing: %s".
  ['panic', ['Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)', ...x86Trace('panic', 'mount_root', 'prepare_namespace')],
    'kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)', undefined, false],
  // A long decimal in a panic message: syzkaller's address rule takes 6+ hex-looking digits first.
  ['panic with a long number', ['Kernel panic - not syncing: forge: bad cookie 12345678 in slot 7', ...x86Trace('panic', 'forge_check_cookie')], 'kernel panic: forge: bad cookie ADDR in slot NUM', undefined, false],
  ['panic with a number glued to a name', ['Kernel panic - not syncing: corrupted object obj1234567', ...x86Trace('panic', 'forge_check_cookie')], 'kernel panic: corrupted object objNUM', undefined, false],
  ['stack-protector', ['Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: forge_parse+0x1c/0x90'], 'kernel panic: stack is corrupted in forge_parse', 'forge_parse', false],
  // A panic row expects a stack (syzkaller's isCorrupted) like any other.
  ['panic without its stack', ['Kernel panic - not syncing: forge gave up'], 'kernel panic: forge gave up', undefined, true],
  ['lost report: "Fatal exception" alone', ['Kernel panic - not syncing: Fatal exception'], 'kernel panic: Fatal exception', undefined, true],
  ['timestamp merged into a title', ['BUG: forge state [   12.345678] went bad'], 'BUG: forge state [ NUM.ADDR] went bad', undefined, true],
];

describe('reports built from printk formats: locking, stalls, checkers, one-liners', () => {
  for (const [name, lines, title, fn, corrupted] of [...locking, ...stalls, ...checkers, ...oneLiners]) {
    it(name, () => {
      const ev = detectText(log(...lines))[0];
      expect(ev?.title).toBe(title);
      expect(ev?.function).toBe(fn);
      expect(ev?.corrupted).toBe(corrupted);
    });
  }
});
