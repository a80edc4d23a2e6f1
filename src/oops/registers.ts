// Register dump lines of a report:
//   x86_64 __show_regs() (arch/x86/kernel/process_64.c) and show_iret_regs() (dumpstack.c):
//     "RSP: 0018:ffffc90000ab3d48 EFLAGS: 00010246 ORIG_RAX: 0000000000000001",
//     "RAX: %016lx RBX: %016lx RCX: %016lx" ... "R13: .. R14: .. R15: ..",
//     "FS:  %016lx(%04x) GS:%016lx(%04x) knlGS:%016lx", "CS:  %04lx DS: %04x ES: %04x CR0: %016lx",
//     "CR2: .. CR3: .. CR4: ..", "DR0: .. DR1: .. DR2: ..", "DR3: .. DR6: .. DR7: ..", "PKRU: %08x";
//   arm64 __show_regs() (arch/arm64/kernel/process.c): "pstate: %08llx (nZCv daif ...)",
//     "sp : %016llx", "pmr_save: %08llx", "x29: %016llx x28: %016llx " ("x%-2d: ", so "x9 : ").
// pc/lr and RIP name symbols: they are frames, read in parse.ts.

const FIRST = /^(?:R[A-Z0-9]{1,3}|E[A-Z]{2}|[C-G]S|CR\d|DR\d|PKRU|x\d{1,2}|sp|pstate|pmr_save) ?:/;
const TOKEN = /([A-Za-z][A-Za-z0-9_]{0,15}) ?: {0,2}(?:([0-9a-f]{4}):)?([0-9a-f]{2,16})(?:\([0-9a-f]{4}\))?(?: \([^)]{0,80}\))?\s*/y;

const hex = (h: string): string => `0x${h.replace(/^0+(?=.)/, '')}`;

/** The registers of one dump line, or undefined when the line is not one. RSP's "0018:" is SS. */
export function parseRegisterLine(line: string): Record<string, string> | undefined {
  const text = line.trim();
  if (!FIRST.test(text)) return undefined;
  const out: Record<string, string> = {};
  TOKEN.lastIndex = 0;
  let n = 0;
  while (TOKEN.lastIndex < text.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m || TOKEN.lastIndex === at) return undefined;
    if (m[2] !== undefined) out[m[1] === 'RSP' || m[1] === 'ESP' ? 'SS' : `${m[1]}_SEG`] = hex(m[2]);
    out[m[1]!] = hex(m[3]!);
    if (++n > 8) break;
  }
  return n ? out : undefined;
}
