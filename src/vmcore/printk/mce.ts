// The dump's own word on poisoned memory: as the log is read, the physical addresses of
// uncorrected machine checks it reports are put off limits, so no later read touches
// them (reading a poisoned page again can machine-check the reader's machine, or EIO).
// Line formats: arch/x86/kernel/cpu/mce/core.c __print_mce ("CPU %d: Machine Check%s: %Lx
// Bank %d: %016Lx", then "TSC %llx ADDR %llx MISC %llx"), kill_me_maybe ("Uncorrected
// hardware memory error in user-access at %llx"), mm/memory-failure.c ("Memory failure:
// %#lx: ..." with a pfn).
import type { DumpInfo } from '../types.js';

const MCI_STATUS_UC = 1n << 61n;
const BANK = /\[Hardware Error\]: CPU \d+: Machine Check[^:]*: [0-9a-f]+ Bank \d+: ([0-9a-f]{1,16})\b/;
const ADDR = /\[Hardware Error\]: TSC [0-9a-f]+ ADDR ([0-9a-f]{1,16})\b/;
const USER_ACCESS = /Uncorrected hardware memory error in user-access at ([0-9a-f]{1,16})\b/;
const MEMORY_FAILURE = /^Memory failure: 0x([0-9a-f]{1,13}): /;
/** More than this many addresses is not a machine check report but damage. */
const MAX_AVOIDED = 4096;

export class PoisonWatch {
  private uncorrected = false;
  private count = 0;
  constructor(private readonly dump: DumpInfo) {}

  /** Look at one record's text (one or more lines); returns the addresses newly put off limits. */
  line(text: string): bigint[] {
    const out: bigint[] = [];
    for (const l of text.split('\n')) {
      const bank = BANK.exec(l);
      if (bank) { this.uncorrected = (BigInt(`0x${bank[1]}`) & MCI_STATUS_UC) !== 0n; continue; }
      const addr = ADDR.exec(l);
      if (addr && this.uncorrected) { out.push(BigInt(`0x${addr[1]}`)); this.uncorrected = false; continue; }
      const user = USER_ACCESS.exec(l);
      if (user) { out.push(BigInt(`0x${user[1]}`)); continue; }
      const mf = MEMORY_FAILURE.exec(l);
      if (mf) out.push(BigInt(`0x${mf[1]}`) * BigInt(this.dump.phys.pageSize));
    }
    const fresh: bigint[] = [];
    for (const a of out) {
      if (this.count >= MAX_AVOIDED || !this.dump.phys.avoid(a)) continue;
      this.count++;
      fresh.push(a);
      this.dump.problems.push({ path: this.dump.path, message: `not reading physical page 0x${(a - (a % BigInt(this.dump.phys.pageSize))).toString(16)}: the log reports an uncorrected memory error at 0x${a.toString(16)}` });
    }
    return fresh;
  }
}
