// The hardware verdict: a boot that ended in a fatal machine check. Evidence, strongest
// first: a panic naming a machine check, a struct mce written at the panic (pstore
// mce-*, an ERST/CPER MCE section), the firmware's BERT record, a slim dump's PANIC_MCE
// note, a fatal machine check printed at the end of the log.
import type { Incident, MachineCheck, MemoryError, SourceRef } from '../model/index.js';
import { decodeMce, mceDetails } from '../mce/decode.js';
import { hex } from '../mce/bits.js';
import type { BootFacts } from './facts.js';
import { EvidenceList, alsoSeen, incidentEvents } from './shared.js';
import { correctedBefore, memoryHistory, significantAddrOf as significantAddr } from './history.js';

/** The kernel's mce_panic() messages (arch/x86/kernel/cpu/mce/core.c). */
export const MCE_PANIC_TEXT = /machine check|^Timeout: Not all CPUs entered|^MCA architectural violation|^LMCE not on BSP/i;
/** Backends whose machine-check records the kernel or firmware writes only for a fatal error. */
const WRITTEN_AT_PANIC = new Set(['pstore', 'erst', 'bert']);
/** A fatal machine check printed this close to the log's end belongs to that end. */
const END_WINDOW_NS = 60n * 1_000_000_000n;
const END_WINDOW_MS = 120_000;

export function writtenAtPanic(mc: MachineCheck): boolean {
  return WRITTEN_AT_PANIC.has(mc.source.backend) || (mc.alsoIn ?? []).some((s) => WRITTEN_AT_PANIC.has(s.backend));
}

function nearEnd(mc: MachineCheck, f: BootFacts): boolean {
  if (f.boot.messages.length === 0) return true;
  const lastTs = f.panic?.tsNs ?? f.last?.tsNs;
  if (mc.tsNs !== undefined && lastTs !== undefined && lastTs - mc.tsNs <= END_WINDOW_NS) return true;
  return mc.time !== undefined && f.endWall !== undefined && Math.abs(mc.time.getTime() - f.endWall.getTime()) <= END_WINDOW_MS;
}

/** The machine checks that ended the boot. */
export function endingMces(f: BootFacts): MachineCheck[] {
  return f.mces.filter((mc, i) => {
    const sev = f.severity[i];
    if (sev === 'fatal') return writtenAtPanic(mc) || nearEnd(mc, f);
    return sev === 'uncorrected' && writtenAtPanic(mc);
  });
}

export interface HardwareSigns {
  mcePanic: boolean;
  ending: MachineCheck[];
  panicMceNote?: BootFacts['boot']['dumps'][number];
  bert: MemoryError[];
}

export function hardwareSigns(f: BootFacts): HardwareSigns {
  const mcePanic = (f.panic !== undefined && MCE_PANIC_TEXT.test(f.panic.text)) || f.events.some((e) => e.kind === 'machine-check' && e.endsBoot);
  const s: HardwareSigns = {
    mcePanic,
    ending: endingMces(f),
    bert: f.memoryErrors.filter((m) => m.source.backend === 'bert' && (m.severity === 'fatal' || m.severity === 'uncorrected')),
  };
  const note = f.boot.dumps.find((d) => d.noCoredumpReason === 'PANIC_MCE');
  if (note) s.panicMceNote = note;
  return s;
}

export function isHardware(s: HardwareSigns): boolean {
  return s.mcePanic || s.ending.length > 0 || s.panicMceNote !== undefined || s.bert.length > 0;
}

function confidenceOf(s: HardwareSigns): { value: number; why: string } {
  const record = s.ending.length > 0;
  if (s.mcePanic && record) return { value: 0.97, why: 'the panic names a machine check and the machine-check record decodes as fatal' };
  if (record && s.ending.some(writtenAtPanic)) return { value: 0.9, why: 'a fatal machine-check record written at the panic, but no panic line was kept' };
  if (s.mcePanic) return { value: 0.85, why: 'the panic names a machine check, but no record of its registers was kept' };
  if (record) return { value: 0.8, why: 'a fatal machine check at the end of the boot, without a panic line' };
  if (s.panicMceNote) return { value: 0.8, why: "only the dump's PANIC_MCE note says a machine check ended this boot" };
  return { value: 0.7, why: "only the firmware's BERT record says a fatal error ended the previous boot" };
}

