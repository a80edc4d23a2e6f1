// What the correlator knows of one boot before it judges: its crash events, its machine
// checks merged across sources and graded, its memory errors, and where its log ends.
import type { KernelMessage, MachineCheck, MemoryError, Severity, SourceRef } from '../model/index.js';
import type { Boot } from '../timeline/types.js';
import type { CrashEvent } from '../detect/types.js';
import { parseEdacText, parseMceText } from '../mce/text.js';
import { severityOf } from '../mce/decode.js';
import { wallAt } from '../timeline/clock.js';
import { mergeMces } from './merge.js';

export interface BootFacts {
  boot: Boot;
  events: CrashEvent[];
  /** Merged across sources; `severity[i]` is the kernel's grade of `mces[i]`. */
  mces: MachineCheck[];
  severity: Severity[];
  memoryErrors: MemoryError[];
  /** The text after "Kernel panic - not syncing: " and the line it is on. */
  panic?: { text: string; source: SourceRef; tsNs?: bigint };
  last?: KernelMessage;
  /** Wall clock of the log's last line, when the boot has a clock. */
  endWall?: Date;
}

export const PANIC_PREFIX = 'Kernel panic - not syncing: ';
/** A panic is within the last lines of a log; look no further back than this. */
const PANIC_SCAN_LINES = 2000;

function findPanic(msgs: readonly KernelMessage[], events: readonly CrashEvent[]): BootFacts['panic'] {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.panic !== undefined) return { text: e.panic, source: e.source, ...(e.tsNs !== undefined ? { tsNs: e.tsNs } : {}) };
  }
  for (let i = msgs.length - 1; i >= 0 && i >= msgs.length - PANIC_SCAN_LINES; i--) {
    const m = msgs[i]!;
    const at = m.text.indexOf(PANIC_PREFIX);
    if (at >= 0) return { text: m.text.slice(at + PANIC_PREFIX.length).trim(), source: m.source, ...(m.tsNs !== undefined ? { tsNs: m.tsNs } : {}) };
  }
  return undefined;
}

/**
 * A boot's machine checks, merged across sources (binary records first: they hold every
 * register, the log's "[Hardware Error]" lines join them), and its memory errors with the
 * log's EDAC lines: what the verdict and `crashlog mce list` both read.
 */
export function bootErrors(boot: Boot): { mces: MachineCheck[]; memoryErrors: MemoryError[] } {
  return { mces: mergeMces(boot.mces, parseMceText(boot.messages)), memoryErrors: [...boot.memoryErrors, ...parseEdacText(boot.messages)] };
}

export function bootFacts(boot: Boot, detectEvents: (msgs: readonly KernelMessage[]) => CrashEvent[]): BootFacts {
  const events = boot.messages.length ? detectEvents(boot.messages) : [];
  const { mces: merged, memoryErrors } = bootErrors(boot);
  const severity: Severity[] = new Array<Severity>(merged.length);
  for (let i = 0; i < merged.length; i++) severity[i] = severityOf(merged[i]!);
  const f: BootFacts = {
    boot,
    events,
    mces: merged,
    severity,
    memoryErrors,
  };
  const panic = findPanic(boot.messages, events);
  if (panic) f.panic = panic;
  const last = boot.messages[boot.messages.length - 1];
  if (last) {
    f.last = last;
    let lastTs: bigint | undefined;
    for (let i = boot.messages.length - 1; i >= 0 && lastTs === undefined; i--) lastTs = boot.messages[i]!.tsNs;
    const w = wallAt(boot, lastTs);
    if (w) f.endWall = w;
  }
  return f;
}
