// The verdict: incidents and the JSON report (see ../shared/DESIGN.md).
import type { SourceRef } from './records.js';

/** Sorted: the kinds of incident a boot can end in. */
export type IncidentKind =
  | 'bug'
  | 'hang'
  | 'lockup'
  | 'machine-check'
  | 'oom'
  | 'oops'
  | 'panic'
  | 'rcu-stall'
  | 'reset'
  | 'warning';

export type Cause = 'hardware' | 'software' | 'unknown';

export type Severity = 'fatal' | 'uncorrected' | 'action-required' | 'action-optional' | 'deferred' | 'corrected';

/** A MachineCheck as JSON plus what the decoder says of it. */
export interface DecodedMce {
  bank: number;
  status: string;
  addr?: string;
  misc?: string;
  mcgStatus?: string;
  synd?: string;
  ipid?: string;
  cpu?: number;
  socket?: number;
  time?: string;
  cpuVendor?: string;
  severity: Severity;
  errorClass: string;
  summary: string;
  source: SourceRef;
  alsoIn?: SourceRef[];
}

export interface IncidentEvent {
  title: string;
  kind: string;
  tsNs?: string;
  corrupted?: boolean;
  source: SourceRef;
}

export interface Evidence {
  text: string;
  source: SourceRef;
}

export interface CorrectedHistory {
  bank: number;
  count: number;
  addr?: string;
  /** These errors were at the address the fatal error hit (at the precision MISC states). */
  atFatalAddress?: boolean;
  first?: string;
  last?: string;
}

export interface Incident {
  boot: string;
  cause: Cause;
  kind: IncidentKind;
  title: string;
  panic?: string;
  hung?: boolean;
  /** Wall-clock time of the end of the boot, when any record anchors it. */
  time?: string;
  events: IncidentEvent[];
  function?: string;
  module?: string;
  release?: string;
  taint?: string;
  mce?: DecodedMce[];
  correctedBefore?: CorrectedHistory[];
  evidence: Evidence[];
  /** Evidence that is missing and where to look for it. */
  missing?: string[];
  confidence: number;
  /** The first oops or BUG of the boot (an earlier report often explains a later panic). */
  firstOops?: EventRef;
  /** What made the kernel panic on purpose: 'sysrq', 'panic_on_warn', 'panic_on_oops', ... (src/oops/trigger.ts). */
  trigger?: string;
  /** The event a trigger fired on: the policy's report, or for SysRq the boot's first oops/BUG, else its first WARNING. */
  lead?: EventRef;
  /** The crash event's own report block (src/oops/parse.ts). */
  oops?: Oops;
  /** Fleet dedup: sha256 of the normalized title and the guilty stack's top frames (with the
   * lead's, when a trigger fired on one): src/detect/signature.ts, src/correlate/signature.ts. */
  signature?: string;
  /** The DIMM a memory error names (src/correlate/dimm.ts). */
  dimm?: IncidentDimm;
  /** Corrected errors per DIMM across the archived boots up to this one (src/correlate/dimm-history.ts). */
  dimmHistory?: DimmHistory[];
}

/** A crash event named in a verdict. */
export interface EventRef {
  title: string;
  function?: string;
  module?: string;
}

/** One frame of a trace ("Frame" in DESIGN.md). */
export interface OopsFrame {
  /** As printed, compiler suffixes kept ("forge_checksum.constprop.0"); a raw "0x…" address when none. */
  function: string;
  /** "0xf" of "func+0xf/0x30". */
  offset?: string;
  size?: string;
  module?: string;
  /** "0x…" when the line printed one ("[<ffffffff81234567>]", a symbol-less pc). */
  address?: string;
  /** false for the unwinder's "? " guesses. */
  reliable: boolean;
  /** The stack the frame was on: "IRQ", "TASK", "NMI", "SOFTIRQ", "#DF", ... (x86 "<IRQ>" markers). */
  stack?: string;
  /** The instruction pointer of an exception frame met on the stack (a "RIP:" line inside the trace). */
  interrupted?: boolean;
  /** Source line, when symbolised: a line inside `function` (for an inlined call, the call's line). */
  file?: string;
  line?: number;
  /** Functions inlined at this address, innermost first, each with its own source line. */
  inlined?: OopsFrame[];
}

