// One report per crash kind, each built from the kernel's printk format strings (file named
// per case), checking syzkaller's method: title, guilty frame and corrupted flag.
import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { consoleLog as log } from '../builders/console-log.js';
import { SYSCALL, arm32Regs, arm64Regs, frames, x86Regs, x86Trace } from './printk-forms.js';

type Case = [name: string, lines: string[], title: string, fn: string | undefined, corrupted: boolean];

const KASAN_ALLOC = ['', 'Allocated by task 4321:', ...frames('kasan_save_stack', 'kmalloc_trace', 'forge_alloc'), '',
  'Freed by task 4321:', ...frames('kasan_save_stack', 'kfree', 'forge_release'), ''];

const x86: Case[] = [
  // arch/x86/mm/fault.c show_fault_oops: "BUG: kernel NULL pointer dereference, address: %px", "#PF: ...".
  ['x86 NULL dereference', ['BUG: kernel NULL pointer dereference, address: 0000000000000008', '#PF: supervisor read access in kernel mode',
    '#PF: error_code(0x0000) - not-present page', 'Oops: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('forge_parse'), ...x86Trace('forge_ioctl', ...SYSCALL)],
  'BUG: unable to handle kernel NULL pointer dereference in forge_parse', 'forge_parse', false],
  ['x86 paging request', ['BUG: unable to handle page fault for address: ffffc90003e90000', '#PF: supervisor write access in kernel mode',
    'Oops: 0002 [#1] PREEMPT SMP KASAN', ...x86Regs('memset'), ...x86Trace('memset', 'forge_clear', ...SYSCALL)],
  'BUG: unable to handle kernel paging request in forge_clear', 'forge_clear', false],
  // The header's second printk was lost.
  ['x86 fault header cut', ['BUG: unable to handle kernel', ...x86Regs('forge_parse'), ...x86Trace('forge_ioctl')], 'BUG: unable to handle kernel', undefined, true],
  // arch/x86/kernel/traps.c exc_general_protection -> die_addr("general protection fault, probably for non-canonical address 0x%lx").
  ['general protection fault (6.x "Oops: " prefix)', ['Oops: general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN NOPTI',
    'KASAN: null-ptr-deref in range [0x0000000000000008-0x000000000000000f]', ...x86Regs('forge_walk'), ...x86Trace('forge_walk', 'forge_ioctl', ...SYSCALL)],
  'general protection fault in forge_walk', 'forge_walk', false],
  ['GPF in a skipped helper is still the RIP frame', ['general protection fault: 0000 [#1] SMP', ...x86Regs('strlen'), ...x86Trace('strlen', 'forge_name', ...SYSCALL)],
  'general protection fault in forge_name', 'forge_name', false],
  ['stack segment', ['stack segment: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('forge_pop'), ...x86Trace('forge_pop', ...SYSCALL)], 'stack segment fault in forge_pop', 'forge_pop', false],
  ['divide error', ['divide error: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('forge_rate'), ...x86Trace('forge_ioctl', ...SYSCALL)], 'divide error in forge_rate', 'forge_rate', false],
  // lib/bug.c report_bug: "kernel BUG at %s:%u!", then do_trap's "invalid opcode: 0000".
  ['kernel BUG', ['kernel BUG at fs/forge/inode.c:52!', 'invalid opcode: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('forge_evict'), ...x86Trace('forge_evict', 'evict', 'iput')],
  'kernel BUG in forge_evict', 'forge_evict', false],
  ['kernel BUG in an skb helper blames its caller', ['kernel BUG at net/core/skbuff.c:120!', 'invalid opcode: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('skb_panic'),
    ...x86Trace('skb_panic', 'skb_put', 'forge_xmit', 'dev_hard_start_xmit')], 'kernel BUG in forge_xmit', 'forge_xmit', false],
  ['list corruption', ['list_del corruption, ffff88801d2a8000->next is LIST_POISON1 (dead000000000100)', 'kernel BUG at lib/list_debug.c:56!',
    'invalid opcode: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('__list_del_entry_valid'), ...x86Trace('__list_del_entry_valid', 'forge_unlink', ...SYSCALL)],
  'BUG: corrupted list in forge_unlink', 'forge_unlink', false],
  // arch/x86/kernel/traps.c exc_double_fault: "PANIC: double fault, error_code: 0x%lx".
  ['double fault', ['PANIC: double fault, error_code: 0x0', 'double fault: 0000 [#1] PREEMPT SMP KASAN', ...x86Regs('forge_recurse'), ...x86Trace('forge_recurse', 'forge_recurse')], 'PANIC: double fault in forge_recurse', 'forge_recurse', false],
  // arch/x86/kernel/traps.c handle_stack_overflow: "BUG: %s stack guard page was hit at %p (stack is %p..%p)"; stall extractor.
  ['stack guard page', ['BUG: TASK stack guard page was hit at ffffc90003e8ff78 (stack is ffffc90003e90000..ffffc90003e98000)', 'stack guard page: 0000 [#1] PREEMPT SMP KASAN',
    ...x86Regs('mark_lock'), ...x86Trace('forge_recurse', 'forge_recurse', 'forge_ioctl', ...SYSCALL)], 'BUG: stack guard page was hit in forge_ioctl', 'forge_ioctl', false],
];

const arm: Case[] = [
  // arch/arm64/mm/fault.c die_kernel_fault: "Unable to handle kernel %s at virtual address %016lx"; traps.c die "Internal error: %s: %016lx [#%d]".
  ['arm64 NULL dereference', ['Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000', 'Mem abort info:', '  ESR = 0x0000000096000005',
    'Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP', ...arm64Regs('forge_parse', 'forge_ioctl', '__arm64_sys_ioctl', 'invoke_syscall')],
  'BUG: unable to handle kernel NULL pointer dereference in forge_parse', 'forge_parse', false],
  ['arm64 user memory access', ['Unable to handle kernel access to user memory outside uaccess routines at virtual address 0000000020000000',
    'Internal error: Oops: 000000009600004f [#1] PREEMPT SMP', ...arm64Regs('forge_copy', 'forge_ioctl')], 'BUG: unable to handle kernel access to user memory in forge_copy', 'forge_copy', false],
  ['arm64 other fault: the line is the title', ['Unable to handle kernel execute from non-executable memory at virtual address ffff000012345678',
    'Internal error: Oops: 000000008600000f [#1] PREEMPT SMP', ...arm64Regs('forge_jump', 'forge_ioctl')],
  'Unable to handle kernel execute from non-executable memory at virtual address ADDR', undefined, false],
  ['arm64 synchronous external abort', ['Internal error: synchronous external abort: 0000000096000010 [#1] PREEMPT SMP', ...arm64Regs('forge_mmio_get', 'forge_probe')],
    'Internal error in forge_mmio_get', 'forge_mmio_get', false],
  // MMIO accessors are skipped ("readl$"): the driver that called one is blamed.
  ['arm64 abort in an MMIO accessor', ['Internal error: synchronous external abort: 0000000096000010 [#1] PREEMPT SMP', ...arm64Regs('forge_readl', 'forge_probe')],
    'Internal error in forge_probe', 'forge_probe', false],
  // arch/arm64: BUG() prints "kernel BUG at" then die("Oops - BUG").
  ['arm64 BUG', ['kernel BUG at fs/forge/inode.c:52!', 'Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP', ...arm64Regs('forge_evict', 'evict')],
    'kernel BUG in forge_evict', 'forge_evict', false],
  // arch/arm/mm/fault.c do_DataAbort: "Unhandled fault: %s (0x%03x) at 0x%08lx".
  ['arm32 Unhandled fault', ['8<--- cut here ---', 'Unhandled fault: page domain fault (0x01b) at 0x00000000', 'pgd = (ptrval)', '[00000000] *pgd=00000000',
    'Internal error: : 1b [#1] PREEMPT SMP ARM', ...arm32Regs('forge_poll', 'do_select', 'core_sys_select')], 'Unhandled fault in forge_poll', 'forge_poll', false],
  // arch/arm/mm/alignment.c do_alignment: "Alignment trap: not handling instruction %0*lx at [<%08lx>]".
  ['arm32 Alignment trap', ['Alignment trap: not handling instruction e1b42f9f at [<80123456>]', 'Internal error: : 1 [#1] SMP ARM', ...arm32Regs('forge_unaligned', 'forge_ioctl', 'sys_ioctl')],
    'Alignment trap in forge_unaligned', 'forge_unaligned', false],
  ['arm32 NULL dereference', ['8<--- cut here ---', 'Unable to handle kernel NULL pointer dereference at virtual address 00000000 when read',
    'Internal error: Oops: 17 [#1] SMP ARM', ...arm32Regs('forge_parse', 'forge_ioctl', 'sys_ioctl')], 'BUG: unable to handle kernel NULL pointer dereference in forge_parse', 'forge_parse', false],
  // arch/powerpc/mm/fault.c bad_kernel_fault: "BUG: Kernel NULL pointer dereference on read at 0x%08lx", show_regs "NIP [%016lx] %pS".
  ['powerpc NULL dereference', ['BUG: Kernel NULL pointer dereference on read at 0x00000000', 'Faulting instruction address: 0xc000000000123456',
    'Oops: Kernel access of bad area, sig: 11 [#1]', 'NIP:  c000000000123456 LR: c000000000654321 CTR: 0000000000000000', 'NIP [c000000000123456] forge_parse+0x1c/0x90',
    'LR [c000000000654321] forge_ioctl+0x30/0x40', 'Call Trace:', '[c00000000a1e3b70] [c000000000654321] forge_ioctl+0x30/0x40', '[c00000000a1e3c00] [c000000000700000] sys_ioctl+0x30/0x40'],
  'BUG: unable to handle kernel NULL pointer dereference in forge_parse', 'forge_parse', false],
  ['powerpc data access', ['BUG: Unable to handle kernel data access on write at 0xc00800000badf00d', 'Oops: Kernel access of bad area, sig: 11 [#1]',
    'NIP [c000000000123456] forge_store+0x1c/0x90', 'Call Trace:', '[c00000000a1e3b70] [c000000000654321] forge_ioctl+0x30/0x40',
    '[c00000000a1e3c00] [c000000000700000] sys_ioctl+0x30/0x40', '[c00000000a1e3e10] [c00000000002b0a4] system_call_exception+0x30/0x40'],
  'BUG: unable to handle kernel paging request in forge_store', 'forge_store', false],
  // arch/riscv/mm/fault.c die_kernel_fault, arch/riscv/kernel/process.c __show_regs ("epc : %pS"); no "Call Trace:" line.
  ['riscv NULL dereference', ['Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000', 'Oops [#1]',
    'epc : forge_parse+0x1c/0x90', ' ra : forge_ioctl+0x30/0x40', 'status: 0000000200000120 badaddr: 0000000000000000 cause: 000000000000000d',
    '[<ffffffff80012345>] forge_parse+0x1c/0x90', '[<ffffffff80012399>] forge_ioctl+0x30/0x40'],
  'BUG: unable to handle kernel NULL pointer dereference in forge_parse', 'forge_parse', false],
  // arch/s390/mm/fault.c: no row knows it; the line is the title.
  ['s390 kernel pointer dereference', ['Unable to handle kernel pointer dereference in virtual kernel address space', 'Oops: 0004 ilc:3 [#1] SMP',
    'Krnl PSW : 0704c00180000000 0000000000123456 (forge_parse+0x1c/0x90)', 'Call Trace:', ' [<0000000000123456>] forge_parse+0x1c/0x90'],
  'Unable to handle kernel pointer dereference in virtual kernel address space', undefined, false],
];

const sanitizers: Case[] = [
  // mm/kasan/report.c: "BUG: KASAN: %s in %pS", "%s of size %zu at addr %px by task %s/%d".
  ['KASAN', ['BUG: KASAN: slab-use-after-free in forge_read+0x1c/0x90', 'Read of size 8 at addr ffff88801d2a8010 by task syz-executor.3/4321', '', ...x86Regs('forge_read').slice(0, 2),
    ...x86Trace('dump_stack_lvl', 'print_report', 'kasan_report', 'forge_read', ...SYSCALL), ...KASAN_ALLOC], 'KASAN: slab-use-after-free Read in forge_read', 'forge_read', false],
  ['KASAN in a skipped helper', ['BUG: KASAN: slab-out-of-bounds in memcpy+0x1c/0x90', 'Write of size 64 at addr ffff88801d2a8010 by task syz-executor.3/4321',
    ...x86Trace('kasan_report', '__asan_memcpy', 'forge_copy', ...SYSCALL), ...KASAN_ALLOC], 'KASAN: slab-out-of-bounds Write in forge_copy', 'forge_copy', false],
  // HW tags (arm64 MTE): "%s at addr %px by task %s/%d", reached through the fault path.
  ['KASAN HW tags', ['BUG: KASAN: invalid-access in forge_read+0x1c/0x90', 'Read at addr f2ff000012345678 by task sh/97', 'Pointer tag: [f2], memory tag: [fe]',
    'Call trace:', ...frames('dump_backtrace', 'kasan_report', 'do_tag_check_fault', 'do_mem_abort', 'el1_abort', 'el1h_64_sync_handler', 'el1h_64_sync', 'forge_read', 'forge_ioctl'), ...KASAN_ALLOC],
  'KASAN: invalid-access Read in forge_read', 'forge_read', false],
  ['KASAN double-free', ['BUG: KASAN: double-free in forge_release+0x1c/0x90', 'Free of addr ffff88801d2a8000 by task syz-executor.3/4321',
    ...x86Trace('kasan_report_invalid_free', 'kfree', 'forge_release', ...SYSCALL), ...KASAN_ALLOC], 'KASAN: invalid-free in forge_release', 'forge_release', false],
  ['KASAN without its access line', ['BUG: KASAN: slab-use-after-free in forge_read+0x1c/0x90'], 'KASAN: slab-use-after-free in forge_read', undefined, true],
  // mm/kmsan/report.c: "BUG: KMSAN: %s in %pSr", the stack right under it, then the origin.
  ['KMSAN', ['BUG: KMSAN: uninit-value in forge_hash+0x1c/0x90', ...frames('forge_hash', 'forge_lookup', 'forge_ioctl', ...SYSCALL), '',
    'Uninit was created at:', ...frames('slab_post_alloc_hook', 'kmem_cache_alloc', 'forge_alloc'), '', 'CPU: 0 PID: 4321 Comm: syz-executor Not tainted 6.8.0 #0'],
  'KMSAN: uninit-value in forge_hash', 'forge_hash', false],
  ['KMSAN infoleak', ['BUG: KMSAN: kernel-infoleak in instrument_copy_to_user+0x1c/0x90', ...frames('instrument_copy_to_user', '_copy_to_user', 'forge_read', 'vfs_read'), '',
    'Uninit was created at:', ...frames('kmalloc_trace', 'forge_alloc')], 'KMSAN: kernel-infoleak in forge_read', 'forge_read', false],
  // kernel/kcsan/report.c: "BUG: KCSAN: %s in %ps / %ps".
  ['KCSAN', ['BUG: KCSAN: data-race in forge_get / forge_set', '', 'write to 0xffff88801d2a8000 of 4 bytes by task 4321 on cpu 0:', ...frames('forge_set')],
    'KCSAN: data-race in forge_get / forge_set', 'forge_get', false],
  // mm/kfence/report.c: "BUG: KFENCE: %s %s in %pS"; no "Call Trace:" (syzkaller: corrupted).
  ['KFENCE out-of-bounds', ['BUG: KFENCE: out-of-bounds read in forge_read+0x1c/0x90', '', 'Out-of-bounds read at 0xffff8c3f2e291fff (1B left of kfence-#72):',
    ...frames('forge_read', 'forge_ioctl'), '', 'kfence-#72: 0xffff8c3f2e292000-0xffff8c3f2e29201f, size=32, cache=kmalloc-32', '',
    'allocated by task 484 on cpu 0 at 32.919330s:', ...frames('__kmalloc', 'forge_alloc')], 'KFENCE: out-of-bounds read in forge_read', 'forge_read', true],
  ['KFENCE invalid free', ['BUG: KFENCE: invalid free in forge_release+0x1c/0x90', '', 'Invalid free of 0xffff8c3f2e291fff (in kfence-#72):', ...frames('forge_release')],
    'KFENCE: invalid free in forge_release', 'forge_release', false],
  ['KFENCE memory corruption', ['BUG: KFENCE: memory corruption in forge_release+0x1c/0x90', '', 'Corrupted memory at 0xffff8c3f2e291fff [ 0xac . . ] (in kfence-#72):', ...frames('forge_release')],
    'KFENCE: memory corruption in forge_release', 'forge_release', false],
  // lib/ubsan.c ubsan_prologue: "UBSAN: %s in %s:%d:%d" (old: "UBSAN: Undefined behaviour in %s:%d:%d").
  ['UBSAN', ['UBSAN: shift-out-of-bounds in drivers/forge/rate.c:42:17', 'shift exponent 64 is too large for 64-bit type \'long unsigned int\'',
    ...x86Regs('forge_rate').slice(0, 2), ...x86Trace('dump_stack_lvl', 'ubsan_epilogue', '__ubsan_handle_shift_out_of_bounds', 'forge_rate', ...SYSCALL)],
  'UBSAN: shift-out-of-bounds in forge_rate', 'forge_rate', false],
  ['UBSAN array index', ['UBSAN: array-index-out-of-bounds in drivers/forge/tab.c:9:3', 'index 8 is out of range for type \'u32 [8]\'',
    ...x86Trace('__ubsan_handle_out_of_bounds', 'forge_lookup', ...SYSCALL)], 'UBSAN: array-index-out-of-bounds in forge_lookup', 'forge_lookup', false],
  ['UBSAN old form', ['UBSAN: Undefined behaviour in drivers/forge/rate.c:42:17', 'signed integer overflow:', ...x86Trace('dump_stack', 'ubsan_epilogue', 'handle_overflow', 'forge_rate')],
    'UBSAN: undefined-behaviour in forge_rate', 'forge_rate', false],
  // mm/kmemleak.c print_unreferenced: "unreferenced object 0x%08lx (size %zu):", "backtrace (crc %x):".
  ['memory leak', ['BUG: memory leak', 'unreferenced object 0xffff88801d2a8000 (size 32):', '  comm "syz-executor.3", pid 4321, jiffies 4294937353',
    '  backtrace (crc 1a2b3c4d):', ...frames('kmalloc_trace', 'forge_new_ctx', 'forge_open', 'do_dentry_open')], 'memory leak in forge_new_ctx', 'forge_new_ctx', false],
  // Allocation wrappers are skipped ("alloc" anywhere in the name).
  ['memory leak in an allocation wrapper', ['BUG: memory leak', 'unreferenced object 0xffff88801d2a8000 (size 32):', '  backtrace:',
    ...frames('kmalloc_trace', 'forge_alloc_ctx', 'forge_open', 'do_dentry_open')], 'memory leak in forge_open', 'forge_open', false],
];

describe('reports built from printk formats: title, guilty frame, corrupted', () => {
  for (const [name, lines, title, fn, corrupted] of [...x86, ...arm, ...sanitizers]) {
    it(name, () => {
      const ev = detectText(log(...lines))[0];
      expect(ev?.title).toBe(title);
      expect(ev?.function).toBe(fn);
      expect(ev?.corrupted).toBe(corrupted);
    });
  }
});
