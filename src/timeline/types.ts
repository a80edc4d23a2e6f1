// The merged timeline: records from every source, split into boots, ordered, deduplicated.
import type { BlobRecord, DumpNote, KernelMessage, MachineCheck, MachineInfo, MemoryError, Problem } from '../model/index.js';

export interface Boot {
  /** Journal boot id, or derived: "<release>@<first-source>#<n>". */
  key: string;
  /** Ordered by kernel time (lines without a time keep their place); duplicates merged into alsoIn. */
  messages: KernelMessage[];
  mces: MachineCheck[];
  memoryErrors: MemoryError[];
  dumps: DumpNote[];
  blobs: BlobRecord[];
  /** SMBIOS tables read beside the boot's records (backends/dmi): the machine it ran on. */
  machines?: MachineInfo[];
  /** Kernel release from the "Linux version" banner or a dump note. */
  release?: string;
  /** kernel time -> wall clock, when any record anchors it; `why` says which record. */
  clock?: { tsNs: bigint; wall: Date; why: string };
  /** Log lines read but not kept: routine lines of a long log far from any report (keep.ts). */
  notKept?: number;
  /** Why no wall-clock mapping could be made, when none could. */
  noClock?: string;
}

export interface Timeline {
  boots: Boot[];
  problems: Problem[];
}

/** None, shared by every judged boot (frozen: a push is an error, never a boot's records mixed with another's). */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** A boot judged (src/analyze.ts, src/analyze-store.ts): its identity kept, its lines and records let go. */
export function judgedBoot(boot: Boot): Boot {
  return { ...boot, messages: NONE, mces: NONE, memoryErrors: NONE, dumps: NONE, blobs: NONE };
}