/** The facts of one oops/BUG/WARNING/panic report block. */
export interface Oops {
  /** Title of the event the block belongs to (the lead's when the ending panic printed none). */
  title?: string;
  cpu?: number;
  pid?: number;
  comm?: string;
  release?: string;
  hardware?: string;
  taint?: { flags: string; meaning: string[] };
  /** x86 RIP, arm64 pc. */
  rip?: OopsFrame;
  /** arm64 lr. */
  lr?: OopsFrame;
  code?: string;
  /** "RAX" / "x29" -> "0x…". */
  registers?: Record<string, string>;
  trace: OopsFrame[];
  modules?: string[];
  /** KASLR: "Kernel Offset: 0x… from 0x…" of the boot (or VMCOREINFO KERNELOFFSET), as "0x…". */
  kernelOffset?: string;
}

export interface InputSummary {
  path: string;
  backend: string;
  records: number;
  /** Log lines read but not kept: routine lines of a long log far from any report (src/timeline/keep.ts). */
  notKept?: number;
  /** Lines among them that could have started a report: a boot past its kept-line cap. */
  reportsNotKept?: number;
  problems: { path: string; offset?: number; message: string }[];
}

export interface JsonReport {
  version: 1;
  inputs: InputSummary[];
  incidents: Incident[];
  /** The machine as its SMBIOS tables describe it, when an input held them. */
  machine?: MachineReport;
}

/** A DIMM as a verdict names it: the platform's label, SMBIOS locator and bank, serial, part. */
export interface IncidentDimm {
  label?: string;
  locator?: string;
  bank?: string;
  serial?: string;
  part?: string;
}

/** Corrected errors on one DIMM (or one bank and page, when no DIMM is known). */
export interface DimmHistory {
  /** "DIMM_A1", "P0_Node0_Channel0 DIMM 0", or "bank 8 page 0x12345" when no DIMM is known. */
  where: string;
  dimm?: IncidentDimm;
  count: number;
  first?: string;
  last?: string;
  /** Boots the errors were seen in. */
  boots: number;
  perDay?: number;
  /** Over the replace threshold: the words say which threshold. */
  replace?: string;
}

/** The `machine` section of the JSON report: strings as dmidecode prints them. */
export interface MachineReport {
  smbios?: string;
  bios?: { vendor?: string; version?: string; releaseDate?: string };
  system?: { manufacturer?: string; productName?: string; version?: string; serial?: string; uuid?: string; sku?: string; family?: string };
  baseboard?: { manufacturer?: string; productName?: string; version?: string; serial?: string; assetTag?: string };
  dimms: { handle: string; locator?: string; bankLocator?: string; size: string; serial?: string; partNumber?: string; manufacturer?: string; speed?: string }[];
  /** EDAC's sysfs tables (the edac backend), when an input held them. */
  edac?: EdacReport;
  source: SourceRef;
}

/** The `machine.edac` section: EDAC's controllers and DIMMs with the labels set in sysfs. */
export interface EdacReport {
  controllers: { mc: number; name?: string; sizeMB?: number; ceCount?: number; ueCount?: number; ceNoInfoCount?: number; ueNoInfoCount?: number; secondsSinceReset?: number }[];
  /** `location` as dimm_location prints it ("channel 0 slot 1"); `dimm` the N of dimmN/rankN/csrowN. */
  dimms: { mc: number; dimm: number; from: 'dimm' | 'rank' | 'csrow'; label?: string; location: string; size?: string; memType?: string; ceCount?: number; ueCount?: number }[];
  source: SourceRef;
}
