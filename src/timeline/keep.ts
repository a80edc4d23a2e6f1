// A long segment kept in bounded memory: what a verdict reads of a boot's log, the rest
// counted. A segment up to WINDOW + OVERLAP lines is kept whole (every pstore dump, every
// ordinary boot log). Past that, the log is judged a window at a time, and kept are:
// - the first HEAD lines (banner, command line, the boot key's first lines: build.ts);
// - around every line that could start a report (src/detect/starts.ts, a superset of the
//   lines detect() starts an event at), BEFORE lines ahead and AFTER lines after: detect()
//   reads a report's facts from at most 400 lines and other tasks' lines for 300 more
//   (src/detect/index.ts MAX_FACT_LINES, MAX_INTERLEAVED), and a gap of at least AFTER lines
//   between two kept reports keeps them as far apart as its CONTINUATION_LINES needs: detect()
//   over the kept lines finds the events it finds over them all;
// - lines another part of the verdict reads wherever they are (isFactLine);
// - the last TAIL lines (the ending: unknown.ts, the boot key's last lines, findPanic).
// A window's last OVERLAP lines are judged with the next, so a report that starts near a
// window's end is read whole. At most KEEP_CAP lines of a segment's middle are kept; past
// that, reports are counted with the routine lines (Boot.notKept, reportsNotKept).
// Lines of a text log come lazily (LazyLine): made messages only when kept.
import type { KernelMessage } from '../model/index.js';
import { mayStartReport } from '../detect/starts.js';

/** Lines judged at a time. */
export const WINDOW = 8_192;
const HEAD = 2_000;
/** A dump's log is this long, at most: findPanic's reach (src/correlate/facts.ts PANIC_SCAN_LINES). */
const TAIL = 2_000;
/** At least TAIL (the last window's end is kept whole) and more than a report's reach (AFTER). */
const OVERLAP = 2_048;
export const BEFORE = 100;
export const AFTER = 1_000;
/** Lines kept from a segment's middle (reports and facts), at most. */
export const KEEP_CAP = 200_000;

/** Lines read wherever they are in a boot: machine checks and EDAC (src/mce/text.ts; the clock
 * anchor "[Hardware Error]: PROCESSOR … TIME" of clock.ts is one). */
export function isFactLine(text: string): boolean {
  return text.startsWith('EDAC ') || text.includes('[Hardware Error]');
}

/** A line not yet a message: `make()` builds it (its reader's own parse) when it is kept.
 * What the segment cutter reads of a line (segments.ts CutLine) it has already. */
export interface LazyLine {
  readonly text: string;
  readonly tsNs: bigint | undefined;
  /** The input's, shared by its lines. */
  readonly source: { readonly path: string; readonly id?: string };
  readonly boot?: undefined;
  make(): KernelMessage;
}

export type Pending = KernelMessage | LazyLine;

const isLazy = (p: Pending): p is LazyLine => (p as { make?: unknown }).make !== undefined;

/** A string of its own: a kept line must not hold the whole chunk it was sliced from. */
export function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** `copy` for a line kept out of a long segment; a lazy line's text is always a slice of its reader's chunk. */
export function message(p: Pending, copy: boolean): KernelMessage {
  const lazy = isLazy(p);
  const m = lazy ? p.make() : p;
  if (copy || lazy) m.text = own(m.text);
  return m;
}

/** One segment's lines, pushed in order; `lines()` at the end gives what is kept. */
export class SegmentKeeper {
  private readonly kept: KernelMessage[] = [];
  private pending: Pending[] = [];
  /** Lines at the start of `pending` a report judged before reaches into. */
  private carry = 0;
  private seen = 0;
  private middleKept = 0;
  private judged = false;
  /** Lines not kept. */
  dropped = 0;
  /** Lines that could start a report among them (past KEEP_CAP). */
  reportsNotKept = 0;

  /** `whole`: every line is kept (`timeline`), the keeper only makes lazy lines messages. */
  constructor(private readonly whole = false) {}

  push(m: Pending): void {
    this.pending.push(m);
    this.seen++;
    if (!this.whole && this.pending.length >= WINDOW + OVERLAP) this.judge(this.pending.length - OVERLAP);
  }

  /** Lines pushed so far. */
  get count(): number {
    return this.seen;
  }

  /** A segment never judged (short: keep.ts keeps it whole), its lines as pushed, unmade; the
   * keeper is done. Undefined for a long one: lines() gives what it kept. */
  unjudged(): readonly Pending[] | undefined {
    if (this.judged) return undefined;
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** The kept lines, in order; the keeper is done. */
  lines(): KernelMessage[] {
    if (!this.judged) return this.pending.map((p) => message(p, false));
    this.judge(Math.max(0, this.pending.length - TAIL));
    for (const p of this.pending) this.kept.push(message(p, true));
    this.pending = [];
    return this.kept;
  }

  /** Decide on pending[0, cut): keep or count; the rest stays pending. */
  private judge(cut: number): void {
    this.judged = true;
    const pending = this.pending;
    const keep = new Uint8Array(cut);
    const headLeft = Math.max(0, HEAD - (this.seen - pending.length));
    keep.fill(1, 0, Math.min(cut, Math.max(headLeft, this.carry)));
    let carry = 0;
    const full = this.middleKept >= KEEP_CAP;
    // Reports that start in [0, cut) are judged now; one may reach past cut into the next window.
    for (let i = 0; i < cut; i++) {
      const text = pending[i]!.text;
      if (mayStartReport(text)) {
        if (full) { this.reportsNotKept++; continue; }
        const to = i + AFTER;
        keep.fill(1, Math.max(0, i - BEFORE), Math.min(cut, to + 1));
        if (to >= cut) carry = Math.max(carry, to + 1 - cut);
      } else if (!full && !keep[i] && isFactLine(text)) keep[i] = 1;
    }
    // A report just past cut still wants its BEFORE lines.
    for (let i = cut; i < Math.min(pending.length, cut + BEFORE); i++) {
      if (!full && mayStartReport(pending[i]!.text)) { keep.fill(1, Math.max(0, i - BEFORE), cut); break; }
    }
    let n = 0;
    for (let i = 0; i < cut; i++) {
      if (keep[i]) { this.kept.push(message(pending[i]!, true)); n++; }
    }
    this.middleKept += Math.max(0, n - headLeft);
    this.dropped += cut - n;
    this.pending = pending.slice(cut);
    this.carry = carry;
  }
}
