// The software verdict: the detector's crash events, the one that ended the boot as the
// title (the panic, else the first oops: see ending.ts), everything in order.
import type { Incident } from '../model/index.js';
import type { CrashEvent } from '../detect/types.js';
import { hex } from '../mce/bits.js';
import { cleanFunction } from '../detect/frames.js';
import type { BootFacts } from './facts.js';
import { EvidenceList, asIncidentKind } from './shared.js';
import { endingEvent, firstOops, incidentEvents, panicAfterDie, panicCaller } from './ending.js';
import { addOopsDetails } from '../oops/incident.js';
import { isSysrqPanic } from '../oops/trigger.js';
import { softwareSignature } from './signature.js';

/** Corrected machine checks are events the detector lists, not crashes of their own. */
export function crashEvents(events: readonly CrashEvent[]): CrashEvent[] {
  return events.filter((e) => e.kind !== 'machine-check' || e.endsBoot);
}

export function softwareIncident(f: BootFacts): Incident | undefined {
  const crashes = crashEvents(f.events);
  const end = endingEvent(crashes);
  if (!end) return undefined;
  const ev = new EvidenceList();
  const inc: Incident = {
    boot: f.boot.key, cause: 'software', kind: asIncidentKind(end.kind), title: end.title,
    events: incidentEvents(f.events, f.boot.messages), evidence: ev.items, confidence: 0,
  };
  if (f.boot.release ?? end.release) inc.release = (f.boot.release ?? end.release)!;
  // The ending event names the culprit. A panic() called by a module names its caller from
  // its own backtrace; a bare panic (sysrq, "Fatal exception", or any panic after an oops,
  // which prints no backtrace) takes it from the report before it.
  const upTo = crashes.slice(0, crashes.indexOf(end) + 1).reverse();
  const caller = end.panic !== undefined && isSysrqPanic(end.panic) ? undefined : panicCaller(end);
  const fn = caller ? cleanFunction(caller.function) : upTo.find((e) => e.function)?.function;
  const mod = caller ? caller.module : upTo.find((e) => e.module)?.module;
  const taint = upTo.find((e) => e.taint)?.taint;
  const first = firstOops(crashes);
  if (first) {
    inc.firstOops = { title: first.title };
    if (first.function) inc.firstOops.function = first.function;
    if (first.module) inc.firstOops.module = first.module;
  }
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
  // A panic after an oops prints no backtrace of its own: that is whole, not cut (ending.ts).
  if (end.corrupted && !(panicAfterDie(end, crashes) && end.frames.length === 0)) {
    confidence -= 0.2;
    why += '; the report was cut or interleaved, so its title is a best effort';
  }
  f.mces.forEach((mc, i) => {
    const sev = f.severity[i]!;
    if (sev === 'corrected' || sev === 'deferred') return;
    ev.add(`A ${sev} machine check was also logged (bank ${mc.bank}, status ${hex(mc.status)}): check the hardware too`, mc.source);
  });
  addOopsDetails(inc, f.boot.messages, crashes, end); // issue 14: oops block, trigger, lead
  // A dump's VMCOREINFO knows the KASLR offset when the log printed no "Kernel Offset:" line.
  const kaslr = f.boot.dumps.find((d) => d.kernelOffset !== undefined)?.kernelOffset;
  if (inc.oops && inc.oops.kernelOffset === undefined && kaslr !== undefined) inc.oops.kernelOffset = `0x${kaslr.toString(16)}`;
  inc.signature = softwareSignature(end, crashes, inc);
  if (!inc.time && f.endWall) inc.time = f.endWall.toISOString();
  inc.confidence = Math.round(confidence * 100) / 100;
  ev.add(`Confidence ${inc.confidence}: ${why}`, end.source);
  return inc;
}
