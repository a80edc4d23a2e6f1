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
}

export interface InputSummary {
  path: string;
  backend: string;
  records: number;
  problems: { path: string; offset?: number; message: string }[];
}

export interface JsonReport {
  version: 1;
  inputs: InputSummary[];
  incidents: Incident[];
}
