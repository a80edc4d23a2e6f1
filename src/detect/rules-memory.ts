// Rows for the memory-safety reports: KASAN (mm/kasan/report.c), KMSAN (mm/kmsan/report.c),
// KCSAN (kernel/kcsan/report.c), KFENCE (mm/kfence/report.c), UBSAN (lib/ubsan.c), kmemleak
// (mm/kmemleak.c). Rows, order and skip lists after syzkaller pkg/report/linux.go.
import type { TitleRule } from './rule-types.js';
import { traceStack } from './rule-types.js';
import { CALL_TRACE, headerFrame } from './stack.js';

/** mm/kasan/report.c print_error_description: "Read of size 8 at addr ..." (HW tags: "Write at addr"). */
const ACCESS = /(Read|Write) (?:of size|at addr) [0-9a-f]/;
const KASAN_FREE = 'BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in ';
const KMSAN_ORIGIN = /Local variable .{0,300} created at:|Uninit was created at:/;
const LEAK_SKIP = ['kmemleak', 'mmap', 'kmem', 'slab', 'alloc', 'create_object', 'idr_get', 'list_lru_init', 'kasprintf',
  'kvasprintf', 'pcpu_create', 'strdup', 'strndup', 'memdup'];
const kfenceFrame = headerFrame('BUG: KFENCE: [a-z -]{1,40} in ');

export const MEMORY_RULES: readonly TitleRule[] = [
  // KASAN_HW_TAGS reports pass through the arm64 fault path: those frames are skipped too.
  { kind: 'memory-safety', header: /^BUG: KASAN: ([a-z-]{1,40}) in [A-Za-z0-9_]{1,200}[.+]/, need: [ACCESS], title: 'KASAN: {1} {2} in {fn}',
    alt: ['bad-access in {fn}'],
    stack: { parts: [headerFrame('BUG: KASAN: [a-z-]{1,40} in '), CALL_TRACE, 'trace'], skip: ['kernel_fault', 'tag_check', 'mem_abort', '^el1_', '^el1h_'] } },
  { kind: 'memory-safety', header: new RegExp(`^${KASAN_FREE}[A-Za-z0-9_]{1,200}[.+]`), title: 'KASAN: invalid-free in {fn}',
    alt: ['invalid-free in {fn}'], stack: { parts: [headerFrame(KASAN_FREE), CALL_TRACE, 'trace'], skip: ['slab_', 'kfree', 'vunmap', 'vfree'] } },
  { kind: 'memory-safety', header: /^BUG: KASAN: ([a-z-]{1,40}) on address/, need: [/(Read|Write) of size \d/], title: 'KASAN: {1} {2}' },
  { kind: 'memory-safety', header: /^BUG: KASAN: (.{0,200})/, title: 'KASAN: {1}', corrupted: true },
  // KMSAN (5.19+) prints the stack right under the header, then where the value came from.
  { kind: 'memory-safety', header: /^BUG: KMSAN: kernel-usb-infoleak in [A-Za-z0-9_]{1,200}[.+]/,
    title: 'KMSAN: kernel-usb-infoleak in {fn}', traceless: true,
    stack: { parts: ['trace', KMSAN_ORIGIN, 'trace'], skip: ['alloc_skb', 'usb_submit_urb', 'usb_start_wait_urb', 'usb_bulk_msg', 'usb_interrupt_msg', 'usb_control_msg'] } },
  { kind: 'memory-safety', header: /^BUG: KMSAN: ([a-z-]{1,40}) in [A-Za-z0-9_]{1,200}[.+]/, title: 'KMSAN: {1} in {fn}',
    alt: ['bad-access in {fn}'], traceless: true,
    stack: { parts: ['trace', KMSAN_ORIGIN, 'trace'], skip: ['alloc_skb', 'netlink_ack', 'netlink_rcv_skb', '_encrypt$', '^(?:crypto|cipher|drbg|rng)_'] } },
  // The header matched but not its function: cut (syzkaller: title matched, report did not).
  { kind: 'memory-safety', header: /^BUG: KMSAN:/, title: '{line}', corrupted: true },
  { kind: 'memory-safety', header: /^BUG: KCSAN: (.{1,300})/, title: 'KCSAN: {1}', traceless: true },
  { kind: 'memory-safety', header: /^BUG: KFENCE: (use-after-free|out-of-bounds) (read|write) in [A-Za-z0-9_]{1,200}[.+]/,
    title: 'KFENCE: {1} {2} in {fn}', alt: ['bad-access in {fn}'], stack: { parts: [kfenceFrame, 'trace'] } },
  { kind: 'memory-safety', header: /^BUG: KFENCE: invalid free in [A-Za-z0-9_]{1,200}[.+]/, title: 'KFENCE: invalid free in {fn}',
    alt: ['invalid-free in {fn}'], traceless: true, stack: { parts: [kfenceFrame, 'trace'] } },
  { kind: 'memory-safety', header: /^BUG: KFENCE: invalid (read|write) in [A-Za-z0-9_]{1,200}[.+]/, title: 'KFENCE: invalid {1} in {fn}',
    alt: ['bad-access in {fn}'], stack: { parts: [kfenceFrame, 'trace'] } },
  { kind: 'memory-safety', header: /^BUG: KFENCE: memory corruption in [A-Za-z0-9_]{1,200}[.+]/, title: 'KFENCE: memory corruption in {fn}',
    traceless: true, stack: { parts: [kfenceFrame, 'trace'] } },
  { kind: 'memory-safety', header: /^BUG: memory leak/, title: 'memory leak in {fn}',
    stack: { parts: [/backtrace(?: \(crc [0-9a-fA-F]{0,16}\))?:/, 'trace'], skip: LEAK_SKIP } },
  // lib/ubsan.c: old kernels "UBSAN: Undefined behaviour in file:line", newer "UBSAN: <check> in file:line".
  { kind: 'memory-safety', header: /^UBSAN: Undefined behaviour in/, title: 'UBSAN: undefined-behaviour in {fn}', stack: traceStack(['ubsan', 'overflow']) },
  { kind: 'memory-safety', header: /^UBSAN: array-index-out-of-bounds in/, title: 'UBSAN: array-index-out-of-bounds in {fn}',
    alt: ['bad-access in {fn}'], stack: traceStack(['ubsan', 'overflow']) },
  { kind: 'memory-safety', header: /^UBSAN: (.{0,200}?) in/, title: 'UBSAN: {1} in {fn}', stack: traceStack(['ubsan', 'overflow']) },
  { kind: 'memory-safety', header: /^UBSAN:/, title: '{line}', corrupted: true },
  // Old SLUB debugging: the KASAN header was lost, only slab's own lines remain.
  { kind: 'memory-safety', header: /^INFO: (Freed|Allocated) in (.{1,200})/, title: 'INFO: {1} in {2}', corrupted: true },
  { kind: 'memory-safety', header: /^BUG kmalloc-[^:]{0,40}: Object already free/, title: 'BUG: Object already free' },
];
