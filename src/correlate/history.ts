// The corrected errors that came before a fatal machine check: counted per bank and
// address, first and last seen. An address means only the bits above MISC's address LSB
// (Intel SDM Vol. 3B 16.3.2.4 / 17.3.2.4, "Recoverable address LSB"; the kernel masks it the
// same way in arch/x86/kernel/cpu/mce/core.c mce_read_aux): records of one bank are compared
// at the coarsest precision any of them states, so two errors in one page are one group
// even when one record carries no MISC.
// Runs over every corrected error of a boot (a million rasdaemon rows): keyed by numbers
// and bigints, times turned into text only once per group.
import type { CorrectedHistory, MachineCheck, MemoryError, Severity } from '../model/index.js';
import { bit, field, hex, MCI, significantAddr } from '../mce/bits.js';

export const significantAddrOf = (mc: MachineCheck): bigint | undefined => significantAddr(mc.status, mc.addr, mc.misc);

/** Wall time when known (ISO), else kernel time in nanoseconds (decimal). */
export function whenOf(mc: MachineCheck): string | undefined {
  return mc.time?.toISOString() ?? mc.tsNs?.toString();
}

interface Group { bank: number; addr: bigint | undefined; count: number; first: MachineCheck; last: MachineCheck }

/** The address LSB a record states (MISC valid), or undefined. */
function lsbOf(mc: MachineCheck): number | undefined {
  if (!bit(mc.status, MCI.MISCV) || mc.misc === undefined) return undefined;
  return field(mc.misc, 0, 6);
}

/** Per bank, the coarsest address LSB any of the records states. */
function bankPrecision(mces: readonly MachineCheck[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const mc of mces) {
    const lsb = lsbOf(mc);
    if (lsb !== undefined && lsb > (out.get(mc.bank) ?? -1)) out.set(mc.bank, lsb);
  }
  return out;
}

/** The address at a given precision (bits below `lsb` cleared). */
const atPrecision = (addr: bigint | undefined, lsb: number | undefined): bigint | undefined =>
  addr === undefined || !lsb ? addr : (addr >> BigInt(lsb)) << BigInt(lsb);

/** A grouped record (rasdaemon) stands for `count` errors, its last at `lastTime`. */
const lastOf = (mc: MachineCheck): MachineCheck => (mc.lastTime ? { ...mc, time: mc.lastTime } : mc);

/** Order of two records: wall time, else kernel time, else as listed (undefined). */
function before(a: MachineCheck, b: MachineCheck): boolean | undefined {
  if (a.time && b.time) return a.time.getTime() < b.time.getTime();
  if (a.tsNs !== undefined && b.tsNs !== undefined) return a.tsNs < b.tsNs;
  return undefined;
}

/** Corrected and deferred errors, not after `fatal` when both have times, grouped. A grouped
 * record whose first error came before the fatal one counts whole. */
export function correctedBefore(mces: readonly MachineCheck[], severity: readonly Severity[], fatal: MachineCheck | undefined): { history: CorrectedHistory[]; firstOf: MachineCheck[] } {
  const byBank = new Map<number, Map<bigint | undefined, Group>>();
  const precision = bankPrecision(fatal ? [...mces, fatal] : mces);
  const groups: Group[] = [];
  const limit = fatal?.time?.getTime();
  for (let i = 0; i < mces.length; i++) {
    const sev = severity[i];
    if (sev !== 'corrected' && sev !== 'deferred') continue;
    const mc = mces[i]!;
    if (limit !== undefined && mc.time !== undefined && mc.time.getTime() > limit) continue;
    const addr = atPrecision(significantAddrOf(mc), precision.get(mc.bank));
    let bank = byBank.get(mc.bank);
    if (!bank) byBank.set(mc.bank, (bank = new Map()));
    const g = bank.get(addr);
    if (!g) {
      const ng: Group = { bank: mc.bank, addr, count: mc.count ?? 1, first: mc, last: lastOf(mc) };
      bank.set(addr, ng);
      groups.push(ng);
      continue;
    }
    g.count += mc.count ?? 1;
    if (before(mc, g.first) === true) g.first = mc;
    const last = lastOf(mc);
    if (before(g.last, last) !== false) g.last = last;
  }
  // Oldest group first; groups without times keep the order they were seen in.
  groups.sort((a, b) => (before(a.first, b.first) === true ? -1 : before(b.first, a.first) === true ? 1 : 0));
  // The fatal error's own address, at the same precision: corrected errors there first are
  // the strongest sign that the page or DIMM is failing.
  const fatalAddr = fatal ? atPrecision(significantAddrOf(fatal), precision.get(fatal.bank)) : undefined;
  const history = groups.map((g) => {
    const h: CorrectedHistory = { bank: g.bank, count: g.count };
    if (g.addr !== undefined) h.addr = hex(g.addr);
    if (fatalAddr !== undefined && g.addr === fatalAddr) h.atFatalAddress = true;
    const first = whenOf(g.first);
    if (first !== undefined) { h.first = first; h.last = whenOf(g.last) ?? first; }
    return h;
  });
  return { history, firstOf: groups.map((g) => g.first) };
}

/** Corrected memory errors (EDAC lines, rasdaemon's mc_event, CPER memory sections) per DIMM and address. */
export interface MemoryHistory { where: string; count: number; first?: string; last?: string; firstOf: MemoryError }

const memWhen = (m: MemoryError): string | undefined => m.time?.toISOString() ?? m.tsNs?.toString();
/** A grouped record (rasdaemon) stands for `count` errors, its last at `lastTime`. */
const memLast = (m: MemoryError): string | undefined => m.lastTime?.toISOString() ?? memWhen(m);

/** Corrected memory errors not after `limit` (when both have wall times), grouped in the order seen. */
export function memoryHistory(errors: readonly MemoryError[], limit: Date | undefined): MemoryHistory[] {
  const groups = new Map<string, MemoryHistory>();
  for (const m of errors) {
    if (m.severity !== 'corrected') continue;
    if (limit && m.time && m.time.getTime() > limit.getTime()) continue;
    const dimm = m.label ?? m.dimm ?? (m.card !== undefined ? `memory controller ${m.card}` : 'an unnamed DIMM');
    const where = `${dimm}${m.physAddr !== undefined ? ` at ${hex(m.physAddr)}` : ''}`;
    const g = groups.get(where);
    const when = memWhen(m);
    if (!g) {
      const ng: MemoryHistory = { where, count: m.count ?? 1, firstOf: m };
      if (when !== undefined) { ng.first = when; ng.last = memLast(m); }
      groups.set(where, ng);
      continue;
    }
    g.count += m.count ?? 1;
    if (when !== undefined) g.last = memLast(m);
  }
  return [...groups.values()];
}
