// One input's log lines as they are read: cut into segments (segments.ts) and each
// segment's crash-relevant lines kept (keep.ts); a segment is handed on once the line
// after it starts another, so a reader's stream is never held whole.
import { Cut, newSegment, SegmentCutter, type Segment } from './segments.js';
import { SegmentKeeper, type Pending } from './keep.js';
import { SegmentThinner } from './thin.js';

export class InputSegments {
  private readonly cutter = new SegmentCutter();
  private cur: Segment | undefined;
  private keeper: SegmentKeeper;
  /** Present when the input's segments are held to its end (not judged as they come). */
  private readonly thinner: SegmentThinner | undefined;
  /** Lines read, kept or not. */
  lines = 0;
  /** Lines not kept, and how many of them could have started a report (keep.ts). */
  notKept = 0;
  reportsNotKept = 0;

  /** `whole`: every line kept (keep.ts SegmentKeeper). `held`: `done` holds every segment
   * to the input's end, so an input of many segments is thinned as it grows (thin.ts). */
  constructor(
    private readonly input: number,
    private readonly done: (s: Segment) => void,
    private readonly whole = false,
    held = false,
    /** Each segment once what is kept of it stands (thin.ts, with `held`; else as it is cut), in order. */
    private readonly final?: (s: Segment) => void,
  ) {
    this.keeper = new SegmentKeeper(whole);
    this.thinner = held && !whole ? new SegmentThinner(final) : undefined;
  }

  push(m: Pending): void {
    this.lines++;
    const c = this.cutter.next(m);
    if (c === Cut.New) {
      this.finish();
      this.cur = newSegment(this.input, m);
    } else if (c === Cut.BannerOfSame) this.cur!.banner = true;
    this.keeper.push(m);
  }

  /** The last segment: call once the input is read. */
  end(): void {
    this.finish();
    if (this.thinner) {
      this.thinner.end();
      this.notKept += this.thinner.notKept;
      this.reportsNotKept += this.thinner.reportsNotKept;
    }
  }

  private finish(): void {
    const s = this.cur;
    if (!s) return;
    // A short segment the thinner takes as it comes: its lines go to it unmade (thin.ts).
    const raw = this.thinner?.thins(this.keeper.count) ? this.keeper.unjudged() : undefined;
    if (raw) this.thinner!.add(s, raw);
    else {
      s.messages = this.keeper.lines();
      if (this.keeper.dropped) s.notKept = this.keeper.dropped;
      if (this.keeper.reportsNotKept) s.reportsNotKept = this.keeper.reportsNotKept;
      this.notKept += this.keeper.dropped;
      this.reportsNotKept += this.keeper.reportsNotKept;
    }
    this.cur = undefined;
    this.keeper = new SegmentKeeper(this.whole);
    this.done(s);
    if (!raw) this.thinner?.add(s);
    if (!this.thinner) this.final?.(s);
  }
}
