// Kernel time -> wall clock. Anchors: a line whose source records its wall time
// (journal __REALTIME_TIMESTAMP, syslog time, a pstore dump's time on its newest line),
// and the MCE "PROCESSOR v:cpuid TIME t" line, which prints the wall time of the event.
import type { KernelMessage } from '../model/index.js';
import type { Boot } from './types.js';
import { dateAt, validDate } from '../util/time.js';

const MCE_TIME = /\[Hardware Error\]: PROCESSOR \S+ TIME (\d{1,12}) /;

function anchorOf(m: KernelMessage): { wall: Date; why: string } | undefined {
  if (validDate(m.wallTime)) return { wall: m.wallTime!, why: `${m.source.backend} time of ${m.source.path}` };
  const t = m.text.includes('[Hardware Error]: PROCESSOR ') ? MCE_TIME.exec(m.text) : null;
  const wall = t ? dateAt(Number(t[1]) * 1000) : undefined;
  if (wall) return { wall, why: 'machine-check TIME in the log' };
  return undefined;
}

/** Set boot.clock from the latest anchor, or boot.noClock saying why there is none. */
export function findClock(boot: Boot): void {
  for (let i = boot.messages.length - 1; i >= 0; i--) {
    const m = boot.messages[i]!;
    if (m.tsNs === undefined) continue;
    const a = anchorOf(m);
    if (a) {
      boot.clock = { tsNs: m.tsNs, wall: a.wall, why: a.why };
      delete boot.noClock;
      return;
    }
  }
  boot.noClock = 'no record of this boot gives a wall-clock time (pstore copies keep none; a journal, syslog, EFI record name or machine-check TIME would)';
}

export function wallAt(boot: Boot, tsNs: bigint | undefined): Date | undefined {
  if (!boot.clock || tsNs === undefined) return undefined;
  // A kernel time far from the anchor's (a damaged line) maps to no date rather than an invalid one.
  return dateAt(boot.clock.wall.getTime() + Number((tsNs - boot.clock.tsNs) / 1_000_000n));
}

/** Wall-clock span of a boot's log, when it has a clock. */
export function wallSpan(boot: Boot): { start: Date; end: Date } | undefined {
  const timed = boot.messages.filter((m) => m.tsNs !== undefined);
  if (!boot.clock || timed.length === 0) return undefined;
  const start = wallAt(boot, timed[0]!.tsNs);
  const end = wallAt(boot, timed[timed.length - 1]!.tsNs);
  return start && end ? { start, end } : undefined;
}
