// `crashlog mce list`: every machine-check and memory-error record the inputs hold, boot by
// boot, merged across sources (the same error in ERST, the log and rasdaemon is one), each
// decoded as the report decodes it; and counts per DIMM, bank and CPU (as ras-mc-ctl
// --errors and --summary do for rasdaemon's database).
import type { DecodedMce, MemoryError } from '../model/index.js';
import type { Timeline } from '../timeline/types.js';
import { bootErrors } from '../correlate/facts.js';
import { decodeMce } from './decode.js';
import { hex } from './bits.js';

export interface ListedMce { boot: string; mce: DecodedMce; count: number }
export interface ListedMemoryError { boot: string; error: MemoryError }

export function listErrors(t: Timeline): { mces: ListedMce[]; memory: ListedMemoryError[] } {
  const mces: ListedMce[] = [];
  const memory: ListedMemoryError[] = [];
  for (const b of t.boots) {
    const errors = bootErrors(b);
    for (const mc of errors.mces) mces.push({ boot: b.key, mce: decodeMce(mc), count: mc.count ?? 1 });
    for (const e of errors.memoryErrors) memory.push({ boot: b.key, error: e });
  }
  return { mces, memory };
}

export interface SummaryRow { what: string; corrected: number; uncorrected: number; fatal: number }

/** Counts per DIMM (memory errors' labels), per bank and per CPU (machine checks). */
export function summarize(l: ReturnType<typeof listErrors>): { dimms: SummaryRow[]; banks: SummaryRow[]; cpus: SummaryRow[] } {
  const tally = (m: Map<string, SummaryRow>, what: string, sev: string, n: number) => {
    const r = m.get(what) ?? { what, corrected: 0, uncorrected: 0, fatal: 0 };
    if (sev === 'corrected' || sev === 'deferred' || sev === 'info') r.corrected += n;
    else if (sev === 'fatal') r.fatal += n;
    else r.uncorrected += n;
    m.set(what, r);
  };
  const dimms = new Map<string, SummaryRow>();
  const banks = new Map<string, SummaryRow>();
  const cpus = new Map<string, SummaryRow>();
  for (const { error: e } of l.memory) {
    const where = e.label ?? e.dimm ?? (e.card !== undefined ? `memory controller ${e.card}` : e.physAddr !== undefined ? `address ${hex(e.physAddr)}` : 'unknown DIMM');
    tally(dimms, where, e.severity, e.count ?? 1);
  }
  for (const { mce: m, count } of l.mces) {
    tally(banks, `bank ${m.bank}`, m.severity, count);
    if (m.cpu !== undefined) tally(cpus, `CPU ${m.cpu}`, m.severity, count);
  }
  const sorted = (m: Map<string, SummaryRow>) => [...m.values()].sort((a, b) => a.what.localeCompare(b.what, 'en', { numeric: true }));
  return { dimms: sorted(dimms), banks: sorted(banks), cpus: sorted(cpus) };
}
