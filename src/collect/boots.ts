// One archive entry per crashed boot: the new records are grouped by the boot the
// timeline puts them in. Every boot with a crash of its own (a report, a machine check, a
// dump) is an entry of its own: two crashed boots never share one (boot keys and entry
// names must tell them apart). Records of a boot with no crash (a console fragment the
// timeline could not join, a pmsg blob, an unreadable record) join the newest crashed
// boot's entry; when the analysis fails, all records make one entry (they are archived all
// the same: grouping must never stand between a record and the archive).
import { readTimeline } from '../analyze.js';
import { detect } from '../detect/index.js';
import type { Boot } from '../timeline/types.js';
import type { SourceRef } from '../model/index.js';
import type { SourceRecord, SourceSpec } from './sources.js';

function crashed(b: Boot): boolean {
  return b.mces.length > 0 || b.memoryErrors.length > 0 || b.dumps.length > 0 || (b.messages.length > 0 && detect(b.messages).length > 0);
}

export async function groupByBoot(fresh: SourceRecord[], specs: SourceSpec[]): Promise<SourceRecord[][]> {
  if (fresh.length < 2) return [fresh];
  let boots;
  try {
    boots = (await readTimeline(specs.filter((s) => fresh.some((r) => r.kind === s.kind)).map((s) => s.path))).timeline.boots;
  } catch {
    return [fresh];
  }
  const bootOf = new Map<string, number>();
  boots.forEach((b, i) => {
    if (!crashed(b)) return;
    for (const r of [...b.messages, ...b.mces, ...b.memoryErrors, ...b.dumps, ...b.blobs]) {
      const refs: SourceRef[] = [r.source, ...('alsoIn' in r ? (r.alsoIn ?? []) : [])];
      for (const s of refs) if (!bootOf.has(s.path)) bootOf.set(s.path, i);
    }
  });
  const groups = new Map<number, SourceRecord[]>();
  const loose: SourceRecord[] = [];
  for (const r of fresh) {
    const b = bootOf.get(r.path);
    if (b === undefined) loose.push(r);
    else groups.set(b, [...(groups.get(b) ?? []), r]);
  }
  const ordered = [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
  if (ordered.length === 0) return [loose];
  const newest = ordered[ordered.length - 1]!;
  for (const r of loose) newest.push(r);
  return ordered;
}
