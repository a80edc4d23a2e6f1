// An input of many short segments (a 256 MiB mtdoops partition holds 65,536 dumps, a
// pstore/blk disk thousands of zones) kept in bounded memory. keep.ts keeps a short segment
// whole; the segments that come after an input's first INPUT_WHOLE lines are thinned to what
// a verdict reads of them, as keep.ts keeps a long segment's middle:
// - the first and last line (the boot grouping, build.ts, reads a segment's ends);
// - BEFORE lines ahead of and AFTER lines after every line that could start a report
//   (src/detect/starts.ts), so detect() finds in them what it finds in the whole segment;
// - fact lines (machine checks, EDAC: keep.ts isFactLine).
// The newest segments of the input, NEWEST lines of them, stay whole: the input's ending (a
// store's last dump, the console's last lines) is what unknown.ts and findPanic read. At most
// KEEP_CAP lines of report windows are kept from thinned segments; past that their reports
// are counted (reportsNotKept), never lost silently.
import type { KernelMessage } from '../model/index.js';
import type { Segment } from './segments.js';
import { AFTER, BEFORE, KEEP_CAP, isFactLine, message, type Pending } from './keep.js';
import { mayStartReport } from '../detect/starts.js';

/** Lines one input keeps whole before the segments after them are thinned. */
export const INPUT_WHOLE = 100_000;
/** Lines of an input's newest segments never thinned. */
const NEWEST = 2_000;

interface Thinned {
  s: Segment;
  /** Its lines before thinning (made, or as its reader pushed them), while it is among the newest. */
  whole: readonly Pending[];
  /** `s.messages` holds some of them only. */
  thinned: boolean;
  dropped: number;
  reports: number;
  windows: number;
  next?: Thinned | undefined;
}

/**
 * Segments as they are handed on. Once the input passes INPUT_WHOLE, each is thinned at
 * once (its dropped lines die young, never reaching the old generation) and its whole lines
 * are remembered while it is among the newest NEWEST lines; at the end those get them back.
 * The segments before stay whole.
 */
export class SegmentThinner {
  /** The newest segments past INPUT_WHOLE, oldest first, linked by `next`. (Lines let go die
   * young only with V8's pretenuring off: src/gc.ts.) */
  private first: Thinned | undefined;
  private last: Thinned | undefined;
  private recentLines = 0;
  private total = 0;
  private windowLines = 0;
  /** The input passed INPUT_WHOLE: every segment from here on is thinned as it comes. */
  private thinning = false;
  notKept = 0;
  reportsNotKept = 0;

  /** `final`: each segment, in order, once what is kept of it stands (it left the newest, or the input ended). */
  constructor(private readonly final?: (s: Segment) => void) {}

  /** Whether a segment of `n` lines is thinned as it comes: its lines may come unmade (add's `raw`). */
  thins(n: number): boolean {
    return this.thinning || this.total + n > INPUT_WHOLE;
  }

  /** A segment handed on: its messages, or (`raw`, when thins() said so) its lines unmade. */
  add(s: Segment, raw?: readonly Pending[]): void {
    const whole = raw ?? s.messages;
    this.total += whole.length;
    // The input's first INPUT_WHOLE lines stay whole: what is kept of them stands at once.
    if (this.total <= INPUT_WHOLE) return this.final?.(s);
    this.thinning = true;
    const r: Thinned = { s, whole, thinned: false, dropped: 0, reports: 0, windows: 0 };
    if (this.last) this.last.next = r;
    else this.first = r;
    this.last = r;
    this.recentLines += r.whole.length;
    this.thin(r);
    for (let f = this.first!; f !== r && this.recentLines - f.whole.length >= NEWEST; f = this.first!) {
      this.recentLines -= f.whole.length; // its thinning stands
      this.first = f.next;
      f.next = undefined;
      this.final?.(f.s);
    }
  }

  /** The input is read: its newest segments get their whole lines back. */
  end(): void {
    for (let r = this.first; r; r = r.next) {
      if (!r.thinned) continue;
      r.s.messages = r.whole.map((p) => message(p, false));
      r.s.notKept = (r.s.notKept ?? 0) - r.dropped || undefined;
      r.s.reportsNotKept = (r.s.reportsNotKept ?? 0) - r.reports || undefined;
      if (r.s.notKept === undefined) delete r.s.notKept;
      if (r.s.reportsNotKept === undefined) delete r.s.reportsNotKept;
      this.notKept -= r.dropped;
      this.reportsNotKept -= r.reports;
      this.windowLines -= r.windows;
    }
    for (let r = this.first; r; r = r.next) this.final?.(r.s);
    this.first = this.last = undefined;
  }

  private thin(r: Thinned): void {
    const s = r.s;
    const msgs = r.whole;
    const n = msgs.length;
    const all = () => {
      if (msgs !== s.messages) s.messages = msgs.map((p) => message(p, false));
    };
    if (n <= 2) return all();
    const keep = new Uint8Array(n);
    keep[0] = keep[n - 1] = 1;
    let reports = 0;
    for (let i = 0; i < n; i++) {
      const text = msgs[i]!.text;
      if (mayStartReport(text)) {
        if (this.windowLines >= KEEP_CAP) { reports++; continue; }
        keep.fill(1, Math.max(0, i - BEFORE), Math.min(n, i + AFTER + 1));
      } else if (isFactLine(text)) keep[i] = 1;
    }
    let count = 0;
    for (let i = 0; i < n; i++) count += keep[i]!;
    if (count === n) return all();
    // Made now, a kept line's text its own: it must not pin its record's decoded text (keep.ts own).
    const out: KernelMessage[] = [];
    for (let i = 0; i < n; i++) if (keep[i]) out.push(message(msgs[i]!, true));
    r.thinned = true;
    r.windows = out.length - 2;
    this.windowLines += r.windows;
    r.dropped = n - out.length;
    r.reports = reports;
    s.messages = out;
    s.notKept = (s.notKept ?? 0) + r.dropped;
    if (reports) s.reportsNotKept = (s.reportsNotKept ?? 0) + reports;
    this.notKept += r.dropped;
    this.reportsNotKept += reports;
  }
}
