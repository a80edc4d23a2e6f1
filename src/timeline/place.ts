// Records that are not log lines (machine checks, memory errors, dump notes, blobs) go
// to the boot they belong to: the boot of the same input, else the boot whose
// wall-clock span holds their time, else the last boot; with no boot at all, they make
// one of their own (an MCE-only incident). Boots come with their clocks found.
import type { CrashRecord } from '../model/index.js';
import type { Boot } from './types.js';
import type { InputRecords } from './build.js';
import { findClock, wallSpan } from './clock.js';

/** A record's time may trail the last log line of its boot by this much (the panic path). */
const AFTER_END_MS = 10 * 60 * 1000;

type Placed = Exclude<CrashRecord, { kind: 'kmsg' }>;

function timeOf(r: Placed): Date | undefined {
  return r.kind === 'dump' ? r.crashTime : r.time;
}

function add(boot: Boot, r: Placed): void {
  if (r.kind === 'mce') boot.mces.push(r);
  else if (r.kind === 'memerr') boot.memoryErrors.push(r);
  else if (r.kind === 'dump') {
    boot.dumps.push(r);
    if (r.release && !boot.release) boot.release = r.release;
  } else if (r.kind === 'machine') (boot.machines ??= []).push(r);
  else boot.blobs.push(r);
}

export function placeRecords(
  inputs: InputRecords[],
  boots: { boot: Boot; inputs: Set<number> }[],
  makeBoot: (seed: string) => Boot,
): void {
  const spans = new Map(boots.map((b) => [b, wallSpan(b.boot)]));
  let orphans: Boot | undefined;
  inputs.forEach((inp, i) => {
    let own: typeof boots | undefined;
    for (const r of inp.records) {
      if (r.kind === 'kmsg') continue;
      own ??= boots.filter((b) => b.inputs.has(i));
      const t = timeOf(r)?.getTime();
      const byTime = (cands: typeof boots) =>
        t === undefined
          ? undefined
          : cands.find((b) => {
              const s = spans.get(b);
              return s && t >= s.start.getTime() - AFTER_END_MS && t <= s.end.getTime() + AFTER_END_MS;
            });
      let target = own.length === 1 ? own[0] : (byTime(own.length ? own : boots) ?? (own.length ? own[own.length - 1] : undefined));
      if (!target && boots.length) target = byTime(boots) ?? boots[boots.length - 1];
      if (target) {
        add(target.boot, r);
        continue;
      }
      orphans ??= makeBoot(inp.path);
      add(orphans, r);
    }
  });
  if (orphans) {
    findClock(orphans);
    boots.push({ boot: orphans, inputs: new Set() });
  }
}
