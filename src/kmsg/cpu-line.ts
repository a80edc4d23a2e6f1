// The "CPU: 0 PID: 97 Comm: insmod Tainted: G  O  6.1.0-56-amd64 #1 Debian ..." line every
// oops, BUG and WARNING prints (lib/dump_stack.c dump_stack_print_info): cpu, pid, task,
// taint, and the kernel release.
export const CPU_LINE = /^CPU: (\d{1,5}) (?:UID: \d{1,10} )?PID: (\d{1,10}) Comm: (.{1,32}?) (?:(Not tainted|Tainted: [A-Z ]{1,40}?) +)?(\d\S{0,63})/;
