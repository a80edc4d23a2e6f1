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
