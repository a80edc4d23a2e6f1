// Call-trace frames and the guilty-frame rule (after syzkaller pkg/report/linux.go,
// linuxStackParams: frames of generic kernel machinery are skipped).
import type { Frame } from './types.js';

// "func+0x1c/0x30 [mod]", "? func+0x..", "[<ffffffff8123>] func+0x../0x..", "pc : func+0x..".
// One optional group and bounded character classes: linear.
const FRAME = /(\? )?([A-Za-z_][\w.$]{0,200})\+0x[0-9a-f]{1,16}\/0x[0-9a-f]{1,16}(?: \[([\w-]{1,64})\])?/;

export function parseFrame(text: string): Frame | undefined {
  const m = FRAME.exec(text);
  if (!m) return undefined;
  const f: Frame = { function: m[2]!, offset: m[0].slice(m[0].indexOf('+'), m[0].search(/ \[|$/)).trim() };
  if (m[3]) f.module = m[3];
  if (m[1]) f.unreliable = true;
  return f;
}

/** Drop compiler clone suffixes: ".constprop.0", ".isra.0", ".cold", ".part.1". */
export function cleanFunction(name: string): string {
  const dot = name.indexOf('.');
  const base = dot > 0 ? name.slice(0, dot) : name;
  // SYSCALL_DEFINE wrappers (include/linux/syscalls.h): syzbot names the syscall.
  return base.replace(/^__(?:se|do|x64|ia32|arm64)_sys_/, '');
}

// Generic machinery: never the guilty function (syzkaller's skip list, compacted).
const SKIP = new RegExp('^(?:' + [
  'panic', 'nmi_panic', 'warn_slowpath.*', '__warn.*', 'warn_alloc', 'report_bug', 'fixup_bug', 'do_error_trap',
  'do_trap', 'do_invalid_op', 'invalid_op', 'exc_invalid_op', 'handle_bug', 'asm_exc_.*', 'bug_handler', 'die', 'oops_.*',
  '__die', 'do_.*_trap', 'page_fault', 'exc_page_fault', 'do_page_fault', '__do_page_fault', 'handle_page_fault',
  'do_user_addr_fault', 'do_kern_addr_fault', 'kernelmode_fixup_or_oops', 'no_context', '__bad_area.*', 'bad_area.*',
  'page_fault_oops', 'spurious_kernel_fault', 'el1_.*', 'el0_.*', 'do_mem_abort', '__do_kernel_fault', 'do_translation_fault',
  'dump_stack.*', 'show_stack', 'show_regs', 'show_trace.*', 'printk.*', 'vprintk.*', '_printk', 'print_.*report', 'print_address_description.*',
  'kasan.*', '__kasan.*', 'check_memory_region.*', '__asan.*', 'asan_.*', 'kmsan.*', '__msan.*', 'kcsan.*', '__tsan.*', 'ubsan.*', '__ubsan.*',
  'kfence.*', '__kfence.*', 'report_.*', 'end_report', 'start_report', 'kmemleak.*', 'debug_object.*', 'debug_print_object', 'lockdep.*',
  '__lock_acquire', 'lock_acquire.*', 'lock_release', 'lock_acquired', 'lock_contended', '__lock_.*', 'mark_lock.*', 'check_.*lock.*',
  'validate_chain', 'register_lock_class', 'reacquire_held_locks', 'look_up_lock_class', 'print_usage_bug', 'print_.*bug', 'valid_state',
  '.*spin_lock.*', '.*spin_unlock.*', '.*spin_trylock.*', '_raw_.*', 'queued_.*lock.*', 'native_queued.*', 'do_raw_.*', '__pv_queued.*',
  'down', 'down_.*', '__down.*', 'up', 'up_.*', '__up.*', 'mutex_.*', '__mutex_.*', 'rwsem_.*', '__rwsem.*', 'rt_mutex.*',
  'rcu_read_lock.*', 'rcu_read_unlock.*', '__rcu_read_.*', 'rcu_lock_.*',
  'mem(?:cpy|move|set|cmp|chr|dup)(?:_.*)?', '__mem(?:cpy|move|set)(?:_.*)?', 'str(?:n?cmp|n?cpy|l?cpy|scpy|n?len|chr|rchr|cat|dup)',
  'kstrdup', 'kmemdup', 'copy_(?:from|to)_user.*', '_copy_(?:from|to)_user.*', '__copy_.*user.*', 'copyin', 'copyout', 'check_object_size',
  '__check_object_size', 'usercopy_abort', '__might_.*', 'might_.*', '___might_sleep', '__schedule', 'schedule', 'schedule_.*', 'io_schedule.*',
  '__wait_.*', 'wait_for_completion.*', 'do_wait_for_common', 'refcount_.*', 'kref_.*', 'should_fail.*', 'fail_dump', 'warn_bogus.*',
  'sysrq_handle_crash', '__handle_sysrq', 'list_.*_valid.*', '__list_.*', 'list_del.*', 'list_add.*', 'fortify_panic', '__stack_chk_fail',
  'bug', '__bug', 'bug_.*', 'stack_trace_.*', 'arch_stack_walk', 'save_stack.*', 'dump_backtrace', 'watchdog_timer_fn', '__hrtimer_run_queues',
  'hrtimer_interrupt', 'smp_apic_timer_interrupt', 'apic_timer_interrupt', 'sysvec_apic_timer_interrupt', 'asm_sysvec_.*', '__sysvec_.*',
  'trace_.*', 'dput', 'fast_dput', 'skb_push', 'skb_over_panic', 'skb_under_panic', 'rb_erase', 'get_page_from_freelist', 'simple_copy_to_iter', 'kthread_should_park', 'irqentry_exit.*', 'dev_vprintk_emit', 'dev_printk.*', '_dev_(?:warn|err|info|notice|printk)', 'vprintk_emit', 'context_switch', '__switch_to.*', 'preempt_schedule.*', 'common_interrupt.*', 'local_apic_timer_interrupt', '__do_softirq', 'irq_exit.*', 'rcu_is_watching', 'vsnprintf', 'write_comp_data', 'skb_panic', 'spin_dump', '_?copy_.*_iter', 'free_large_kmalloc', '__?fortify_.*', 'post_alloc_hook', 'kernel_fpu_begin.*', 'del_timer.*', 'timer_delete.*', '__sanitizer.*', '__x86_indirect_thunk.*', 'osq_lock', 'rcu_check_callbacks', '_?sched_show_task', 'debug_lockdep.*', 'strn?str', 'pcpu_.*alloc.*', 'rcu_dynticks.*', 'smp_call_function_many', 'csd_lock_wait', 'native_safe_halt', 'rcu_.*stall.*', 'print_cpu_stall.*', 'print_other_cpu_stall', 'check_cpu_stall', 'rcu_sched_clock_irq',
  'rcu_pending', 'update_process_times', 'tick_sched.*', 'nmi_cpu_backtrace.*', 'nmi_trigger_cpumask_backtrace', 'arch_trigger_cpumask_backtrace',
  'trigger_.*_backtrace', 'rcu_dump_cpu_stacks', 'dump_cpu_task', 'sched_show_task', 'show_state_filter', 'kmalloc.*', '__kmalloc.*',
  'kmem_cache_.*', 'slab_.*', '__slab_.*', 'kfree', 'kvfree', 'kzalloc', 'kvmalloc.*', 'kcalloc', '__kfree.*', 'free_.*pages.*', '__alloc_pages.*', 'alloc_pages.*',
].join('|') + ')$');

export function isGeneric(fn: string): boolean {
  return SKIP.test(fn);
}

/** The first reliable frame that is not generic machinery, cleaned. */
export function guiltyFrame(frames: readonly Frame[]): Frame | undefined {
  for (const f of frames) {
    if (f.unreliable) continue;
    const fn = cleanFunction(f.function);
    if (!isGeneric(fn)) return { ...f, function: fn };
  }
  return undefined;
}
