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
  /** MCG_CAP of the CPU that logged it (struct mce mcgcap): bit 24 MCG_SER_P decides the grading. */
  mcgCap?: bigint;
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
  /** With `count` > 1: the errors of a group of rows (a large rasdaemon database), from `time` (the first) to `lastTime` (the last). */
  lastTime?: Date;
  tsNs?: bigint;
  boot?: string;
  source: SourceRef;
  alsoIn?: SourceRef[];
  /** The DIMM's location as the source names it (EDAC layers, SMBIOS handle). */
  where?: MemoryLocation;
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
  /** Physical pages never read (--avoid, or a fatal machine check's address from another input). */
  avoided?: bigint[];
  /** KASLR offset of the kernel image (VMCOREINFO KERNELOFFSET, kernel/crash_core.c). */
  kernelOffset?: bigint;
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

export type CrashRecord = KernelMessage | MachineCheck | MemoryError | DumpNote | BlobRecord | MachineInfo;

/**
 * Where a memory error says it happened, as each source names it: EDAC's layers
 * (drivers/edac/edac_mc.c: "csrow:0 channel:1", rasdaemon's mc_event top/middle/lower
 * layer), the SMBIOS handle of a CPER memory section (cper_sec_mem_err.mem_dev_handle),
 * and the "DIMM location: <bank> <device>" the kernel prints from SMBIOS.
 */
export interface MemoryLocation {
  /** EDAC memory controller (MCn). */
  mc?: number;
  /** EDAC layer positions, outermost first, named when the source names them. */
  layers?: { name?: string; pos: number }[];
  /** SMBIOS type 17 handle of the DIMM (CPER module handle). */
  dimmHandle?: number;
  /** SMBIOS type 16 handle of the memory array (CPER card handle). */
  arrayHandle?: number;
  /** CPER device (the DRAM device on the DIMM). */
  device?: number;
  /** SMBIOS bank locator and locator, when the source printed them. */
  bankLocator?: string;
  locator?: string;
}

/** SMBIOS type 17 Memory Device (DSP0134 7.18), as dmidecode reads it. */
export interface DimmInfo {
  handle: number;
  /** Type 16 handle of the array it belongs to. */
  arrayHandle?: number;
  locator?: string;
  bankLocator?: string;
  /** Size in KiB; 0 = no module installed; undefined = unknown. */
  sizeKB?: number;
  /** The size as dmidecode prints it: "16 GB", "512 kB", "No Module Installed", "Unknown". */
  size: string;
  /** MT/s; undefined = unknown. */
  speed?: number;
  configuredSpeed?: number;
  manufacturer?: string;
  serial?: string;
  assetTag?: string;
  partNumber?: string;
  /** File offset of the type 17 structure. */
  offset: number;
}

/** A physical address range and what it maps to (SMBIOS type 19 and type 20). */
export interface MemoryRange {
  start: bigint;
  /** Inclusive. */
  end: bigint;
  /** Type 16 array (type 19 rows). */
  arrayHandle?: number;
  /** Type 17 device (type 20 rows). */
  dimmHandle?: number;
}

/**
 * One DIMM (or rank) as EDAC's sysfs shows it: drivers/edac/edac_mc_sysfs.c dimm_attrs
 * (mcN/dimmN or mcN/rankN), or the legacy csrowN/chX_* files (CONFIG_EDAC_LEGACY_SYSFS).
 */
export interface EdacDimm {
  mc: number;
  /** N of dimmN/rankN; for the legacy layout the csrow. */
  index: number;
  /** Which sysfs folder it came from: rank when the controller is chip-select based (mci->csbased). */
  from: 'dimm' | 'rank' | 'csrow';
  /** dimm_label (chX_dimm_label): the operator's name, or the driver's default; absent when empty. */
  label?: string;
  /** dimm_location's layers, outermost first (edac_layer_name: branch, channel, slot, csrow, memory). */
  layers: { name: string; pos: number }[];
  /** `size` in MiB (PAGES_TO_MiB); unknown for a legacy channel (size_mb is the whole csrow's). */
  sizeMB?: number;
  memType?: string;
  devType?: string;
  edacMode?: string;
  ceCount?: number;
  ueCount?: number;
}

/** One memory controller, /sys/devices/system/edac/mc/mcN (edac_mc_sysfs.c mci_attrs). */
export interface EdacController {
  mc: number;
  /** mc_name: the driver's controller name ("Skylake Socket#0 IMC#0"). */
  name?: string;
  sizeMB?: number;
  ceCount?: number;
  ueCount?: number;
  ceNoInfoCount?: number;
  ueNoInfoCount?: number;
  secondsSinceReset?: number;
  dimms: EdacDimm[];
}

/**
 * The machine as its SMBIOS tables describe it (types 0, 1, 2, 17, 19, 20), or as EDAC's
 * sysfs does (`edac`, from the edac backend: then `dimms` and `ranges` are empty).
 */
export interface MachineInfo {
  kind: 'machine';
  /** "2.8", "3.0.0"; undefined when only the table was read. */
  smbios?: string;
  bios?: { vendor?: string; version?: string; releaseDate?: string };
  system?: { manufacturer?: string; productName?: string; version?: string; serial?: string; uuid?: string; sku?: string; family?: string };
  baseboard?: { manufacturer?: string; productName?: string; version?: string; serial?: string; assetTag?: string };
  dimms: DimmInfo[];
  ranges: MemoryRange[];
  /** EDAC's memory controllers and their DIMMs with the labels the operator set. */
  edac?: EdacController[];
  /** Where `edac` was read, when a report joins it to an SMBIOS record (src/report/machine.ts). */
  edacSource?: SourceRef;
  /** When the tables were taken, when known (an archive entry). */
  time?: Date;
  problem?: string;
  source: SourceRef;
}
