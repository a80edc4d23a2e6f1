// Crash detection on one sender's stream as it arrives. The sender's current boot is kept
// as a bounded window of messages; when the sender has been quiet for `settleMs` after new
// messages, the detector looks at what came since the last look (with some lines before
// it), and only when it finds a crash event does the window (the boot since its first event) go through the same
// timeline and correlator as `crashlog report`, so a line printed here names the crash as
// the report on the sender's log will. Each incident (boot + title) is printed once.
import type { Incident, KernelMessage } from '../model/index.js';
import { detect } from '../detect/index.js';
import { correlate } from '../correlate/index.js';
import { buildTimeline } from '../timeline/build.js';

/** Messages of one boot kept per sender once it has a crash event: the report, and the
 * earlier events a later panic is joined with. */
export const MAX_WINDOW = 4000;
/** Records after which a sender that never goes quiet is looked at anyway: what a busy
 * sender keeps waiting (1,000 senders at 200 records/s would hold 2 M records at 2,000). */
const FORCE_CHECK = 500;
/** Newest lines such a forced look leaves for the next one: a report being printed is not cut. */
const HOLD_BACK = 100;
/** Lines before the new ones the detector looks at again: a report cut by the settle time. */
const LOOK_BACK = 200;

export class CrashWatch<R> {
  private window: KernelMessage[] = [];
  /** Records not yet looked at: made into messages only when the detector runs. */
  private incoming: R[] = [];
  private checked = 0;
  /** The boot has had a crash event: its window is kept whole (up to MAX_WINDOW). */
  private crashed = false;
  private lastSeq: bigint | undefined;
  private readonly reported = new Set<string>();
  /** When the newest message came (ms), and whether it is yet unchecked. */
  lastArrival = 0;
  pending = false;

  constructor(
    readonly name: string,
    private readonly toMessages: (r: R) => KernelMessage[],
  ) {}

  add(r: R, now: number): void {
    this.incoming.push(r);
    if (this.incoming.length > MAX_WINDOW) this.incoming = this.incoming.slice(-MAX_WINDOW / 2);
    this.lastArrival = now;
    this.pending = true;
  }

  private take(m: KernelMessage): void {
    // A new boot: the banner, or an extended sequence that starts again from the bottom.
    const restart = (m.seq !== undefined && this.lastSeq !== undefined && m.seq + 16n < this.lastSeq) || m.text.startsWith('Linux version ');
    if (restart && this.window.length) {
      this.window = [];
      this.checked = 0;
      this.crashed = false;
    }
    if (m.seq !== undefined) this.lastSeq = m.seq;
    this.window.push(m);
    if (this.window.length > MAX_WINDOW) {
      const cut = this.window.length - MAX_WINDOW / 2;
      this.window = this.window.slice(cut);
      this.checked = Math.max(0, this.checked - cut);
    }
  }

  /** Incidents not reported before, once the stream has settled; [] otherwise. */
  check(now: number, settleMs: number): Incident[] {
    if (!this.pending) return [];
    const settled = now - this.lastArrival >= settleMs;
    if (!settled && this.incoming.length < FORCE_CHECK) return [];
    for (const r of this.incoming) for (const m of this.toMessages(r)) this.take(m);
    this.incoming = [];
    const from = Math.max(0, this.checked - LOOK_BACK);
    const upTo = settled ? this.window.length : Math.max(this.checked, this.window.length - HOLD_BACK);
    this.pending = !settled;
    this.checked = upTo;
    if (!detect(this.window.slice(from, upTo)).length) {
      // Nothing yet in this boot: only the lines a report cut at the settle time needs.
      if (!this.crashed && this.window.length > LOOK_BACK + this.window.length - upTo) {
        const held = this.window.length - upTo;
        this.window = this.window.slice(-(LOOK_BACK + held));
        this.checked = this.window.length - held;
      }
      return [];
    }
    this.crashed = true;
    const timeline = buildTimeline([{ path: this.name, records: upTo === this.window.length ? this.window : this.window.slice(0, upTo) }]);
    const fresh: Incident[] = [];
    for (const i of correlate(timeline, detect)) {
      // Not the boot key: it is derived from the window, which moves.
      const key = `${i.title}\0${i.events[0]?.tsNs ?? ''}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      fresh.push(i);
    }
    return fresh;
  }
}
