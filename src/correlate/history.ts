// The corrected errors that came before a fatal machine check: counted per bank and
// address (the address cut to MISC's LSB, as the kernel prints it), first and last seen.
// Runs over every corrected error of a boot (a million rasdaemon rows): keyed by numbers
// and bigints, times turned into text only once per group.
import type { CorrectedHistory, MachineCheck, Severity } from '../model/index.js';
import { hex, significantAddr } from '../mce/bits.js';

export const significantAddrOf = (mc: MachineCheck): bigint | undefined => significantAddr(mc.status, mc.addr, mc.misc);

/** Wall time when known (ISO), else kernel time in nanoseconds (decimal). */
export function whenOf(mc: MachineCheck): string | undefined {
  return mc.time?.toISOString() ?? mc.tsNs?.toString();
}

interface Group { bank: number; addr: bigint | undefined; count: number; first: MachineCheck; last: MachineCheck }

/** Order of two records: wall time, else kernel time, else as listed (undefined). */
function before(a: MachineCheck, b: MachineCheck): boolean | undefined {
  if (a.time && b.time) return a.time.getTime() < b.time.getTime();
  if (a.tsNs !== undefined && b.tsNs !== undefined) return a.tsNs < b.tsNs;
  return undefined;
}

/** Corrected and deferred errors, not after `fatal` when both have times, grouped. */
export function correctedBefore(mces: readonly MachineCheck[], severity: readonly Severity[], fatal: MachineCheck | undefined): { history: CorrectedHistory[]; firstOf: MachineCheck[] } {
  const byBank = new Map<number, Map<bigint | undefined, Group>>();
  const groups: Group[] = [];
  const limit = fatal?.time?.getTime();
  for (let i = 0; i < mces.length; i++) {
    const sev = severity[i];
    if (sev !== 'corrected' && sev !== 'deferred') continue;
    const mc = mces[i]!;
    if (limit !== undefined && mc.time !== undefined && mc.time.getTime() > limit) continue;
    const addr = significantAddrOf(mc);
    let bank = byBank.get(mc.bank);
    if (!bank) byBank.set(mc.bank, (bank = new Map()));
    const g = bank.get(addr);
    if (!g) {
      const ng: Group = { bank: mc.bank, addr, count: 1, first: mc, last: mc };
      bank.set(addr, ng);
      groups.push(ng);
      continue;
    }
    g.count++;
    if (before(mc, g.first) === true) g.first = mc;
    if (before(g.last, mc) !== false) g.last = mc;
  }
  // Oldest group first; groups without times keep the order they were seen in.
  groups.sort((a, b) => (before(a.first, b.first) === true ? -1 : before(b.first, a.first) === true ? 1 : 0));
  const history = groups.map((g) => {
    const h: CorrectedHistory = { bank: g.bank, count: g.count };
    if (g.addr !== undefined) h.addr = hex(g.addr);
    const first = whenOf(g.first);
    if (first !== undefined) { h.first = first; h.last = whenOf(g.last) ?? first; }
    return h;
  });
  return { history, firstOf: groups.map((g) => g.first) };
}
