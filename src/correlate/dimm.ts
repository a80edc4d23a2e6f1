// Which DIMM a hardware verdict is about: its uncorrected memory errors, each resolved
// as dimm-resolve.ts says, else the fatal machine check's address through SMBIOS (or a
// memory error at the same page); and the hook the correlator calls per incident.
import type { DimmInfo, Incident, MachineCheck, MachineInfo, MemoryError, SourceRef } from '../model/index.js';
import { isMemoryControllerError, resolveMemoryError, type DimmHit } from './dimm-resolve.js';
import type { Timeline } from '../timeline/types.js';
import { hex } from '../mce/bits.js';
import type { BootFacts } from './facts.js';
import { endingMces } from './hardware.js';
import { significantAddrOf } from './history.js';
import { type MachineIndex, dimmName, incidentDimm, machineIndexOf } from './dimm-machine.js';
import { DimmHistoryIndex, type DimmHistoryOptions } from './dimm-history.js';

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;
const fatalFirst = (a: MemoryError): number => (a.severity === 'fatal' ? 0 : a.severity === 'uncorrected' ? 1 : 2);

/** The DIMM of a hardware incident: its uncorrected memory errors first, then the fatal machine check's address. */
export function incidentDimmHit(f: BootFacts, idx: MachineIndex | undefined): DimmHit | undefined {
  const bad = f.memoryErrors.filter((e) => e.severity === 'fatal' || e.severity === 'uncorrected').sort((a, b) => fatalFirst(a) - fatalFirst(b));
  const hits = bad.map((e) => resolveMemoryError(e, idx)).filter((h): h is DimmHit => h !== undefined);
  const named = hits.find((h) => h.dimm) ?? hits[0];
  if (named?.dimm) return named;
  const ending: MachineCheck[] = endingMces(f);
  for (const mc of ending) {
    if (!isMemoryControllerError(mc)) continue;
    const addr = significantAddrOf(mc);
    if (addr === undefined) continue;
    const m = idx?.address(addr);
    if (m) return { dimm: m.dimm, how: `the fatal machine check's ${m.how}`, source: mc.source };
    // A corrected error the platform placed on a DIMM, at the same page, names it too.
    const page = addr >> 12n;
    const t = f.memoryErrors.filter((e) => e.physAddr !== undefined && e.physAddr >> 12n === page).map((e) => resolveMemoryError(e, idx)).find((h) => h !== undefined);
    if (t) return { ...t, how: `a memory error at the same page (${hex(page << 12n)}) names it: ${t.how}` };
  }
  return named;
}

function addEvidence(inc: Incident, text: string, source: SourceRef): void {
  const last = inc.evidence[inc.evidence.length - 1];
  const at = last && last.text.startsWith('Confidence ') ? inc.evidence.length - 1 : inc.evidence.length;
  inc.evidence.splice(at, 0, { text, source });
}

function describe(d: DimmInfo): string {
  return [d.size, d.manufacturer, d.serial ? `serial ${d.serial}` : undefined, d.partNumber ? `part ${d.partNumber}` : undefined, `SMBIOS handle ${hex4(d.handle)}`].filter(Boolean).join(', ');
}

export function attachDimm(inc: Incident, f: BootFacts, idx: MachineIndex | undefined): void {
  const hit = incidentDimmHit(f, idx);
  if (!hit) return;
  if (hit.dimm) {
    inc.dimm = incidentDimm(hit.dimm, hit.label);
    addEvidence(inc, `DIMM ${dimmName(hit.dimm)}: ${hit.how}`, hit.source);
    addEvidence(inc, `SMBIOS type 17 ${dimmName(hit.dimm)}: ${describe(hit.dimm)}`, { ...idx!.machine.source, offset: hit.dimm.offset });
  } else if (hit.label) {
    inc.dimm = { label: hit.label };
    addEvidence(inc, `DIMM ${hit.label}: ${hit.how}`, hit.source);
  }
}

/** What the correlator calls: `see` every boot's facts in order, `join` each incident. */
export interface DimmJoiner {
  see(f: BootFacts): void;
  join(inc: Incident, f: BootFacts): Incident;
}

/**
 * The correlator's hook, made once per timeline. Hardware verdicts get their DIMM; every
 * verdict gets the corrected-error history of the DIMMs over the boots up to its own,
 * with the replace line past the threshold.
 */
export function dimmJoiner(machines: Timeline | MachineInfo[], opts: DimmHistoryOptions = {}): DimmJoiner {
  const idx = machineIndexOf(machines);
  const history = new DimmHistoryIndex(idx, opts);
  return {
    see: (f) => history.see(f),
    join(inc, f) {
      if (inc.cause === 'hardware') attachDimm(inc, f, idx);
      history.attach(inc, f, addEvidence);
      return inc;
    },
  };
}
