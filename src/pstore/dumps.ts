// Parts of kmsg dumps -> dumps. pstore_dump() (fs/pstore/platform.c) cuts one dump of the
// log into parts of the backend's record size, newest chunk first, each headed
// "Reason#count PartN"; every store (a pstore directory, ramoops, pstore/zone, ERST, EFI
// variables) then holds the parts as separate records. A reader hands its parts here in
// the order its store holds them and gets each dump back whole: one record id for all its
// lines, oldest part first, its newest line anchored at the time the dump was written.
import type { KernelMessage } from '../model/index.js';
import type { DmesgHeader } from './header.js';

export interface DumpPart {
  /** The part's lines, in order, header line left out. */
  messages: KernelMessage[];
  header?: DmesgHeader;
  /** The store the part is in, as pstore names its records: "dmesg-ramoops", "dmesg-erst". */
  store: string;
  /** When the part was written (the record's time), where the store keeps it. */
  time?: Date;
}

/**
 * Parts sharing a store and a "Reason#count" belong to one dump until a part number comes
 * again: that is the next dump with the same header (each boot counts its dumps from 1).
 * A dump's id is "<store> Reason#count" (" [n]" for the n-th such dump); a part without
 * the header is a dump of its own and keeps its id. Dumps come in the order they start.
 */
export function joinDumps(parts: readonly DumpPart[]): KernelMessage[][] {
  const dumps: { id?: string; parts: DumpPart[] }[] = [];
  const open = new Map<string, { dump: (typeof dumps)[number]; n: number }>();
  for (const p of parts) {
    if (!p.header) {
      dumps.push({ parts: [p] });
      continue;
    }
    const key = `${p.store} ${p.header.reason}#${p.header.count}`;
    let cur = open.get(key);
    if (!cur || cur.dump.parts.some((q) => q.header!.part === p.header!.part)) {
      const n = (cur?.n ?? 0) + 1;
      cur = { dump: { id: n === 1 ? key : `${key} [${n}]`, parts: [] }, n };
      open.set(key, cur);
      dumps.push(cur.dump);
    }
    cur.dump.parts.push(p);
  }
  return dumps.map(({ id, parts: ps }) => {
    // Higher parts are older chunks of the log.
    const ordered = [...ps].sort((a, b) => (b.header?.part ?? 1) - (a.header?.part ?? 1));
    const out: KernelMessage[] = [];
    for (const p of ordered) {
      if (id !== undefined) for (const m of p.messages) m.source.id = id;
      for (const m of p.messages) out.push(m);
    }
    // The dump was written right after its newest line (kmsg_dump() from panic() or die()):
    // that line's wall-clock anchor. Only Part1 ends with it.
    const newest = ordered[ordered.length - 1]!;
    const last = newest.messages[newest.messages.length - 1];
    if (newest.time && last && (newest.header?.part ?? 1) === 1) last.wallTime = newest.time;
    return out;
  });
}
