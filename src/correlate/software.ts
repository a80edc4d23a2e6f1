// The software verdict: the detector's crash events, the one that ended the boot as the
// title (the panic, else the last oops), everything in order.
import type { Incident } from '../model/index.js';
import type { CrashEvent } from '../detect/types.js';
import { hex } from '../mce/bits.js';
import type { BootFacts } from './facts.js';
import { EvidenceList, asIncidentKind, incidentEvents } from './shared.js';

/** Corrected machine checks are events the detector lists, not crashes of their own. */
export function crashEvents(events: readonly CrashEvent[]): CrashEvent[] {
  return events.filter((e) => e.kind !== 'machine-check' || e.endsBoot);
}

function endingEvent(events: readonly CrashEvent[]): CrashEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.endsBoot) return events[i];
  for (let i = events.length - 1; i >= 0; i--) if (events[i]!.kind !== 'warning') return events[i];
  return events[events.length - 1];
}

export function softwareIncident(f: BootFacts): Incident | undefined {
  const crashes = crashEvents(f.events);
  const end = endingEvent(crashes);
  if (!end) return undefined;
  const ev = new EvidenceList();
  const inc: Incident = {
    boot: f.boot.key, cause: 'software', kind: asIncidentKind(end.kind), title: end.title,
    events: incidentEvents(f.events), evidence: ev.items, confidence: 0,
  };
  if (f.boot.release ?? end.release) inc.release = (f.boot.release ?? end.release)!;
  // The ending event names the culprit; a bare panic (sysrq, "Fatal exception") takes it
  // from the report before it.
  const upTo = crashes.slice(0, crashes.indexOf(end) + 1).reverse();
  const fn = upTo.find((e) => e.function)?.function;
  const mod = upTo.find((e) => e.module)?.module;
  const taint = upTo.find((e) => e.taint)?.taint;
  if (fn) inc.function = fn;
  if (mod) inc.module = mod;
  if (taint) inc.taint = taint;
  if (f.panic) inc.panic = f.panic.text;
  for (const e of crashes) ev.add(e === end ? `${e.title} ended the boot` : e.title, e.source);
  const live = f.boot.dumps.find((d) => d.live);
  let confidence = end.endsBoot ? 0.95 : 0.85;
  let why = end.endsBoot ? 'the log shows the report that ended the boot' : 'a crash report without a panic line: the log may be cut, or the kernel went on';
  if (live && !f.panic) {
    inc.hung = true;
    ev.add('The memory dump was taken of a live system: the kernel never panicked', live.source);
    confidence = 0.85;
    why = 'the system was hung when its memory was dumped; the last report is the likely cause';
  }
  if (end.corrupted) {
    confidence -= 0.2;
    why += '; the report was cut or interleaved, so its title is a best effort';
  }
  f.mces.forEach((mc, i) => {
    const sev = f.severity[i]!;
    if (sev === 'corrected' || sev === 'deferred') return;
    ev.add(`A ${sev} machine check was also logged (bank ${mc.bank}, status ${hex(mc.status)}): check the hardware too`, mc.source);
  });
  if (!inc.time && f.endWall) inc.time = f.endWall.toISOString();
  inc.confidence = Math.round(confidence * 100) / 100;
  ev.add(`Confidence ${inc.confidence}: ${why}`, end.source);
  return inc;
}
