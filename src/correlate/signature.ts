// The incident's signature (fleet dedup). Software: the ending event's title and its guilty
// stack's top frames (src/detect/signature.ts), with the lead's first when a trigger (SysRq,
// panic_on_warn, ...) fired on one, so two bugs that both end in "sysrq triggered crash" get
// two signatures and one bug on two machines gets one. Hardware and unknown verdicts have no
// stack: their cause and normalized title, as collect has always signed them.
import type { Incident } from '../model/index.js';
import type { CrashEvent } from '../detect/types.js';
import { signature } from '../detect/signature.js';
import { incidentSignature } from '../collect/signature.js';

export function softwareSignature(end: CrashEvent, crashes: readonly CrashEvent[], inc: Incident): string {
  const lead = inc.lead ? crashes.find((e) => e !== end && e.title === inc.lead!.title) : undefined;
  return signature(end, lead);
}

export function titleSignature(inc: Incident): string {
  return incidentSignature(inc.cause, inc.title);
}
