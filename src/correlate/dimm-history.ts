// Corrected-error history per DIMM across every boot of the timeline (an archive holds
// many): counts, first and last seen, boots, rate per day, and a replace line past a
// threshold. The threshold is a count within a window, as mcelog's [dimm]
// ce-error-threshold ("10 / 24h", its default; mcelog.conf) and rasdaemon's
// PAGE_CE_THRESHOLD with PAGE_CE_REFRESH_CYCLE ("50" per "24h") put it.
// Errors with no DIMM are kept per bank and page, as the issue asks.
// A boot whose rasdaemon database holds memory events is counted from those alone: the
// EDAC lines of its log are the same events printed. The correlator shows every boot
// (see), in order, and asks for each incident (attach): no boot is parsed twice.
import type { DimmHistory, Incident, IncidentDimm, MemoryError, SourceRef } from '../model/index.js';
import { hex } from '../mce/bits.js';
import { wallAt } from '../timeline/clock.js';
import type { BootFacts } from './facts.js';
import { significantAddrOf } from './history.js';
import { type MachineIndex, dimmName, incidentDimm } from './dimm-machine.js';
import { isMemoryControllerError, resolveMemoryError } from './dimm-resolve.js';

export interface DimmThreshold { count: number; perMs: number; text: string }
export interface DimmHistoryOptions { threshold?: DimmThreshold }

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** "10/24h", "50 / 1d": a count within a window (mcelog's syntax; rasdaemon's cycle units). */
export function parseThreshold(s: string): DimmThreshold | undefined {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*([smhd])\s*$/.exec(s);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return undefined;
  return { count: Number(m[1]), perMs: Number(m[2]) * UNITS[m[3]!]!, text: `${m[1]} per ${m[2]}${m[3]}` };
}
/** mcelog's default for one DIMM (mcelog.conf [dimm] ce-error-threshold "10 / 24h": "the default of 10/24h is reasonable for server quality DDR3 DIMMs"). */
export const DEFAULT_THRESHOLD = parseThreshold('10/24h')!;
/** History rows kept per incident, the incident's own DIMM first. */
const MAX_ROWS = 20;
const DAY_MS = 86_400_000;

/** t: the (first) error's time; last: a grouped record's last (rasdaemon), when it has one. */
interface Ev { t?: number; last?: number; count: number; boot: number; source: SourceRef }
interface Key { where: string; dimm?: IncidentDimm; events: Ev[] }

export class DimmHistoryIndex {
  private readonly keys = new Map<string, Key>();
  /** Boots seen, in the correlator's order; an incident counts those up to its own. */
  private readonly bootIndex = new Map<string, number>();
  private readonly threshold: DimmThreshold;

  constructor(private readonly idx: MachineIndex | undefined, opts: DimmHistoryOptions = {}) {
    this.threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  }

  private add(where: string, dimm: IncidentDimm | undefined, ev: Ev): void {
    let k = this.keys.get(where);
    if (!k) this.keys.set(where, (k = { where, ...(dimm ? { dimm } : {}), events: [] }));
    k.events.push(ev);
  }

  /** A boot's corrected errors, from the facts the correlator made of it (merged, graded). */
  see(f: BootFacts): void {
    if (this.bootIndex.has(f.boot.key)) return;
    const i = this.bootIndex.size;
    this.bootIndex.set(f.boot.key, i);
    const b = f.boot;
    const fromRas = b.memoryErrors.some((e) => e.source.backend === 'rasdaemon');
    const own = fromRas ? new Set<MemoryError>(b.memoryErrors) : undefined;
    for (const e of f.memoryErrors) {
      if (e.severity !== 'corrected' || (own && !own.has(e))) continue;
      const hit = resolveMemoryError(e, this.idx);
      const t = (e.time ?? wallAt(b, e.tsNs))?.getTime();
      const ev: Ev = { count: e.count ?? 1, boot: i, source: e.source, ...(t !== undefined ? { t } : {}), ...(e.lastTime ? { last: e.lastTime.getTime() } : {}) };
      if (hit?.dimm) this.add(dimmName(hit.dimm), incidentDimm(hit.dimm, hit.label), ev);
      else if (hit?.label) this.add(hit.label, { label: hit.label }, ev);
      else if (e.physAddr !== undefined) this.add(`memory page ${hex((e.physAddr >> 12n) << 12n)}`, undefined, ev);
    }
    f.mces.forEach((mc, k) => {
      if (f.severity[k] !== 'corrected' || !isMemoryControllerError(mc)) return;
      const addr = significantAddrOf(mc);
      if (addr === undefined) return;
      const t = (mc.time ?? wallAt(b, mc.tsNs))?.getTime();
      const ev: Ev = { count: mc.count ?? 1, boot: i, source: mc.source, ...(t !== undefined ? { t } : {}), ...(mc.lastTime ? { last: mc.lastTime.getTime() } : {}) };
      const m = this.idx?.address(addr);
      if (m) this.add(dimmName(m.dimm), incidentDimm(m.dimm), ev);
      else this.add(`bank ${mc.bank} page ${hex((addr >> 12n) << 12n)}`, undefined, ev);
    });
  }

