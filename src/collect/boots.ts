// One archive entry per crashed boot: the new records are grouped by the boot the
// timeline puts them in. Every boot with a crash of its own (a report, a machine check, a
// dump) is an entry of its own: two crashed boots never share one (boot keys and entry
// names must tell them apart). Records of a boot with no crash (a console fragment the
// timeline could not join, a pmsg blob, an unreadable record) join the newest crashed
// boot's entry; when the analysis fails, all records make one entry (they are archived all
// the same: grouping must never stand between a record and the archive).
import type { CrashEvent } from '../detect/types.js';
import type { KernelMessage, SourceRef } from '../model/index.js';
import type { Boot } from '../timeline/types.js';
import type { SourceRecord } from './sources.js';

export type DetectEvents = (messages: readonly KernelMessage[]) => CrashEvent[];

function crashed(b: Boot, events: DetectEvents): boolean {
  return b.mces.length > 0 || b.memoryErrors.length > 0 || b.dumps.length > 0 || (b.messages.length > 0 && events(b.messages).length > 0);
}

/**
 * The fresh records in groups, one per crashed boot, oldest first, from the boots of the
 * timeline read from their copies; `copyOf` is where a record's copy was read (the path its
 * records' sources name).
 */
export function groupByBoot(boots: readonly Boot[], fresh: SourceRecord[], copyOf: (r: SourceRecord) => string, events: DetectEvents): SourceRecord[][] {
  if (fresh.length < 2) return [fresh];
  const bootOf = new Map<string, number>();
  boots.forEach((b, i) => {
    if (!crashed(b, events)) return;
    for (const r of [...b.messages, ...b.mces, ...b.memoryErrors, ...b.dumps, ...b.blobs]) {
      const refs: SourceRef[] = [r.source, ...('alsoIn' in r ? (r.alsoIn ?? []) : [])];
      for (const s of refs) if (!bootOf.has(s.path)) bootOf.set(s.path, i);
    }
  });
  const groups = new Map<number, SourceRecord[]>();
  const loose: SourceRecord[] = [];
  for (const r of fresh) {
    const b = bootOf.get(copyOf(r));
    if (b === undefined) loose.push(r);
    else if (groups.has(b)) groups.get(b)!.push(r);
    else groups.set(b, [r]);
  }
  const ordered = [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
  if (ordered.length === 0) return [loose];
  const newest = ordered[ordered.length - 1]!;
  for (const r of loose) newest.push(r);
  return ordered;
}
