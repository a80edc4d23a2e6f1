// Incidents from the timeline: per boot, the hardware verdict (a fatal machine check
// ended it), else the software verdict (the detector's crash events), else, for a boot
// known to have died without a word, 'unknown' with what is missing and where to look.
import type { Incident, KernelMessage } from '../model/index.js';
import type { Timeline } from '../timeline/types.js';
import type { CrashEvent } from '../detect/types.js';
import { bootFacts } from './facts.js';
import { hardwareIncident, hardwareSigns, isHardware } from './hardware.js';
import { crashEvents, softwareIncident } from './software.js';
import { unknownIncident } from './unknown.js';
import { dimmJoiner } from './dimm.js';
import { titleSignature } from './signature.js';
import type { DimmHistoryOptions } from './dimm-history.js';

/** Pages a memory dump of the boot was read without (DumpNote.avoided), said before the confidence line. */
function noteAvoided(inc: Incident, boot: Timeline['boots'][number]): void {
  for (const d of boot.dumps) {
    if (!d.avoided?.length) continue;
    const pages = d.avoided.map((a) => `0x${a.toString(16)}`).join(', ');
    const at = inc.evidence.findIndex((e) => e.text.startsWith('Confidence '));
    inc.evidence.splice(at < 0 ? inc.evidence.length : at, 0, {
      text: `The memory dump was read without touching page${d.avoided.length === 1 ? '' : 's'} ${pages} (a machine check reported an uncorrected error there; reading poisoned memory can fault again)`,
      source: d.source,
    });
  }
}

export function correlate(timeline: Timeline, detectEvents: (msgs: readonly KernelMessage[]) => CrashEvent[], opts: DimmHistoryOptions = {}): Incident[] {
  const incidents: Incident[] = [];
  const dimms = dimmJoiner(timeline, opts);
  for (const boot of timeline.boots) {
    const f = bootFacts(boot, detectEvents);
    dimms.see(f);
    const signs = hardwareSigns(f);
    const crashes = crashEvents(f.events);
    const last = crashes[crashes.length - 1];
    // A software panic that plainly ended the boot wins over a machine-check record.
    const softwareEnd = last !== undefined && last.endsBoot && last.kind !== 'machine-check' && !signs.mcePanic;
    const inc = isHardware(signs) && !softwareEnd ? hardwareIncident(f, signs) : (softwareIncident(f) ?? unknownIncident(f));
    if (!inc) continue;
    noteAvoided(inc, boot);
    inc.signature ??= titleSignature(inc);
    incidents.push(dimms.join(inc, f));
  }
  return incidents;
}