function anySource(f: BootFacts, s: HardwareSigns, primary: MachineCheck | undefined): SourceRef {
  return f.panic?.source ?? primary?.source ?? s.panicMceNote?.source ?? s.bert[0]?.source
    ?? f.events.find((e) => e.endsBoot)?.source ?? f.last?.source ?? { backend: 'timeline', path: f.boot.key };
}

export function hardwareIncident(f: BootFacts, s: HardwareSigns): Incident {
  const ev = new EvidenceList();
  const fatal = s.ending;
  // A broadcast MCE is logged by every CPU; the bank that holds the address names the fault.
  const primary = fatal.find((mc) => significantAddr(mc) !== undefined) ?? fatal[0];
  const inc: Incident = {
    boot: f.boot.key, cause: 'hardware', kind: 'machine-check', title: '',
    events: incidentEvents(f.events, f.boot.messages), evidence: ev.items, confidence: 0,
  };
  if (f.boot.release) inc.release = f.boot.release;
  if (f.panic) {
    inc.panic = f.panic.text;
    ev.add(`Kernel panic - not syncing: ${f.panic.text}`, f.panic.source);
  }
  if (primary) {
    const d = mceDetails(primary);
    inc.title = `machine check: ${d.code.text}${primary.cpu !== undefined ? ` on CPU ${primary.cpu}` : ''}, bank ${primary.bank}`;
    inc.mce = fatal.map((mc) => decodeMce(mc));
    for (const mc of fatal) {
      const where = [mc.cpu !== undefined ? `CPU ${mc.cpu}` : undefined, mc.socket !== undefined ? `socket ${mc.socket}` : undefined, `bank ${mc.bank}`].filter(Boolean).join(', ');
      ev.add(`${where}: status ${hex(mc.status)}: ${mceDetails(mc).code.text}${alsoSeen(mc.alsoIn)}`, mc.source);
    }
    const addr = significantAddr(primary);
    if (addr !== undefined) ev.add(`Faulting address ${hex(addr)}, page frame ${hex(addr >> 12n)}`, primary.source);
    if (primary.time) inc.time = primary.time.toISOString();
  } else {
    inc.title = f.panic ? `machine check: ${f.panic.text}` : s.panicMceNote ? 'machine check: dump note PANIC_MCE' : 'machine check: fatal error recorded by firmware (BERT)';
  }
  if (!inc.time && f.endWall) inc.time = f.endWall.toISOString();
  const { history, firstOf } = correctedBefore(f.mces, f.severity, primary);
  if (history.length) {
    inc.correctedBefore = history;
    history.forEach((h, i) => ev.add(`${h.count} corrected error${h.count === 1 ? '' : 's'} on bank ${h.bank}${h.addr ? ` at ${h.addr}` : ''} before the fatal one${h.first ? ` (first ${h.first}, last ${h.last})` : ''}`, firstOf[i]!.source));
    history.forEach((h, i) => {
      if (h.atFatalAddress) ev.add(`The fatal error hit ${h.addr}, where ${h.count} corrected error${h.count === 1 ? ' was' : 's were'} reported before it: the memory there is failing (replace the DIMM, or offline the page)`, firstOf[i]!.source);
    });
  }
  for (const h of memoryHistory(f.memoryErrors, primary?.time)) {
    ev.add(`${h.count} corrected memory error${h.count === 1 ? '' : 's'} on ${h.where} (${h.firstOf.source.backend}) before the fatal one${h.first ? ` (first ${h.first}, last ${h.last})` : ''}`, h.firstOf.source);
  }
  if (s.panicMceNote) ev.add("The dump's NT_NOCOREDUMP note says PANIC_MCE: the kernel panicked on a machine check", s.panicMceNote.source);
  for (const m of s.bert) ev.add(`Firmware BERT record: ${m.severity} memory error${m.physAddr !== undefined ? ` at ${hex(m.physAddr)}` : ''}${m.label ?? m.dimm ? ` (${m.label ?? m.dimm})` : ''}`, m.source);
  const c = confidenceOf(s);
  inc.confidence = c.value;
  ev.add(`Confidence ${c.value}: ${c.why}`, anySource(f, s, primary));
  return inc;
}
