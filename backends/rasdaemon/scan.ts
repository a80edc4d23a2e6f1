// A table scan that holds groups, never rows: a row the plan can group (a corrected error)
// is counted in its group, by key, and only the first row of a group becomes a record; a
// row it cannot (uncorrected, damaged, odd) is a record of its own. Everything is bounded:
// past `groups` distinct keys the groups' time span doubles (an hour, then 2, 4, up to 16:
// rows keep every field but their time), then a row is counted in a coarser group (fewer
// fields), past `coarse` of those it is only counted; rows read alone are kept to the last
// `alone`; the scan stops after `rows`. Each cut is a problem that says how much it left
// out. Records come out in the order of their (first) rows.
import type { ScanRow } from './scan-row.js';
import { GroupTable } from './groups.js';

/** A group's rows are within one span of wall time (a key's last word is its span number):
 * a group that straddles a reboot (counted whole, placed by its first row) is limited to it. */
export const GROUP_SPAN_S = 3600;
/** Times the span may double when the groups are too many: 16 hours, within the 24 hours
 * over which a DIMM's errors are counted against its threshold (dimm-history.ts). */
const MAX_DOUBLINGS = 4;

export interface GroupFacts { rows: number; weight: number; first: number; last: number; coarse: boolean }

/** R: a record; F: what a group keeps of its first row besides its key (an id, a text the key leaves out). */
export interface TablePlan<R, F> {
  readonly table: string;
  /** The columns a row is read by; a column index k below is a position in this list. */
  readonly columns: readonly string[];
  readonly keyWidth: number;
  readonly coarseWidth: number;
  /** What a coarse group keeps, for the problem that says rows were counted in one. */
  readonly coarseBy: string;
  /** Fills `key`, its last word the row's span number (time / GROUP_SPAN_S); the row's time
   * in seconds when it is counted in a group, else NaN (read alone). */
  groupKey(row: ScanRow, key: Int32Array): number;
  coarseKey(row: ScanRow, key: Int32Array, time: number): void;
  /** The errors a row stands for (1, or mc_event's err_count). */
  weight(row: ScanRow): number;
  first(row: ScanRow): F;
  /** A row read alone as a record, or why it is not one. */
  record(row: ScanRow): R | string;
  /** A group's record, made once at the end from its key words and its first row's F (`texts`:
   * the scan's row, for the texts its key's numbers stand for). */
  grouped(key: Int32Array, first: F, g: GroupFacts, texts: ScanRow): R;
}

export interface ScanLimits { rows: number; groups: number; coarse: number; alone: number; problems: number }

/** Where rows come from: `each` fills `row` and calls visit per row (visit false: stop). */
export interface RowSource { row: ScanRow; each(visit: () => boolean): void }

/** One table of groups with what each keeps of its first row, its span doubled when full. */
class Tier<F> {
  readonly table: GroupTable;
  firsts: F[] = [];
  level = 0;
  constructor(width: number, max: number) {
    this.table = new GroupTable(width, max);
  }

  /** Counts the row in its group (made if there is room): false when there is none. */
  count(key: Int32Array, t: number, w: number, seq: number, first: () => F): boolean {
    const last = key.length - 1;
    if (this.level) key[last] = Math.floor(key[last]! / 2 ** this.level);
    let g = this.table.find(key);
    while (g < 0 && this.table.full && this.level < MAX_DOUBLINGS) {
      const to = this.table.rollUp(), old = this.firsts;
      this.firsts = [];
      // A merged group keeps its first one's (groups are numbered in the order they began).
      to.forEach((h, i) => { if (this.firsts.length === h) this.firsts.push(old[i]!); });
      this.level++;
      key[last] = Math.floor(key[last]! / 2);
      g = this.table.find(key);
    }
    if (g >= 0) this.table.hit(g, t, w);
    else if (!this.table.full) this.firsts[this.table.add(key, t, w, seq)] = first();
    else return false;
    return true;
  }
}

export function scanTable<R, F>(src: RowSource, plan: TablePlan<R, F>, limits: ScanLimits, problem: (message: string) => void): R[] {
  const fine = new Tier<F>(plan.keyWidth, limits.groups), coarse = new Tier<F>(plan.coarseWidth, limits.coarse);
  const key = new Int32Array(plan.keyWidth), ckey = new Int32Array(plan.coarseWidth);
  // Rows read alone, the last `limits.alone` of them: a ring.
  const alone: { seq: number; rec: R }[] = [];
  let aloneAt = 0, seq = 0, aloneDropped = 0, bad = 0, coarsened = 0, lost = 0, lostWeight = 0, cut = false;
  const row = src.row;
  const first = () => plan.first(row);
  src.each(() => {
    if (seq >= limits.rows) { cut = true; return false; }
    const s = seq++;
    const t = plan.groupKey(row, key);
    if (Number.isNaN(t)) {
      const rec = plan.record(row);
      if (typeof rec === 'string') { if (++bad <= limits.problems) problem(rec); }
      else if (alone.length < limits.alone) alone.push({ seq: s, rec });
      else { alone[aloneAt] = { seq: s, rec }; aloneAt = (aloneAt + 1) % limits.alone; aloneDropped++; }
      return true;
    }
    const w = plan.weight(row);
    if (fine.count(key, t, w, s, first)) return true;
    coarsened++;
    plan.coarseKey(row, ckey, t);
    if (coarse.count(ckey, t, w, s, first)) return true;
    lost++;
    lostWeight += w;
    return true;
  });
  const name = plan.table;
  const hours = (level: number) => `${2 ** level} hour${level ? 's' : ''}`;
  if (cut) problem(`${name}: stopped after ${limits.rows} rows (crashlog's limit per table); the rest is not read`);
  if (bad > limits.problems) problem(`${name}: ${bad - limits.problems} more rows like the ones above not read`);
  if (aloneDropped) problem(`${name}: ${aloneDropped} earlier rows that are read one by one (uncorrected errors, rows that cannot be grouped) not kept: crashlog keeps the last ${limits.alone}`);
  if (fine.level) problem(`${name}: more than ${limits.groups} groups of ${hours(0)}: counted in groups of ${hours(fine.level)} (crashlog's limit)`);
  if (coarse.level) problem(`${name}: more than ${limits.coarse} coarse groups of ${hours(0)}: counted in groups of ${hours(coarse.level)}`);
  if (coarsened) problem(`${name}: ${coarsened} rows past ${limits.groups} distinct groups counted by ${plan.coarseBy} only`);
  if (lost) problem(`${name}: ${lost} rows (${lostWeight} errors) past ${limits.coarse} coarse groups counted here only, not read`);
  const out = alone;
  for (const tier of [fine, coarse]) {
    const tb = tier.table;
    for (let g = 0; g < tb.size; g++) {
      const facts: GroupFacts = { rows: tb.rows[g]!, weight: tb.weight[g]!, first: tb.first[g]!, last: tb.last[g]!, coarse: tier === coarse };
      out.push({ seq: tb.firstSeq[g]!, rec: plan.grouped(tb.keyOf(g), tier.firsts[g]!, facts, row) });
    }
  }
  return out.sort((a, b) => a.seq - b.seq).map((o) => o.rec);
}
