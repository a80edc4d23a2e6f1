// A boot known to have died that left no crash report: say so, and where to look.
import type { Incident } from '../model/index.js';
import type { BootFacts } from './facts.js';
import { EvidenceList } from './shared.js';
import { titleSignature } from './signature.js';

/**
 * A log the kernel dumped because it panicked or oopsed: pstore_dump()'s "Panic#1 Part1"
 * reason, which the pstore and ERST readers keep in the record id (fs/pstore/platform.c).
 * A log merely kept by a crash-time store is not enough: max_reason also keeps clean ends.
 */
const CRASH_REASON = /\b(?:Panic|Oops|Emergency)#\d+/;
/** The last lines of a boot that shut down on purpose (kernel/reboot.c). */
const CLEAN_END = /^reboot: (?:Restarting system|Power down|System halted)|^(?:Restarting system|Power down|System halted)\.?$/;
const CLEAN_END_LINES = 20;

export const WHERE_TO_LOOK = [
  'ACPI BERT (/sys/firmware/acpi/tables/data/BERT): the firmware records a fatal hardware error that reset the machine',
  'the BMC event log (ipmitool sel elist): power loss, watchdog resets, thermal trips, fatal PCIe and memory errors',
  'a hardware watchdog reset reason (iTCO_wdt / sp5100_tco "boot status", the BMC watchdog log)',
  'the serial or network console of the last seconds (console=ttyS0, netconsole): pstore keeps only what was flushed',
];

function diedWhy(f: BootFacts): { why: string; source: Incident['evidence'][number]['source'] } | undefined {
  const dump = f.boot.dumps[0];
  if (dump) return { why: dump.live ? 'a memory dump was taken of this boot while it was live' : 'a memory dump was taken of this boot', source: dump.source };
  const tail = f.boot.messages.slice(-CLEAN_END_LINES);
  if (tail.some((m) => CLEAN_END.test(m.text))) return undefined;
  const dumped = f.boot.messages.find((m) => m.source.id !== undefined && CRASH_REASON.test(m.source.id));
  if (dumped) return { why: `the kernel dumped its log for a crash (${dumped.source.id})`, source: dumped.source };
  return undefined;
}

export function unknownIncident(f: BootFacts): Incident | undefined {
  const died = diedWhy(f);
  if (!died) return undefined;
  const ev = new EvidenceList();
  const live = f.boot.dumps.some((d) => d.live);
  ev.add(`This boot died: ${died.why}`, died.source);
  if (f.last) ev.add(`The log stops at "${f.last.text.slice(0, 160)}" with no crash report, panic or machine check`, f.last.source);
  ev.add('Confidence 0.3: nothing in the records says why the boot ended', died.source);
  const inc: Incident = {
    boot: f.boot.key, cause: 'unknown', kind: live ? 'hang' : 'reset',
    title: live ? 'hang: dump of a live system with no crash report' : 'unexplained reset: the log stops with no crash report',
    events: [], evidence: ev.items, missing: [...WHERE_TO_LOOK], confidence: 0.3,
  };
  if (live) inc.hung = true;
  if (f.boot.release) inc.release = f.boot.release;
  if (f.endWall) inc.time = f.endWall.toISOString();
  return inc;
}

/** What collect's clean-shutdown mark (src/collect/bootmark.ts) says of a boot that was reset. */
export interface UncleanEnd {
  /** The boot's kernel boot_id. */
  boot: string;
  /** When collect first ran in it (the boot was alive then). */
  since: string;
  /** The mark file. */
  path: string;
}

export const UNCLEAN_RESET_TITLE = 'unclean reset, no records';

/**
 * A boot that never reached its shutdown (its mark still says "running") and left no crash
 * record anywhere collect reads. Only the reset is claimed, on the mark's word; why is
 * unknown, so the verdict says where the reason may still be.
 */
export function uncleanResetIncident(u: UncleanEnd): Incident {
  const source = { backend: 'crashlog', path: u.path, id: u.boot };
  const ev = new EvidenceList();
  ev.add(`Boot ${u.boot} was running at ${u.since} (crashlog collect ran then) and was never shut down: its unit's stop at shutdown did not mark it clean`, source);
  ev.add('No crash record of it: pstore, the EFI variables, BERT and systemd-pstore\'s archive held nothing new', source);
  ev.add('Confidence 0.6: the mark says the boot was reset (power loss, a watchdog, a hang, a firmware reset); nothing says why', source);
  const inc: Incident = {
    boot: u.boot, cause: 'unknown', kind: 'reset', title: UNCLEAN_RESET_TITLE,
    events: [], evidence: ev.items, missing: [`the journal of that boot, if it was kept (journalctl -b ${u.boot} -n 100): the last things done`, ...WHERE_TO_LOOK], confidence: 0.6,
  };
  inc.signature = titleSignature(inc);
  return inc;
}
