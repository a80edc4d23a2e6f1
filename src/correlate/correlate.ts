// Incidents from the timeline: per boot, the hardware verdict (a fatal machine check
// ended it), else the software verdict (the detector's crash events), else, for a boot
// known to have died without a word, 'unknown' with what is missing and where to look.
import type { Incident, KernelMessage, MachineInfo } from '../model/index.js';
import type { Boot, Timeline } from '../timeline/types.js';
import type { CrashEvent } from '../detect/types.js';
import { bootFacts } from './facts.js';
import { hardwareIncident, hardwareSigns, isHardware } from './hardware.js';
import { crashEvents, softwareIncident } from './software.js';
import { unknownIncident } from './unknown.js';
import { dimmJoiner } from './dimm.js';
import { titleSignature } from './signature.js';
import type { DimmHistoryOptions } from './dimm-history.js';

/** Pages a memory dump of the boot was read without (DumpNote.avoided), said before the confidence line. */
function noteAvoided(inc: Incident, boot: Boot): void {
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

/** Incidents boot by boot, in order (the DIMM history carries from one boot to the next). */
export class Correlator {
  private readonly dimms: ReturnType<typeof dimmJoiner>;
  constructor(
    machines: Timeline | MachineInfo[],
    private readonly detectEvents: (msgs: readonly KernelMessage[]) => CrashEvent[],
    opts: DimmHistoryOptions = {},
  ) {
    this.dimms = dimmJoiner(machines, opts);
  }

  boot(boot: Boot): Incident | undefined {
    const f = bootFacts(boot, this.detectEvents);
    this.dimms.see(f);
    const signs = hardwareSigns(f);
    const crashes = crashEvents(f.events);
    const last = crashes[crashes.length - 1];
    // A software panic that plainly ended the boot wins over a machine-check record.
    const softwareEnd = last !== undefined && last.endsBoot && last.kind !== 'machine-check' && !signs.mcePanic;
    const inc = isHardware(signs) && !softwareEnd ? hardwareIncident(f, signs) : (softwareIncident(f) ?? unknownIncident(f));
    if (!inc) return undefined;
    noteAvoided(inc, boot);
    inc.signature ??= titleSignature(inc);
    return this.dimms.join(inc, f);
  }
}

export function correlate(timeline: Timeline, detectEvents: (msgs: readonly KernelMessage[]) => CrashEvent[], opts: DimmHistoryOptions = {}): Incident[] {
  const c = new Correlator(timeline, detectEvents, opts);
  const incidents: Incident[] = [];
  for (const boot of timeline.boots) {
    const inc = c.boot(boot);
    if (inc) incidents.push(inc);
  }
  return incidents;
}
