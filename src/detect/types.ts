// What the detectors find in a boot's messages. Implemented in src/detect/.
import type { SourceRef } from '../model/index.js';

/** One frame of a call trace. */
export interface Frame {
  function: string;
  offset?: string;
  module?: string;
  /** "?" frames: unreliable, printed by the unwinder as guesses. */
  unreliable?: boolean;
}

export interface CrashEvent {
  /** Incident kind this event is ('oops', 'bug', 'warning', 'panic', 'lockup', 'hang', 'rcu-stall', 'oom', 'machine-check', ...). */
  kind: string;
  /** syzbot-style title, e.g. "WARNING in forge_check_state". */
  title: string;
  /** syzbot's alternative titles for the same bug ("bad-access in f", "stall in f"), normalized. */
  altTitles?: string[];
  /** The non-skipped frames of the stack the guilty function came from, top first, syscall
   * prefixes stripped (what signature() hashes). */
  guiltyFrames?: string[];
  /** The event ended the boot (a panic, or an oops the kernel does not survive). */
  endsBoot: boolean;
  /** The report was cut or interleaved: the title is a best effort. */
  corrupted: boolean;
  /** Text after "Kernel panic - not syncing: ". */
  panic?: string;
  function?: string;
  module?: string;
  cpu?: number;
  pid?: number;
  comm?: string;
  release?: string;
  taint?: string;
  taintFlags?: string[];
  hardware?: string;
  /** RIP/PC with symbol, as printed. */
  ip?: string;
  frames: Frame[];
  modules?: string[];
  /** Index of the event's first and last message in the messages given to detect(). */
  first: number;
  last: number;
  tsNs?: bigint;
  source: SourceRef;
}