  /** The most errors inside any window of the threshold's length (all of them, without times). */
  private worstWindow(evs: readonly Ev[]): number {
    const timed = evs.filter((e) => e.t !== undefined).sort((a, b) => a.t! - b.t!);
    if (timed.length < evs.length) return evs.reduce((n, e) => n + e.count, 0);
    let best = 0, sum = 0, lo = 0;
    for (let hi = 0; hi < timed.length; hi++) {
      sum += timed[hi]!.count;
      while (timed[hi]!.t! - timed[lo]!.t! > this.threshold.perMs) sum -= timed[lo++]!.count;
      best = Math.max(best, sum);
    }
    return best;
  }

  private row(k: Key, evs: Ev[], fatalHere: boolean): DimmHistory {
    const count = evs.reduce((n, e) => n + e.count, 0);
    const times = evs.map((e) => e.t).filter((t): t is number => t !== undefined);
    const h: DimmHistory = { where: k.where, count, boots: new Set(evs.map((e) => e.boot)).size };
    if (k.dimm) h.dimm = k.dimm;
    // Not Math.min(...times): a million rasdaemon rows are more arguments than a call takes.
    const first = times.length ? times.reduce((a, b) => Math.min(a, b)) : undefined;
    const last = first === undefined ? undefined : evs.reduce((a, e) => Math.max(a, e.last ?? e.t ?? a), first);
    if (first !== undefined && last !== undefined) {
      h.first = new Date(first).toISOString();
      h.last = new Date(last).toISOString();
      h.perDay = Math.round((count / Math.max(1, (last - first) / DAY_MS)) * 10) / 10;
    }
    const worst = this.worstWindow(evs);
    if (worst >= this.threshold.count) {
      const days = first !== undefined && last !== undefined ? Math.max(1, Math.round((last - first) / DAY_MS)) : undefined;
      const serial = k.dimm?.serial ? ` (serial ${k.dimm.serial})` : '';
      h.replace = `${k.where}${serial}: ${count} corrected error${count === 1 ? '' : 's'}${days ? ` in ${days} day${days === 1 ? '' : 's'}` : ''}${fatalHere ? ', then the fatal one' : ''}: replace it` +
        ` (${worst} within ${this.threshold.text}${times.length < evs.length ? ' (some without a time: counted whole)' : ''}, threshold ${this.threshold.count}: mcelog's [dimm] ce-error-threshold)`;
    }
    return h;
  }

  /** History rows for an incident: errors of its boot and the boots before it. */
  attach(inc: Incident, f: BootFacts, add: (inc: Incident, text: string, source: SourceRef) => void): void {
    this.see(f);
    const upTo = this.bootIndex.get(f.boot.key) ?? Number.MAX_SAFE_INTEGER;
    const limit = inc.time ? Date.parse(inc.time) : undefined;
    const own = inc.dimm ? (inc.dimm.bank && inc.dimm.locator ? `${inc.dimm.bank} ${inc.dimm.locator}` : (inc.dimm.locator ?? inc.dimm.label)) : undefined;
    const rows: { h: DimmHistory; source: SourceRef }[] = [];
    for (const k of this.keys.values()) {
      const evs = k.events.filter((e) => e.boot <= upTo && (limit === undefined || e.t === undefined || e.t <= limit));
      if (!evs.length) continue;
      const h = this.row(k, evs, inc.cause === 'hardware' && k.where === own);
      if (inc.cause === 'hardware' || h.replace) rows.push({ h, source: evs[0]!.source });
    }
    if (!rows.length) return;
    rows.sort((a, b) => Number(b.h.where === own) - Number(a.h.where === own) || b.h.count - a.h.count);
    inc.dimmHistory = rows.slice(0, MAX_ROWS).map((r) => r.h);
    for (const { h, source } of rows.slice(0, MAX_ROWS)) {
      const span = h.first ? ` (first ${h.first}, last ${h.last}, ${h.perDay}/day)` : '';
      add(inc, h.replace ?? `${h.where}: ${h.count} corrected error${h.count === 1 ? '' : 's'} over ${h.boots} boot${h.boots === 1 ? '' : 's'}${span}`, source);
    }
  }
}
