// The normalized records every backend yields (see ../shared/DESIGN.md "Records").
// Everything downstream of the backends sees only these types.

/** Exactly where a record came from. `offset` is the byte offset in `path`. */
export interface SourceRef {
  backend: string;
  path: string;
  offset?: number;
  id?: string;
  part?: number;
}

/** Something wrong with the input, tied to the place it was found. */
export interface Problem {
  path: string;
  offset?: number;
  message: string;
}

/** One printk record / one log line. */
export interface KernelMessage {
  kind: 'kmsg';
  /** Without the "[  123.456789]" prefix and without the "<6>" level prefix. */
  text: string;
  /** Kernel monotonic clock at print time, in nanoseconds. */
  tsNs?: bigint;
  seq?: bigint;
  level?: number;
  facility?: number;
  /** "T1234" task or "C2" cpu, when recorded (CONFIG_PRINTK_CALLER). */
  caller?: string;
  device?: { subsystem: string; device: string };
  /** Boot key, set by the backend when the source knows it (journal _BOOT_ID). */
  boot?: string;
  /** Wall-clock time of this line when the source records it (journal, syslog). */
  wallTime?: Date;
  /** A damaged or cut record: what was read is still here. */
  problem?: string;
  source: SourceRef;
  alsoIn?: SourceRef[];
}

/** One MCE bank record. */
export interface MachineCheck {
  kind: 'mce';
  bank: number;
  status: bigint;
  mcgStatus?: bigint;
  addr?: bigint;
  misc?: bigint;
  synd?: bigint;
  ipid?: bigint;
  ip?: bigint;
  tsc?: bigint;
  cpu?: number;
  socket?: number;
  apicId?: number;
  cpuVendor?: string;
  cpuid?: number;
  microcode?: number;
  time?: Date;
  /** Kernel time of the log line this was parsed from, when it came from text. */
  tsNs?: bigint;
  boot?: string;
  /** What another tool (rasdaemon, mcelog) said of it, kept as evidence. */
  note?: string;
  /**
   * This record stands for `count` (> 1) corrected errors with identical registers, from
   * `time` (the first) to `lastTime` (the last): a large rasdaemon database read in groups.
   */
  count?: number;
  lastTime?: Date;
  source: SourceRef;
  alsoIn?: SourceRef[];
}

/** A platform memory error (CPER memory section, EDAC line, rasdaemon mc_event). */
export interface MemoryError {
  kind: 'memerr';
  severity: 'fatal' | 'uncorrected' | 'corrected' | 'info';
  physAddr?: bigint;
  count?: number;
  node?: number;
  card?: number;
  module?: number;
  bank?: number;
  row?: number;
  column?: number;
  dimm?: string;
  /** The DIMM or location label as the platform names it. */
  label?: string;
  detail?: string;
  time?: Date;
  tsNs?: bigint;
  boot?: string;
  source: SourceRef;
  alsoIn?: SourceRef[];
}

/** Facts from a dump's headers and notes. */
export interface DumpNote {
  kind: 'dump';
  release?: string;
  crashTime?: Date;
  /** e.g. PANIC_MCE from a slim dump's NT_NOCOREDUMP note. */
  noCoredumpReason?: string;
  /** The dump was taken of a live system (QEMU dump-guest-memory, no panic). */
  live?: boolean;
  cpus?: { cpu: number; pid?: number; ip?: bigint; sp?: bigint }[];
  source: SourceRef;
}

/** A whole pstore/raw record kept as bytes: pmsg, ftrace, unknown types. */
export interface BlobRecord {
  kind: 'blob';
  /** pstore type name: "pmsg", "ftrace", "ppc-rtas", ... */
  type: string;
  size: number;
  time?: Date;
  source: SourceRef;
}

export type CrashRecord = KernelMessage | MachineCheck | MemoryError | DumpNote | BlobRecord;
