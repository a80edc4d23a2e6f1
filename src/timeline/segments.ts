// Step one of the timeline: cut each input's messages into segments, each a run of one
// boot's log from one record (a pstore dump, a console capture between two banners).
import type { KernelMessage } from '../model/index.js';

export interface Segment {
  input: number;
  messages: KernelMessage[];
  /** Journal boot id, when the source knows it. */
  boot?: string;
  /** Starts with the kernel's "Linux version" banner. */
  banner: boolean;
}

const BANNER = /^Linux version \S/;
/** A clock that steps back by more than this starts another boot. */
const CLOCK_BACK_NS = 1_000_000_000n;

export function isBanner(m: KernelMessage): boolean {
  return m.text.startsWith('Linux version ') && BANNER.test(m.text) && (m.tsNs === undefined || m.tsNs < 1_000_000_000n);
}

/** A record's identity: its id (one for all parts of a split dump), else its file. */
function recordKey(m: KernelMessage): string {
  return m.source.id ?? m.source.path;
}

/** Cut one input's messages (in the order the backend gave them) into segments. */
export function cutSegments(input: number, messages: readonly KernelMessage[]): Segment[] {
  const out: Segment[] = [];
  let cur: Segment | undefined;
  let lastTs: bigint | undefined;
  let lastRecord = '';
  for (const m of messages) {
    const record = recordKey(m);
    const banner = isBanner(m);
    // Firmware chatter before the banner (no kernel time yet) is part of the boot it precedes.
    if (cur && banner && (lastTs === undefined || lastTs === 0n) && record === lastRecord) cur.banner = true;
    const newBoot =
      !cur ||
      record !== lastRecord ||
      (m.boot !== undefined && m.boot !== cur.boot) ||
      // arm64 prints "Booting Linux on physical CPU" at 0.000000 before the banner: the clock
      // must have moved for a banner to start another boot.
      (banner && lastTs !== undefined && lastTs > 0n) ||
      (m.tsNs !== undefined && lastTs !== undefined && m.tsNs + CLOCK_BACK_NS < lastTs);
    if (newBoot) {
      cur = { input, messages: [], banner };
      if (m.boot !== undefined) cur.boot = m.boot;
      out.push(cur);
      lastTs = undefined;
    }
    cur!.messages.push(m);
    if (m.tsNs !== undefined) lastTs = m.tsNs;
    lastRecord = record;
  }
  return out;
}

/**
 * A line's identity across sources: its text and its time to the microsecond. Text sources
 * print the time to the microsecond ("[%5lu.%06lu]", kernel/printk/printk.c print_time),
 * binary ones (a vmcore's ring buffer, /dev/kmsg, the journal) keep nanoseconds or
 * microseconds: the same line must meet itself from both.
 */
export function messageKey(m: KernelMessage): string | undefined {
  return m.tsNs === undefined ? undefined : `${m.tsNs / 1000n}\0${m.text}`;
}

/** Lines of a long segment looked at from each end: overlaps between dumps and logs of
 * one boot lie at the ends (a dump holds the tail of the log a console shows whole). */
const EDGE_LINES = 50_000;

/** Lines printed in the first second of a boot repeat across boots of one kernel: only
 * later ones identify a boot. */
const LATE_NS = 1_000_000_000n;

/** Kernel times of a segment's first and last late line, or undefined when it has none. */
export function lateSpan(s: Segment): { from: bigint; to: bigint } | undefined {
  let from: bigint | undefined;
  let to: bigint | undefined;
  for (const m of s.messages) {
    if (m.tsNs === undefined || m.tsNs < LATE_NS) continue;
    if (from === undefined || m.tsNs < from) from = m.tsNs;
    if (to === undefined || m.tsNs > to) to = m.tsNs;
  }
  return from === undefined ? undefined : { from, to: to! };
}

/** Keys of a segment's late lines (see LATE_NS), from each end of a long segment. */
export function lateKeys(s: Segment): Set<string> {
  const keys = new Set<string>();
  const n = s.messages.length;
  for (let i = 0; i < n; i++) {
    if (i === EDGE_LINES && n > 2 * EDGE_LINES) i = n - EDGE_LINES;
    const m = s.messages[i]!;
    if (m.tsNs === undefined || m.tsNs < LATE_NS) continue;
    keys.add(messageKey(m)!);
  }
  return keys;
}
