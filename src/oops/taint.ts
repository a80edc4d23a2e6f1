// Taint flags as the kernel prints them after "Tainted: " (kernel/panic.c taint_flags[],
// print_tainted(): one column per flag, c_true when set, c_false (' ', or 'G' for the first)
// when not). Meanings from Documentation/admin-guide/tainted-kernels.rst.
export interface TaintFlag {
  /** The letter print_tainted() shows when the flag is set. */
  letter: string;
  /** TAINT_* name in include/linux/panic.h (kernel.h before 5.14). */
  name: string;
  bit: number;
  meaning: string;
  /** Set by loading a module (taint_flags[].module): the verdict names the module kind. */
  module: boolean;
}

/** kernel/panic.c taint_flags[TAINT_FLAGS_COUNT], in bit order (J: 6.15, FWCTL). */
export const TAINT_FLAGS: readonly TaintFlag[] = [
  { letter: 'P', name: 'PROPRIETARY_MODULE', bit: 0, module: true, meaning: 'a proprietary (non-GPL) module was loaded' },
  { letter: 'F', name: 'FORCED_MODULE', bit: 1, module: true, meaning: 'a module was force-loaded (insmod -f)' },
  { letter: 'S', name: 'CPU_OUT_OF_SPEC', bit: 2, module: false, meaning: 'the CPU or system is out of specification' },
  { letter: 'R', name: 'FORCED_RMMOD', bit: 3, module: false, meaning: 'a module was force-unloaded (rmmod -f)' },
  { letter: 'M', name: 'MACHINE_CHECK', bit: 4, module: false, meaning: 'a machine check exception occurred' },
  { letter: 'B', name: 'BAD_PAGE', bit: 5, module: false, meaning: 'a bad page was referenced, or memory corruption was detected' },
  { letter: 'U', name: 'USER', bit: 6, module: false, meaning: 'tainted on user request' },
  { letter: 'D', name: 'DIE', bit: 7, module: false, meaning: 'the kernel died recently (an earlier oops or BUG)' },
  { letter: 'A', name: 'OVERRIDDEN_ACPI_TABLE', bit: 8, module: false, meaning: 'an ACPI table was overridden' },
  { letter: 'W', name: 'WARN', bit: 9, module: false, meaning: 'the kernel issued a warning before' },
  { letter: 'C', name: 'CRAP', bit: 10, module: true, meaning: 'a staging driver was loaded' },
  { letter: 'I', name: 'FIRMWARE_WORKAROUND', bit: 11, module: false, meaning: 'a workaround for a platform firmware bug is in use' },
  { letter: 'O', name: 'OOT_MODULE', bit: 12, module: true, meaning: 'an externally built (out-of-tree) module was loaded' },
  { letter: 'E', name: 'UNSIGNED_MODULE', bit: 13, module: true, meaning: 'an unsigned module was loaded' },
  { letter: 'L', name: 'SOFTLOCKUP', bit: 14, module: false, meaning: 'a soft lockup occurred before' },
  { letter: 'K', name: 'LIVEPATCH', bit: 15, module: true, meaning: 'the kernel was live patched' },
  { letter: 'X', name: 'AUX', bit: 16, module: true, meaning: 'an auxiliary taint (distribution-defined)' },
  { letter: 'T', name: 'RANDSTRUCT', bit: 17, module: true, meaning: 'the kernel was built with the struct randomization plugin' },
  { letter: 'N', name: 'TEST', bit: 18, module: true, meaning: 'an in-kernel test (KUnit) was run' },
  { letter: 'J', name: 'FWCTL', bit: 19, module: true, meaning: 'userspace used a mutating debug operation in fwctl' },
];

const BY_LETTER = new Map(TAINT_FLAGS.map((f) => [f.letter, f]));

/** "Tainted: G        W  OE     " or "G W OE" -> flags "G W OE" (runs of blanks as one) and the
 * meaning of each flag set; "Not tainted" -> flags "". 'G' is P's "not set" letter: no meaning. */
export function decodeTaint(text: string): { flags: string; meaning: string[] } {
  const body = text.trim().replace(/^Tainted:\s*/, '');
  if (body === 'Not tainted') return { flags: '', meaning: [] };
  // 6.10+ also print "Tainted: [W]=WARN, [O]=OOT_MODULE" (print_tainted_verbose).
  if (body.includes('[')) {
    const set = [...body.matchAll(/\[([A-Z])\]=/g)].map((m) => m[1]!).filter((c) => BY_LETTER.has(c));
    return { flags: set.join(''), meaning: set.map((c) => `${c}: ${BY_LETTER.get(c)!.meaning}`) };
  }
  const meaning = [...body].flatMap((c) => { const f = BY_LETTER.get(c); return f ? [`${c}: ${f.meaning}`] : []; });
  return { flags: body.replace(/\s+/g, ' '), meaning };
}

export function taintFlag(letter: string): TaintFlag | undefined {
  return BY_LETTER.get(letter);
}
