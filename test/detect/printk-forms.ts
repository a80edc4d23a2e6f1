// Report bodies built from the kernel's own printk format strings (each builder names the
// file and the format it follows), so tests state what the kernel prints, not what a stored
// example happened to hold. Frames are "name+0xoff/0xsize", as %pS prints them.

const fr = (fn: string, mod?: string): string => ` ${fn}+0x1c/0x90${mod ? ` [${mod}]` : ''}`;
/** Frame lines for a call chain, callee first. */
export const frames = (...fns: string[]): string[] => fns.map((f) => fr(f));

/** lib/dump_stack.c dump_stack_print_info, then the x86 register dump (arch/x86/kernel/process_64.c __show_regs). */
export const x86Regs = (rip: string): string[] => [
  'CPU: 1 PID: 4321 Comm: syz-executor.3 Not tainted 6.8.0-rc1-syzkaller #0',
  'Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 01/25/2024',
  `RIP: 0010:${rip}+0x1c/0x90`,
  'Code: 48 89 df e8 00 00 00 00 <0f> 0b 48 83 c4 08 5b c3',
  'RSP: 0018:ffffc90003e8fb08 EFLAGS: 00010246',
  'RAX: 0000000000000000 RBX: ffff88801d2a8000 RCX: 0000000000000000',
];
/** arch/x86/kernel/dumpstack.c show_trace_log_lvl: "Call Trace:", <TASK> ... </TASK>, "?" guesses. */
export const x86Trace = (...fns: string[]): string[] => ['Call Trace:', ' <TASK>', ...frames(...fns), ' ? unrelated_guess+0x1/0x2', ' </TASK>'];
/** The syscall path under a process context trace. */
export const SYSCALL = ['__x64_sys_ioctl', 'do_syscall_64', 'entry_SYSCALL_64_after_hwframe'];

/** arch/arm64/kernel/process.c __show_regs and arch/arm64/kernel/stacktrace.c dump_backtrace ("Call trace:"). */
export const arm64Regs = (pc: string, lr: string, ...trace: string[]): string[] => [
  'CPU: 0 PID: 97 Comm: syz-executor Not tainted 6.8.0-rc1-syzkaller #0',
  'Hardware name: linux,dummy-virt (DT)',
  'pstate: 80400005 (Nzcv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)',
  `pc : ${pc}+0x14/0x20`, `lr : ${lr}+0x30/0x40`, 'sp : ffff80008a1e3b70',
  'x29: ffff80008a1e3b70 x28: ffff0000c8e0a000 x27: 0000000000000000',
  'Call trace:', ...frames(pc, lr, ...trace),
];

/** arch/arm/kernel/process.c __show_regs ("PC is at %pS") and arch/arm/kernel/traps.c dump_backtrace_entry. */
export const arm32Regs = (pc: string, lr: string, ...trace: string[]): string[] => [
  'CPU: 0 PID: 97 Comm: syz-executor Not tainted 6.8.0-rc1-syzkaller #0',
  'Hardware name: ARM-Versatile Express',
  `PC is at ${pc}+0x14/0x20`, `LR is at ${lr}+0x30/0x40`, 'pc : [<8073a3b4>]    lr : [<8073a3a8>]    psr: 60000013',
  'Backtrace: ',
  ...[pc, lr, ...trace].slice(0, -1).map((f, i, a) => `[<80${i}01234>] (${f}) from [<80${i}05678>] (${[lr, ...trace][i] ?? a[i]}+0x30/0x40)`),
];
