// Frames that are never the guilty one, as data (after syzkaller pkg/report/linux.go,
// linuxStackParams.skipPatterns): each entry is matched as a SUBSTRING of the function name
// unless it carries its own ^/$ anchors, as syzbot does ("down" also skips "inet_shutdown";
// syzbot's titles depend on that).

/** Generic kernel machinery: sanitizers, traps, panic/warn, dump_stack, printk, locking,
 * string and user-copy helpers, lists, refcounts, device-model and USB plumbing. */
export const GENERIC_SKIP: readonly string[] = [
  '__sanitizer', '__asan', 'kasan', '__msan', 'kmsan', 'kcsan', 'kfence', 'check_memory_region', 'read_word_at_a_time',
  'print_address_description', 'panic', 'print_tainted', 'invalid_op', 'report_bug', 'fixup_bug', 'do_error', '_trap',
  'handle_bug', 'dump_stack', 'show_stack', 'dump_backtrace', 'warn_slowpath', 'warn_alloc', '__warn', 'fortify',
  'debug_object', 'timer_is_static_object', 'work_is_static_object', 'lockdep', 'perf_trace', 'lock_acquire',
  'lock_release', 'lock_class', 'reacquire_held_locks', 'spin_lock', 'spin_trylock', 'spin_unlock', 'raw_read_lock',
  'raw_read_trylock', 'raw_write_lock', 'raw_write_trylock', 'down', 'up_read', 'up_write', 'mutex_lock',
  'mutex_trylock', 'mutex_unlock', 'mutex_remove_waiter', 'osq_lock', 'osq_unlock', '__wake_up', 'refcount_add',
  'refcount_sub', 'refcount_inc', 'refcount_dec', 'refcount_set', 'refcount_read', 'memcpy', 'memcmp', 'memset',
  'memchr', 'memmove', 'strcmp', 'strncmp', 'strcpy', 'strlcpy', 'strncpy', 'strscpy', 'strlen', 'strnstr', 'strnlen',
  'strchr', 'copy_to_user', 'copy_from_user', 'put_user', 'get_user', 'might_fault', 'might_sleep', 'list_add',
  'list_del', 'list_replace', 'list_move', 'list_splice', '_indirect_thunk_', 'string', 'pointer', 'snprintf',
  'scnprintf', 'kasprintf', 'kvasprintf', 'printk', 'va_format', 'dev_info', 'dev_notice', 'dev_warn', 'dev_err',
  'dev_alert', 'dev_crit', 'dev_emerg', 'program_check_exception', 'program_check_common', 'del_timer', 'flush_work',
  '__cancel_work_timer', 'cancel_work_sync', 'try_to_grab_pending', 'flush_workqueue', 'drain_workqueue',
  'destroy_workqueue', 'finish_wait', 'kthread_stop', 'kobject_del', 'kobject_put', 'kobject_uevent_env',
  'add_uevent_var', 'get_device_parent', 'device_add', 'device_del', 'device_unregister', 'device_destroy',
  'device_release', 'devres_release_all', 'hwrng_unregister', 'i2c_del_adapter', '__unregister_client',
  'device_for_each_child', 'rollback_registered', 'unregister_netdev', 'sysfs_remove', 'device_remove_file',
  'tty_unregister_device', 'dummy_urb_enqueue', 'usb_kill_urb', 'usb_kill_anchored_urbs', 'usb_control_msg',
  'usb_hcd_submit_urb', 'usb_submit_urb', '^complete$', 'wait_for_completion', '^kfree$', 'kfree_skb',
  // kcov's helpers, rbtree and skb helpers that BUG on their callers' behalf, irqflags debugging.
  '^write_comp_data$', 'rb_erase', 'skb_push', 'skb_put', 'warn_bogus_irq_restore',
  // Freeing and dentry-release helpers that warn about their caller's object.
  '^kvfree$', 'free_large_kmalloc', '^dput$', 'fast_dput',
  // include/linux/atomic/atomic-instrumented.h wrappers: the access is their caller's.
  '^atomic_', '^atomic64_', '^arch_atomic',
];

