// build.ts joinSegments one segment at a time, for an input judged boot by boot as it is
// read (a store of thousands of dumps): segments join as joinSegments joins them (the same
// journal boot, else SHARED_LINES late lines shared with one segment before, a line owned by
// the first segment to hold it), and once WINDOW_BOOTS boots (or WINDOW_LINES lines) are
// held the oldest is judged, so only the newest boots are held. A store's records of one boot lie near one
// another (a dump's parts; a console and the dumps of its boot): a segment that would join
// a boot already judged sets `late`, and the caller reads the input again whole.
//
// A judged segment's lines are remembered by time only (line-table.ts): a later line at one
// of those times counts as shared with it, so `late` may be set where the texts differ
// (then the input is read again: slower, never wrong), and such a line is owned by the
// judged segment, as it is by joinSegments when the texts are the same.
import type { Segment } from './segments.js';
import { eachLateLine } from './segments.js';
import { SHARED_LINES } from './build.js';
import { LineTable, NO_ENTRY } from './line-table.js';

/** Boots held open, at most: a store's records of one boot lie within this many of each other. */
export const WINDOW_BOOTS = 64;
/** Lines of open boots held, at most (fewer boots then). */
export const WINDOW_LINES = 200_000;

interface Member {
  i: number;
  s: Segment;
  /** Its entries in the line table: the lines it owns. */
  from: number;
  to: number;
}

interface Group {
  /** Its segments in input order. */
  members: Member[];
  lines: number;
}

export class StreamJoiner {
  private n = 0;
  /** Open boots, oldest (first segment) first. */
  private open: Group[] = [];
  /** Segment index -> its open group. */
  private readonly groupOf = new Map<number, Group>();
  private readonly table = new LineTable();
  /** Journal boot id -> the first segment with it; judged when groupOf lacks it. */
  private readonly byBoot = new Map<string, number>();
  private held = 0;
  /** A segment would have joined a boot already judged: the input must be read again. */
  late = false;
  judgedAny = false;

  constructor(
    private readonly judge: (segments: Segment[]) => void,
    private readonly window = { boots: WINDOW_BOOTS, lines: WINDOW_LINES },
  ) {}

  /** The next segment, in input order. */
  add(s: Segment): void {
    const i = this.n++;
    const joins = new Set<Group>();
    const from = this.table.size;
    if (s.boot !== undefined) {
      const j = this.byBoot.get(s.boot);
      if (j === undefined) this.byBoot.set(s.boot, i);
      else this.into(joins, j);
    } else this.keyed(i, s, joins);
    const g: Group = { members: [{ i, s, from, to: this.table.size }], lines: s.messages.length };
    for (const o of joins) this.merge(g, o);
    for (const m of g.members) this.groupOf.set(m.i, g);
    this.insert(g);
    this.held += s.messages.length;
    while ((this.open.length > this.window.boots || this.held > this.window.lines) && this.open.length > 1) this.judgeOldest();
  }

  /** Every boot still open judged, oldest first. */
  end(): void {
    while (this.open.length) this.judgeOldest();
  }

  /** The segments of the boots still open, in input order, without judging them. */
  unjudged(): Segment[] {
    return this.open.flatMap((g) => g.members).sort((a, b) => a.i - b.i).map((m) => m.s);
  }

  /** joinSegments' rule: SHARED_LINES keys (fewer for a segment that small) shared with one segment before. */
  private keyed(i: number, s: Segment, joins: Set<Group>): void {
    const t = this.table;
    const hits = new Map<number, number>();
    const judgedHits = new Map<number, number>();
    /** Keys seen in this segment at a time some entry has: a key counts once (lateKeys is a set). */
    let seen: Set<string> | undefined;
    let keys = 0;
    eachLateLine(s, (m) => {
      const us = Number(m.tsNs / 1000n);
      let e = t.first(us);
      if (e === NO_ENTRY) {
        keys++;
        return t.add(us, i, m.text);
      }
      // The segment that owns the key: one with the same text, else a judged one with a line then.
      let exact: number | undefined;
      let judged: number | undefined;
      for (; e !== NO_ENTRY && exact === undefined; e = t.after(e)) {
        const text = t.text(e);
        if (text === m.text) exact = t.seg(e);
        else if (text === undefined) judged ??= t.seg(e);
      }
      if (exact === i) return; // this segment's own line again
      const key = `${us}\0${m.text}`;
      if ((seen ??= new Set()).has(key)) return;
      seen.add(key);
      keys++;
      const owner = exact ?? judged;
      if (owner === undefined) return t.add(us, i, m.text);
      const counts = this.groupOf.has(owner) ? hits : judgedHits;
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    });
    const need = Math.min(SHARED_LINES, keys);
    if (need === 0) return;
    for (const [j, n] of hits) if (n >= need) this.into(joins, j);
    for (const n of judgedHits.values()) if (n >= need) this.late = true;
  }

  private into(joins: Set<Group>, j: number): void {
    const g = this.groupOf.get(j);
    if (g) joins.add(g);
    else this.late = true;
  }

  /** `o`'s segments into `g`, in input order; `o` leaves the open list. */
  private merge(g: Group, o: Group): void {
    const a = g.members;
    const b = o.members;
    const out: Member[] = [];
    let x = 0;
    let y = 0;
    while (x < a.length || y < b.length) out.push(y >= b.length || (x < a.length && a[x]!.i < b[y]!.i) ? a[x++]! : b[y++]!);
    g.members = out;
    g.lines += o.lines;
    this.open.splice(this.open.indexOf(o), 1);
  }

  /** Into the open list by its first segment. */
  private insert(g: Group): void {
    const first = g.members[0]!.i;
    let at = this.open.length;
    while (at > 0 && this.open[at - 1]!.members[0]!.i > first) at--;
    this.open.splice(at, 0, g);
  }

  private judgeOldest(): void {
    const g = this.open.shift()!;
    this.held -= g.lines;
    this.judgedAny = true;
    for (const m of g.members) {
      this.groupOf.delete(m.i);
      this.table.forget(m.from, m.to);
    }
    this.judge(g.members.map((m) => m.s));
  }
}
