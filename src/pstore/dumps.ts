// Parts of kmsg dumps -> dumps. pstore_dump() (fs/pstore/platform.c) cuts one dump of the
// log into parts of the backend's record size, newest chunk first, each headed
// "Reason#count PartN"; every store (a pstore directory, ramoops, pstore/zone, ERST, EFI
// variables) then holds the parts as separate records. A reader hands its parts here in
// the order its store holds them and gets each dump back whole: one record id for all its
// lines, oldest part first, its newest line anchored at the time the dump was written.
import type { KernelMessage } from '../model/index.js';
import type { DmesgHeader } from './header.js';

export interface DumpPart {
  /** The part's lines, in order, header line left out: made when its dump is given out,
   * so a store's parts wait as bytes, not as lines (a 64 MiB ramoops region: 90 MB, not 320). */
  lines: () => KernelMessage[];
  header?: DmesgHeader;
  /** The store the part is in, as pstore names its records: "dmesg-ramoops", "dmesg-erst". */
  store: string;
  /** When the part was written (the record's time), where the store keeps it. */
  time?: Date;
}

/** The parts of one dump are written within seconds (EFI variables are slow to write). */
const SAME_DUMP_MS = 10_000;
/** Dumps with one header looked back through for a part's dump: a dump's parts lie together. */
const LOOK_BACK = 8;

/** A part fits a dump that lacks its part number and, where both have times, was written then. */
function fits(d: { parts: readonly PartInfo[]; time?: number }, p: PartInfo): boolean {
  if (d.parts.some((q) => q.header!.part === p.header!.part)) return false;
  return d.time === undefined || p.time === undefined || Math.abs(p.time.getTime() - d.time) <= SAME_DUMP_MS;
}

/** What grouping needs of a part: its header, store and time. */
export type PartInfo = Pick<DumpPart, 'header' | 'store' | 'time'>;

/**
 * Parts sharing a store and a "Reason#count" belong to one dump; a part number that comes
 * again is the next dump with the same header (each boot counts its dumps from 1), and where
 * the store keeps times, a part written at another time is too (two boots' "Panic#1" dumps
 * interleaved in a ring of zones). A dump's id is "<store> Reason#count" (" [n]" for the
 * n-th such dump); a part without the header is a dump of its own and keeps its id. Dumps
 * come in the order they start, each with its parts oldest first.
 */
export function groupDumps<P extends PartInfo>(parts: readonly P[]): { id?: string; parts: P[] }[] {
  const dumps: { id?: string; parts: P[]; time?: number }[] = [];
  const byKey = new Map<string, typeof dumps>();
  for (const p of parts) {
    if (!p.header) {
      dumps.push({ parts: [p] });
      continue;
    }
    const key = `${p.store} ${p.header.reason}#${p.header.count}`;
    const same = byKey.get(key) ?? [];
    byKey.set(key, same);
    // The latest dump it fits: parts of one dump are stored together.
    let d: (typeof dumps)[number] | undefined;
    for (let i = same.length - 1; i >= Math.max(0, same.length - LOOK_BACK) && !d; i--) if (fits(same[i]!, p)) d = same[i];
    if (!d) {
      d = { id: same.length === 0 ? key : `${key} [${same.length + 1}]`, parts: [] };
      same.push(d);
      dumps.push(d);
    }
    d.parts.push(p);
    if (d.time === undefined && p.time) d.time = p.time.getTime();
  }
  // Higher parts are older chunks of the log.
  return dumps.map(({ id, parts: ps }) => ({ ...(id !== undefined ? { id } : {}), parts: [...ps].sort((a, b) => (b.header?.part ?? 1) - (a.header?.part ?? 1)) }));
}

/** Each dump whole (groupDumps), its lines with the dump's id. */
export function* joinDumps(parts: readonly DumpPart[]): Generator<KernelMessage[]> {
  for (const { id, parts: ordered } of groupDumps(parts)) {
    const out: KernelMessage[] = [];
    for (const p of ordered) for (const m of p.lines()) out.push(m);
    if (id !== undefined) for (const m of out) m.source.id = id;
    const last = out[out.length - 1];
    const time = dumpTime(ordered);
    if (time && last) last.wallTime = time;
    yield out;
  }
}

/**
 * The dump was written right after its newest line (kmsg_dump() from panic() or die()):
 * that line's wall-clock anchor, when the store keeps the time. Only Part1 ends with it.
 */
export function dumpTime(ordered: readonly PartInfo[]): Date | undefined {
  const newest = ordered[ordered.length - 1]!;
  return newest.time && (newest.header?.part ?? 1) === 1 ? newest.time : undefined;
}