/** Frame lines of fault-injection stacks: a report holding one is interleaved (corrupted). */
export const CORRUPTED_LINE = /^(?: \[<?(?:0x)?[0-9a-f]{1,16}>?\])? should_fail(?:slab)?(?:\.[a-z0-9.]{1,40})?\+0x/;

/** Where a stack trace starts; a trace being read ends at the next one. */
export const STACK_START = /Call [Tt]race|Allocated:|Allocated by task \d{1,10}:|Freed:|Freed by task \d{1,10}:|[^k] backtrace:/;

/** Stalls and lockups: dispatch points (syscall entry, workqueue, softirq, file and socket
 * operations). The guilty frame is the one just above the first of these. */
export const STALL_ANCHORS = new RegExp([
  'process_one_work', 'do_syscall_', 'do_fast_syscall_', 'sysenter_dispatch', 'tracesys_phase2', 'netif_receive_skb',
  'do_softirq', 'call_timer_fn', '_run_timers', 'run_timer_softirq', 'run_ksoftirqd', 'smpboot_thread_fn', '^kthread$',
  'start_secondary', 'cpu_startup_entry', 'ret_from_fork', 'vfs_write', 'vfs_read', 'vfs_iter_read', 'vfs_iter_write',
  'do_iter_read', 'do_iter_write', 'vfs_ioctl', 'ksys_ioctl', 'compat_ioctl', 'compat_sys_ioctl', 'blkdev_driver_ioctl',
  'blkdev_ioctl', '^call_read_iter', '^call_write_iter', 'do_iter_readv_writev', '^call_mmap', 'mmap_region', 'do_mmap',
  'do_dentry_open', 'vfs_open', '^new_sync_read', '^new_sync_write', '^sock_sendmsg', '^sock_recvmsg', '^sock_release', '^__sock_release', '__sys_setsockopt',
  'kernel_setsockopt', 'sock_common_setsockopt', '__sys_listen', 'kernel_listen', 'sk_common_release', '^sock_mmap',
  '__sys_accept', 'kernel_accept', '^sock_do_ioctl', '^sock_ioctl', '^compat_sock_ioctl', '^nfnetlink_rcv_msg', '^netlink_dump$', '^genl_family_rcv_msg_doit',
  '^rtnetlink_rcv_msg', '^(?:compat_)?(?:SYSC|SyS|__sys|___sys|__do_sys|__se_sys|__x64_sys)_(?:socketpair|connect|ioctl)',
  '__fput', 'task_work_run', 'exit_to_usermode',
  'smp_call_function',
].join('|'));

/** Syscall-entry prefixes dropped from a stall's guilty frame ("__x64_sys_rmdir" -> "sys_rmdir"). */
export const STALL_STRIP = /^(?:__x64_|SYSC_|SyS_|compat_SYSC_|compat_SyS_|__ia32_)/;

/** Hung tasks: the waits everyone shares are bucketed by what they wait for. */
export const HANG_ANCHORS: readonly [RegExp, string | undefined][] = [
  [/rtnl_lock/, undefined], [/synchronize_rcu/, 'synchronize_rcu'], [/synchronize_srcu/, 'synchronize_rcu'],
  [/synchronize_net/, 'synchronize_rcu'], [/synchronize_sched/, 'synchronize_rcu'],
];
export const HANG_SKIP = /sched|_lock|_slowlock|down|rwsem|completion|kthread|wait|synchronize|context_switch|__switch_to|cancel_delayed_work/;

const cache = new Map<string, RegExp>();
/** One regex for the generic list plus a rule's own entries (compiled once per list). */
export function skipRegex(extra: readonly string[] = []): RegExp {
  const key = extra.join('|');
  let re = cache.get(key);
  if (!re) {
    const esc = (s: string) => s.replace(/[.*+?()[\]{}|\\]/g, '\\$&');
    re = new RegExp([...GENERIC_SKIP, ...extra].map(esc).join('|'));
    cache.set(key, re);
  }
  return re;
}
