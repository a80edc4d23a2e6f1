// Rows for panics (kernel/panic.c "Kernel panic - not syncing: %s") and the one-line reports
// syzkaller knows (pkg/report/linux.go and report.go commonOopses): unexpected reboots,
// unregister_netdevice leaks (net/core/dev.c netdev_wait_allrefs), VFS messages, Trusty, Rust
// panics (rust/kernel/lib.rs), the fuzzer's own errors. OOM and machine-check rows are this
// project's (mm/oom_kill.c, arch/x86/kernel/cpu/mce/core.c).
import type { TitleRule } from './rule-types.js';
import { traceStack } from './rule-types.js';

const P = 'Kernel panic - not syncing: ';
const panic = (tail: string, title: string, rest: Partial<TitleRule> = {}): TitleRule =>
  ({ kind: 'panic', header: new RegExp(`^${P}${tail}`), title, endsBoot: true, ...rest });

export const PANIC_RULES: readonly TitleRule[] = [
  panic('stack-protector: Kernel stack is corrupted in: ([A-Za-z0-9_]{1,200})(?:\\.|\\+)', 'kernel panic: stack is corrupted in {1}', { traceless: true }),
  panic('stack-protector: Kernel stack is corrupted in: [a-f0-9]', 'kernel panic: stack is corrupted in {fn}', { stack: traceStack(['stack_chk']) }),
  panic('stack-protector:', '{line}', { corrupted: true }),
  panic('corrupted stack end detected inside scheduler', 'kernel panic: corrupted stack end in {fn}', { alt: ['stack-overflow in {fn}'],
    stack: { ...traceStack(['schedule', 'retint_kernel']), extractor: 'stall' } }),
  panic('corrupted stack end', '{line}', { corrupted: true }),
  panic('kernel stack overflow', 'kernel stack overflow in {fn}', { alt: ['stack-overflow in {fn}'], stack: { ...traceStack(['bad_stack']), extractor: 'stall' } }),
  panic('Attempted to kill init!', 'kernel panic: Attempted to kill init!'),
  panic("Couldn't open N_TTY ldisc for \\S{1,64} --- error -\\d{1,5}", "kernel panic: Couldn't open N_TTY ldisc"),
  // Alone, these follow-on reasons mean the report before them was lost.
  panic('(?:kernel: )?(Fatal exception|panic_on_warn set|hung_task: blocked tasks)', 'kernel panic: {1}', { corrupted: true }),
  panic('(.{1,300})', 'kernel panic: {1}'),
];

export const OTHER_RULES: readonly TitleRule[] = [
  { kind: 'reset', header: /^Booting the kernel(?!.{0,300}(?:Parsing ELF|Decompressing Linux|Unknown parameter '))/,
    title: 'unexpected kernel reboot', traceless: true },
  { kind: 'bug', header: /^unregister_netdevice: waiting for .{0,200} to become free/,
    title: 'unregister_netdevice: waiting for DEV to become free', traceless: true },
  { kind: 'bug', header: /^VFS: Close: file count is 0/, title: 'VFS: Close: file count is zero (use-after-free)', traceless: true },
  { kind: 'bug', header: /^VFS: Busy inodes after unmount/, title: 'VFS: Busy inodes after unmount (use-after-free)', traceless: true },
  { kind: 'panic', header: /^rust_kernel: panicked/, need: [/^(.{1,300})$/], title: '{1} in {fn}',
    stack: traceStack(['__rustc::rust_begin_unwind']) },
  { kind: 'oom', header: /^Out of memory: (?:Kill|Killed) process/, title: 'out of memory', traceless: true },
  { kind: 'machine-check', header: /^mce: \[Hardware Error\]: /, title: 'machine check: hardware error', traceless: true },
  // Trusty (Android's TEE) asserts arrive through the trusty driver, which then WARNs.
  { kind: 'bug', header: /^trusty: panic \([^)]{0,60}\):(?: DEBUG)? ASSERT FAILED at \([^)]{0,200}\): (.{1,200})/,
    title: 'trusty: ASSERT FAILED: {1}', traceless: true, absorbs: /^WARNING: .{0,80}?at (?:\S{0,200}\/)?drivers\/trusty\// },
  { kind: 'bug', header: /^trusty: panic.{0,200}? ASSERT FAILED.{0,200}?: *(.{0,200})/, title: 'trusty: ASSERT FAILED: {1}', corrupted: true },
  { kind: 'bug', header: /^trusty: panic \([^)]{0,60}\): (.{1,200})/, title: 'trusty: panic: {1}', traceless: true },
  // The fuzzer's own errors (syzkaller's executor fail() and log.Fatal), when its output shares the console.
  { kind: 'bug', header: /^SYZFAIL:(.{0,300})/, title: 'SYZFAIL:{1}', traceless: true },
  { kind: 'bug', header: /^SYZFATAL:(.{0,300})/, title: 'SYZFATAL:{1}', traceless: true },
];
