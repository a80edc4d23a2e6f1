// Rows for the architectures' own oops headers (syzkaller pkg/report/linux.go): x86 traps
// (arch/x86/kernel/traps.c: general protection, stack segment, divide error, invalid opcode,
// double fault), BUG() (lib/bug.c "kernel BUG at"), arm/arm64 faults (arch/arm64/mm/fault.c
// die_kernel_fault "Unable to handle kernel ...", arch/arm64/kernel/traps.c die "Internal
// error:", arch/arm/mm/fault.c "Unhandled fault:", arch/arm/mm/alignment.c "Alignment trap:"),
// powerpc (arch/powerpc/kernel/traps.c "Kernel BUG"), riscv and s390 (their die() prints
// "Internal error:"/"Kernel BUG" through the same rows; their RIP-like lines are "epc :", "Krnl PSW").
import type { TitleRule } from './rule-types.js';
import { ripStack, traceStack } from './rule-types.js';
import { RIP } from './stack.js';

export const OOPS_RULES: readonly TitleRule[] = [
  { kind: 'oops', header: /^Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)/,
    title: 'BUG: unable to handle kernel {1} in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  { kind: 'oops', header: /^Unable to handle kernel [^\n]{0,300}/, title: '{line}', traceless: true },
  // Userspace's own GPFs ("traps: a.out[97] general protection fault ip:.. error:0 in ...") are not reports.
  { kind: 'oops', header: /^general protection fault(?![^\n]{0,300}? error:\d{1,10} in )[^\n]{0,300}?:/,
    title: 'general protection fault in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  { kind: 'oops', header: /^stack segment: /, title: 'stack segment fault in {fn}', stack: ripStack() },
  { kind: 'oops', header: /^PANIC: double fault/, title: 'PANIC: double fault in {fn}', stack: { parts: [RIP] }, endsBoot: true },
  { kind: 'bug', header: /^kernel BUG at (?:\S{0,200}\/)?mm\/usercopy\.c/, title: 'BUG: bad usercopy in {fn}', stack: traceStack(['usercopy', '__check']) },
  { kind: 'bug', header: /^kernel BUG at (?:\S{0,200}\/)?lib\/list_debug\.c/, title: 'BUG: corrupted list in {fn}',
    alt: ['bad-access in {fn}'], stack: traceStack() },
  // skb helpers BUG_ON their caller's misuse.
  { kind: 'bug', header: /^kernel BUG at (.{0,300})/, title: 'kernel BUG in {fn}', stack: ripStack(['^skb_']) },
  { kind: 'bug', header: /^kernel BUG[^\n]{0,300}/, title: '{line}', traceless: true },
  { kind: 'bug', header: /^Kernel BUG (.{0,300})/, title: 'kernel BUG {1}' },
  // "divide_error:" is how 5.9-5.10 spelled it (9d06c4027f21 "x86/entry: Convert Divide Error to IDTENTRY").
  { kind: 'oops', header: /^divide(?: |_)error: /, title: 'divide error in {fn}', stack: { parts: [RIP] } },
  { kind: 'oops', header: /^invalid opcode: /, title: 'invalid opcode in {fn}', stack: { parts: [RIP] } },
  // arm64 prints some faults only as "Internal error: synchronous external abort".
  { kind: 'oops', header: /^Internal error:/, title: 'Internal error in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  // arm32: what x86 titles a general protection fault (a NULL dereference) is a page domain fault.
  { kind: 'oops', header: /^Unhandled fault:/, title: 'Unhandled fault in {fn}', alt: ['bad-access in {fn}'], stack: ripStack() },
  { kind: 'oops', header: /^Alignment trap:/, title: 'Alignment trap in {fn}', stack: ripStack() },
  // Not in syzkaller's table: lib/list_debug.c's own line, printed before its BUG or WARNING.
  { kind: 'bug', header: /^list_(?:add|del) corruption/, title: 'BUG: corrupted list in {fn}', stack: traceStack(),
    absorbs: /^(?:kernel BUG at |WARNING: .{0,80}?at )(?:\S{0,200}\/)?lib\/list_debug\.c/ },
];
