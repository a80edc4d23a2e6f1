// build.ts joinSegments one segment at a time, for an input judged boot by boot as it is
// read (a store of thousands of dumps): segments join as joinSegments joins them (the same
// journal boot, else SHARED_LINES late lines shared with one segment before, a line owned by
// the first segment to hold it), and once WINDOW_BOOTS boots (or WINDOW_LINES lines) are
// held the oldest is judged, so only the newest boots are held. An ordered store's records
// of one boot lie near one another (a dump's parts; a console and the dumps of its boot): a
// segment that would join a boot already judged sets `late`, and the caller reads the input
// again whole.
//
// A segment's lines are looked up and entered only once its late span meets another's
// (span-index.ts; most dumps of a big store are boots of their own and never are). A judged
// segment's lines are remembered by time and a 32-bit hash of their text (line-table.ts): a
// later line with both counts as shared with it, so `late` may be set where the texts differ
// (then the input is read again: slower, never wrong), and such a line is owned by the judged
// segment, as it is by joinSegments when the texts are the same (one in 2^32 lines at a time
// already held). A judged segment never met keeps only its span: a later one that meets it
// sets `late`.
import { eachLateLine, type Segment } from './segments.js';
import { SHARED_LINES } from './build.js';
import { LineTable, NO_ENTRY, textHash } from './line-table.js';
import { SpanIndex } from './span-index.js';

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
  /** Merged into an older boot. */
  dead: boolean;
}

export class StreamJoiner {
  private n = 0;
  /** Open boots, oldest (first segment) first, from `head`; one merged into another is dead. */
  private open: Group[] = [];
  private head = 0;
  private live = 0;
  /** Segment index -> its open group. */
  private readonly groupOf = new Map<number, Group>();
  private readonly table = new LineTable();
  /** Late spans of every segment so far, and which have their lines in the table. */
  private readonly spans = new SpanIndex();
  private readonly keyedSeg: boolean[] = [];
  /** Journal boot id -> the first segment with it; judged when groupOf lacks it. */
  private readonly byBoot = new Map<string, number>();
  private held = 0;
  /** A segment would have joined a boot already judged: the input must be read again. */
  late = false;
  /** A boot was judged before the input ended (its records are placed without it: analyze-store.ts). */
  judgedAny = false;

  constructor(
    private readonly judge: (segments: Segment[]) => void,
    private readonly window = { boots: WINDOW_BOOTS, lines: WINDOW_LINES },
  ) {}

  /** The next segment, in input order. */
  add(s: Segment): void {
    const i = this.n++;
    const joins = new Set<Group>();
    let from = this.table.size;
    if (s.boot !== undefined) {
      const j = this.byBoot.get(s.boot);
      if (j === undefined) this.byBoot.set(s.boot, i);
      else this.into(joins, j);
    } else if (this.meets(i, s)) {
      from = this.table.size;
      this.keyed(i, s, joins);
      this.keyedSeg[i] = true;
    }
    const member: Member = { i, s, from, to: this.table.size };
    this.held += s.messages.length;
    if (joins.size === 0) {
      // The newest segment starts a boot: the open list stays in order of first segments.
      const g: Group = { members: [member], lines: s.messages.length, dead: false };
      this.groupOf.set(i, g);
      this.open.push(g);
      this.live++;
    } else {
      // Into the oldest boot it joins, with the others it joins.
      const [into, ...others] = [...joins].sort((a, b) => a.members[0]!.i - b.members[0]!.i);
      this.merge(into!, { members: [member], lines: s.messages.length, dead: false });
      for (const o of others) {
        o.dead = true;
        this.live--;
        this.merge(into!, o);
      }
    }
    while ((this.live > this.window.boots || this.held > this.window.lines) && this.live > 1) this.judgeOldest();
  }

  /** Every boot still open judged, oldest first. */
  end(): void {
    while (this.live > 0) this.judgeOldest();
  }

  /** The segments of the boots still open, in input order, without judging them. */
  unjudged(): Segment[] {
    return this.open.slice(this.head).filter((g) => !g.dead).flatMap((g) => g.members).sort((a, b) => a.i - b.i).map((m) => m.s);
  }

  /**
   * Whether `s`'s late span meets another segment's: only then can it share a line. A segment
   * met that was not keyed is keyed now (it met none before, so it owns every line it has), or,
   * judged, its lines are gone: the input must be read again.
   */
  private meets(i: number, s: Segment): boolean {
    let a = Infinity;
    let b = -Infinity;
    eachLateLine(s, (_m, us) => {
      if (us < a) a = us;
      if (us > b) b = us;
    });
    if (a > b) return false;
    let met = false;
    this.spans.overlapping(a, b, (j) => {
      met = true;
      if (this.keyedSeg[j]) return;
      const g = this.groupOf.get(j);
      if (!g) return void (this.late = true);
      const m = g.members.find((x) => x.i === j)!;
      m.from = this.table.size;
      this.keyed(j, m.s, new Set());
      m.to = this.table.size;
      this.keyedSeg[j] = true;
    });
    this.spans.add(i, a, b);
    return met;
  }

  /** joinSegments' rule: SHARED_LINES keys (fewer for a segment that small) shared with one segment before. */
  private keyed(i: number, s: Segment, joins: Set<Group>): void {
    const t = this.table;
    const hits = new Map<number, number>();
    const judgedHits = new Map<number, number>();
    /** Keys seen in this segment at a time some entry has: a key counts once (lateKeys is a set). */
    let seen: Set<string> | undefined;
    let keys = 0;
    eachLateLine(s, (m, us) => {
      const h = textHash(m.text);
      let e = t.first(us, h);
      if (e === NO_ENTRY) {
        keys++;
        return t.add(us, h, i, m.text);
      }
      // The segment that owns the key: one with the same text, else a judged one with a line then and a text of the same hash.
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
      if (owner === undefined) return t.add(us, h, i, m.text);
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

  /** `o`'s segments into `g`, in input order. */
  private merge(g: Group, o: Group): void {
    const a = g.members;
    const b = o.members;
    const out: Member[] = [];
    let x = 0;
    let y = 0;
    while (x < a.length || y < b.length) out.push(y >= b.length || (x < a.length && a[x]!.i < b[y]!.i) ? a[x++]! : b[y++]!);
    g.members = out;
    g.lines += o.lines;
    for (const m of b) this.groupOf.set(m.i, g);
  }

  private judgeOldest(): void {
    while (this.open[this.head]!.dead) this.head++;
    const g = this.open[this.head++]!;
    this.live--;
    if (this.head > 1024 && this.head * 2 > this.open.length) {
      this.open = this.open.slice(this.head);
      this.head = 0;
    }
    this.held -= g.lines;
    this.judgedAny = true;
    for (const m of g.members) {
      this.groupOf.delete(m.i);
      this.table.forget(m.from, m.to);
    }
    this.judge(g.members.map((m) => m.s));
  }
}
