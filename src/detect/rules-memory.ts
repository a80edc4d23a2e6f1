// Rows for the memory-safety reports: KASAN, KMSAN, KCSAN, KFENCE, UBSAN, kmemleak.
import type { TitleRule } from './rule-types.js';
import { traceStack } from './rule-types.js';
import { CALL_TRACE, headerFrame } from './stack.js';

const ACCESS = /(Read|Write) (?:of size|at addr)/;
const FREE_SKIP = ['kmem_', 'slab_', 'kfree', 'vunmap', 'vfree'];
const LEAK_SKIP = ['kmemleak', 'kmalloc', 'kcalloc', 'kzalloc', 'vmalloc', 'mmap', 'kmem', 'slab', 'alloc', 'create_object',
  'idr_get', 'list_lru_init', 'kasprintf', 'kvasprintf', 'pcpu_create', 'strdup', 'strndup', 'memdup'];

export const MEMORY_RULES: readonly TitleRule[] = [
  { kind: 'memory-safety', start: 'BUG: KASAN: ', header: /^BUG: KASAN: double-free or invalid-free in /, title: 'KASAN: invalid-free in {fn}',
    stack: { parts: [headerFrame('BUG: KASAN: double-free or invalid-free in '), CALL_TRACE, 'trace'], skip: FREE_SKIP } },
  { kind: 'memory-safety', start: 'BUG: KASAN: ', header: /^BUG: KASAN: ([a-z-]{1,40}) in /, need: [ACCESS], title: 'KASAN: {1} {2} in {fn}',
    stack: { parts: [headerFrame('BUG: KASAN: [a-z-]{1,40} in '), CALL_TRACE, 'trace'] } },
  { kind: 'memory-safety', start: 'BUG: KASAN: ', header: /^BUG: KASAN: ([a-z-]{1,40}) on address/, need: [ACCESS], title: 'KASAN: {1} {2}' },
  { kind: 'memory-safety', start: 'BUG: KASAN: ', header: /^BUG: KASAN: (.{0,200})/, title: 'KASAN: {1}', corrupted: true },
  { kind: 'memory-safety', start: 'BUG: KFENCE: ', header: /^BUG: KFENCE: (invalid free|use-after-free|out-of-bounds|memory corruption)/, title: 'KFENCE: {1} in {fn}', traceless: true,
    stack: { parts: [headerFrame('BUG: KFENCE: [a-z -]{1,40} in '), 'trace'] } },
  { kind: 'memory-safety', start: 'BUG: KMSAN: ', header: /^BUG: KMSAN: kernel-usb-infoleak/, title: 'KMSAN: kernel-usb-infoleak in {fn}', traceless: true,
    stack: traceStack(['usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg']) },
  { kind: 'memory-safety', start: 'BUG: KMSAN: ', header: /^BUG: KMSAN: kernel-infoleak in /, title: 'KMSAN: kernel-infoleak in {fn}', traceless: true,
    stack: { parts: [headerFrame('BUG: KMSAN: kernel-infoleak in '), 'trace'], parts2: [CALL_TRACE, 'trace'], skip: ['copy_to_iter', 'copy_page_to_iter', 'copyout', 'iov_iter'] } },
  { kind: 'memory-safety', start: 'BUG: KMSAN: ', header: /^BUG: KMSAN: ([a-z-]{1,40}) in /, title: 'KMSAN: {1} in {fn}', traceless: true,
    stack: { parts: [headerFrame('BUG: KMSAN: [a-z-]{1,40} in '), 'trace'], parts2: [CALL_TRACE, 'trace'] } },
  { kind: 'memory-safety', start: 'BUG: KCSAN: ', header: /^BUG: KCSAN: data-race in ([\w.]{1,120}) \/ ([\w.]{1,120})/, title: 'KCSAN: data-race in {1} / {2}', traceless: true },
  { kind: 'memory-safety', start: 'BUG: KCSAN: ', header: /^BUG: KCSAN: (.{1,200})/, title: 'KCSAN: {1}', traceless: true },
  { kind: 'memory-safety', start: 'UBSAN: ', header: /^UBSAN: Undefined behaviour/, title: 'UBSAN: undefined-behaviour in {fn}', stack: traceStack(['ubsan']) },
  { kind: 'memory-safety', start: 'UBSAN: ', header: /^UBSAN: ([\w-]{1,40})/, title: 'UBSAN: {1} in {fn}', stack: traceStack(['ubsan']) },
  { kind: 'memory-safety', start: 'BUG: memory leak', header: /^BUG: memory leak/, title: 'memory leak in {fn}',
    stack: { parts: [/backtrace:/, 'trace'], skip: LEAK_SKIP } },
  // Old SLUB debugging: the KASAN header was lost, only slab's own lines remain.
  { kind: 'memory-safety', start: 'INFO: ', header: /^INFO: (Freed|Allocated) in (.{1,200})/, title: 'INFO: {1} in {2}', corrupted: true },
  { kind: 'memory-safety', start: 'BUG kmalloc-', header: /^BUG kmalloc-[^:]{0,40}: Object already free/, title: 'BUG: Object already free' },
];
