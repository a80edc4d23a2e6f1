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
  /** Lines of the segment not kept (keep.ts). */
  notKept?: number;
  /** Lines among them that could have started a report (past keep.ts KEEP_CAP). */
  reportsNotKept?: number;
}

const BANNER = /^Linux version \S/;
/** A clock that steps back by more than this starts another boot. */
const CLOCK_BACK_NS = 1_000_000_000n;

/** What the cutting rule reads of a line (a KernelMessage, or a line not yet one: keep.ts LazyLine). */
export interface CutLine {
  readonly text: string;
  readonly tsNs?: bigint | undefined;
  readonly boot?: string | undefined;
  readonly source: { readonly path: string; readonly id?: string | undefined };
}

export function isBanner(m: CutLine): boolean {
  return m.text.startsWith('Linux version ') && BANNER.test(m.text) && (m.tsNs === undefined || m.tsNs < 1_000_000_000n);
}

/** A record's identity: its id (one for all parts of a split dump), else its file. */
function recordKey(m: CutLine): string {
  return m.source.id ?? m.source.path;
}

/** What a message is to the segment before it (see SegmentCutter.next). */
export const Cut = { Same: 0, New: 1, BannerOfSame: 2 } as const;
export type Cut = (typeof Cut)[keyof typeof Cut];

/** The cutting rule, one message at a time: whether a message starts another segment. */
export class SegmentCutter {
  private started = false;
  private lastTs: bigint | undefined;
  private lastRecord = '';
  private boot: string | undefined;

  next(m: CutLine): Cut {
    const record = recordKey(m);
    const banner = isBanner(m);
    const lastTs = this.lastTs;
    let cut: Cut = Cut.Same;
    // Firmware chatter before the banner (no kernel time yet) is part of the boot it precedes.
    if (this.started && banner && (lastTs === undefined || lastTs === 0n) && record === this.lastRecord) cut = Cut.BannerOfSame;
    const newBoot =
      !this.started ||
      record !== this.lastRecord ||
      (m.boot !== undefined && m.boot !== this.boot) ||
      // arm64 prints "Booting Linux on physical CPU" at 0.000000 before the banner: the clock
      // must have moved for a banner to start another boot.
      (banner && lastTs !== undefined && lastTs > 0n) ||
      (m.tsNs !== undefined && lastTs !== undefined && m.tsNs + CLOCK_BACK_NS < lastTs);
    if (newBoot) {
      cut = Cut.New;
      this.started = true;
      this.boot = m.boot;
      this.lastTs = undefined;
    }
    if (m.tsNs !== undefined) this.lastTs = m.tsNs;
    this.lastRecord = record;
    return cut;
  }
}

/** A new segment for `m`, the message that starts it. */
export function newSegment(input: number, m: CutLine): Segment {
  const s: Segment = { input, messages: [], banner: isBanner(m) };
  if (m.boot !== undefined) s.boot = m.boot;
  return s;
}

/** Cut one input's messages (in the order the backend gave them) into segments. */
export function cutSegments(input: number, messages: readonly KernelMessage[]): Segment[] {
  const out: Segment[] = [];
  const cutter = new SegmentCutter();
  let cur: Segment | undefined;
  for (const m of messages) {
    const c = cutter.next(m);
    if (c === Cut.New) out.push((cur = newSegment(input, m)));
    else if (c === Cut.BannerOfSame) cur!.banner = true;
    cur!.messages.push(m);
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
  return m.tsNs === undefined ? undefined : `${microseconds(m.tsNs)}\0${m.text}`;
}

/** Lines of a long segment looked at from each end: overlaps between dumps and logs of
 * one boot lie at the ends (a dump holds the tail of the log a console shows whole). */
const EDGE_LINES = 50_000;

/** Lines printed in the first second of a boot repeat across boots of one kernel: only
 * later ones identify a boot. */
const LATE_NS = 1_000_000_000n;
const LATE_NS_NUMBER = Number(LATE_NS);

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

/**
 * A kernel time to the microsecond as messageKey has it (`tsNs / 1000n`), as a number: without
 * a BigInt division below 2^53 ns (104 days of uptime), where the number is exact. `n` is
 * Number(tsNs), for a caller that has it already.
 */
export function microseconds(tsNs: bigint, n = Number(tsNs)): number {
  return n < 2 ** 53 && n >= 0 ? (n - (n % 1000)) / 1000 : Number(tsNs / 1000n);
}

/** A segment's late lines (see LATE_NS), from each end of a long segment, each with its time
 * in microseconds (microseconds()): the lines its boot is known by. */
export function eachLateLine(s: Segment, visit: (m: KernelMessage, us: number) => void): void {
  const n = s.messages.length;
  for (let i = 0; i < n; i++) {
    if (i === EDGE_LINES && n > 2 * EDGE_LINES) i = n - EDGE_LINES;
    const m = s.messages[i]!;
    if (m.tsNs === undefined) continue;
    const ns = Number(m.tsNs);
    if (ns < LATE_NS_NUMBER) continue;
    visit(m, microseconds(m.tsNs, ns));
  }
}

/** Keys of a segment's late lines (eachLateLine): messageKey's. */
export function lateKeys(s: Segment): Set<string> {
  const keys = new Set<string>();
  eachLateLine(s, (m, us) => keys.add(`${us}\0${m.text}`));
  return keys;
}
