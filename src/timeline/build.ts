// Records from all inputs -> boots: segments joined where they are the same boot's log,
// ordered by kernel time, duplicates merged (one message, several sources), other
// records placed in the boot they belong to, and kernel time mapped to wall clock.
import { createHash } from 'node:crypto';
import type { CrashRecord, KernelMessage, Problem } from '../model/index.js';
import type { Boot, Timeline } from './types.js';
import { cutSegments, isBanner, lateKeys, lateSpan, messageKey, type Segment } from './segments.js';
import { findClock } from './clock.js';
import { placeRecords } from './place.js';
import { CPU_LINE } from '../kmsg/cpu-line.js';

export interface InputRecords {
  path: string;
  records: CrashRecord[];
}

/** Lines two segments must share to be one boot (fewer when a segment is that small). */
export const SHARED_LINES = 3;

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]!]!;
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Segments that share a late line's time can share the line: only segments whose late
 * spans overlap are compared, each cluster of overlapping spans on its own. Most records
 * of a big archive are boots of their own and never build a key.
 */
function overlapClusters(segments: Segment[], indices: number[]): number[][] {
  const spans = indices
    .map((i) => ({ i, span: lateSpan(segments[i]!) }))
    .filter((x): x is { i: number; span: { from: bigint; to: bigint } } => x.span !== undefined)
    .sort((a, b) => (a.span.from < b.span.from ? -1 : a.span.from > b.span.from ? 1 : a.i - b.i));
  const clusters: number[][] = [];
  let cur: number[] = [];
  let to = -1n;
  for (const { i, span } of spans) {
    if (span.from > to) {
      if (cur.length > 1) clusters.push(cur);
      cur = [];
    }
    cur.push(i);
    if (span.to > to) to = span.to;
  }
  if (cur.length > 1) clusters.push(cur);
  // Compared in input order: the first segment to hold a key owns it.
  for (const c of clusters) c.sort((a, b) => a - b);
  return clusters;
}

/** Segments grouped by boot, each group in input order, groups by their first segment. */
export function joinSegments(segments: Segment[]): Segment[][] {
  if (segments.length <= 1) return segments.length ? [segments] : [];
  const uf = new UnionFind(segments.length);
  const byBootId = new Map<string, number>();
  const unknown: number[] = [];
  segments.forEach((s, i) => {
    if (s.boot === undefined) return unknown.push(i);
    const j = byBootId.get(s.boot);
    if (j === undefined) byBootId.set(s.boot, i);
    else uf.union(i, j);
  });
  for (const cluster of overlapClusters(segments, unknown)) {
    const owner = new Map<string, number>();
    for (const i of cluster) {
      const keys = lateKeys(segments[i]!);
      const need = Math.min(SHARED_LINES, keys.size);
      const hits = new Map<number, number>();
      for (const k of keys) {
        const j = owner.get(k);
        if (j === undefined) owner.set(k, i);
        else hits.set(j, (hits.get(j) ?? 0) + 1);
      }
      for (const [j, n] of hits) if (n >= need && need > 0) uf.union(i, j);
    }
  }
  const groups = new Map<number, Segment[]>();
  segments.forEach((s, i) => {
    const r = uf.find(i);
    const g = groups.get(r) ?? [];
    g.push(s);
    groups.set(r, g);
  });
  return [...groups.values()];
}

/**
 * Order by kernel time; an untimed line keeps its place after the line before it. The
 * same line from several sources becomes one message with the others in `alsoIn`.
 * One segment is already in its source's order and has no duplicates to merge.
 */
function orderAndMerge(segments: Segment[]): KernelMessage[] {
  if (segments.length === 1) return segments[0]!.messages;
  const rows: { m: KernelMessage; ts: bigint; seg: number; i: number }[] = [];
  segments.forEach((s, seg) => {
    let ts = -1n;
    s.messages.forEach((m, i) => {
      // To the microsecond, as lines are keyed (segments.ts messageKey): a console's copy of
      // a line must not sort apart from the dump's nanosecond one.
      if (m.tsNs !== undefined) ts = m.tsNs / 1000n;
      rows.push({ m, ts, seg, i });
    });
  });
  rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.seg - b.seg || a.i - b.i));
  const seen = new Map<string, KernelMessage>();
  const out: KernelMessage[] = [];
  for (const { m } of rows) {
    const key = messageKey(m);
    const first = key === undefined ? undefined : seen.get(key);
    if (first) {
      (first.alsoIn ??= []).push(m.source, ...(m.alsoIn ?? []));
      continue;
    }
    if (key !== undefined) seen.set(key, m);
    out.push(m);
  }
  return out;
}

/** Timed lines from a boot's end that go into its key: where boots of identical machines,
 * or repeated crashes of one machine, differ (the times of late lines jitter by microseconds). */
const KEY_TAIL_LINES = 16;

/**
 * A boot's identity: the journal's boot id, else a hash of what distinguishes one boot from
 * another of the same machine and kernel: the times and texts of its last lines (to the
 * microsecond, as every source prints them), its wall-clock anchor, the crash time a dump
 * recorded, its machine checks. The first lines alone are the same on every boot of one
 * kernel on one machine: two crashed boots must never share a key (collect makes one
 * archive entry per key's boot).
 */
function bootKey(boot: Boot, fallback: string): string {
  const journal = boot.messages.find((m) => m.boot !== undefined)?.boot;
  if (journal) return journal;
  // What the key hashes, line after line, given to the hash at once: one update per line was
  // three times the cost (10,000 boots of a store: 65 ms against 22 ms).
  const parts: string[] = [];
  const line = (m: KernelMessage) => `${m.tsNs === undefined ? '' : m.tsNs / 1000n}|${m.text}\n`;
  for (const m of boot.messages.slice(0, 8)) parts.push(line(m));
  const tail: KernelMessage[] = [];
  for (let i = boot.messages.length - 1; i >= 0 && tail.length < KEY_TAIL_LINES; i--) if (boot.messages[i]!.tsNs !== undefined) tail.push(boot.messages[i]!);
  for (const m of tail) parts.push(line(m));
  if (boot.clock) parts.push(`clock|${boot.clock.wall.getTime() - Number(boot.clock.tsNs / 1_000_000n)}\n`);
  for (const d of boot.dumps) parts.push(`dump|${d.crashTime?.getTime() ?? ''}|${d.release ?? ''}\n`);
  for (const m of boot.mces) parts.push(`mce|${m.bank}|${m.status}|${m.addr ?? ''}|${m.tsc ?? ''}|${m.time?.getTime() ?? ''}|${m.cpu ?? ''}\n`);
  if (boot.messages.length === 0 && boot.mces.length === 0 && boot.dumps.length === 0) parts.push(fallback);
  const h = createHash('sha256').update(parts.join(''));
  return `${boot.release ?? 'linux'}-${h.digest('hex').slice(0, 10)}`;
}

/**
 * The kernel release of a boot: its "Linux version" banner, else the release on the first
 * "CPU: ... PID: ... Comm:" line of an oops or WARNING (a dump holds only the log's tail).
 */
function releaseOf(messages: KernelMessage[]): string | undefined {
  const banner = messages.find(isBanner);
  if (banner) return /^Linux version (\S+)/.exec(banner.text)![1];
  for (const m of messages) {
    if (!m.text.startsWith('CPU: ')) continue;
    const c = CPU_LINE.exec(m.text);
    if (c) return c[5];
  }
  return undefined;
}

function newBoot(messages: KernelMessage[], fallbackSeed: string): Boot {
  const release = releaseOf(messages);
  const boot: Boot = { key: fallbackSeed, messages, mces: [], memoryErrors: [], dumps: [], blobs: [] };
  if (release) boot.release = release;
  return boot;
}

export function buildTimeline(inputs: InputRecords[], problems: Problem[] = []): Timeline {
  const segments: Segment[] = [];
  inputs.forEach((inp, i) => {
    const msgs = inp.records.filter((r): r is KernelMessage => r.kind === 'kmsg');
    // Never spread an input-sized array into a call (130,000 journal lines overflowed the stack).
    for (const s of cutSegments(i, msgs)) segments.push(s);
  });
  return timelineOf(segments, inputs, problems);
}

/**
 * Boots from segments already cut (keep.ts keeps a long one's crash-relevant lines); the
 * inputs' other records (their log lines are in the segments) are placed in them.
 */
export function timelineOf(segments: Segment[], inputs: InputRecords[], problems: Problem[] = []): Timeline {
  const groups = joinSegments(segments);
  const boots = groups.map((g) => {
    const b = newBoot(orderAndMerge(g), '');
    let notKept = 0;
    for (const s of g) notKept += s.notKept ?? 0;
    if (notKept) b.notKept = notKept;
    return { boot: b, inputs: new Set(g.map((s) => s.input)) };
  });
  for (const { boot } of boots) findClock(boot);
  placeRecords(inputs, boots, (seed) => newBoot([], seed));
  // Keyed once every record is placed: the key hashes the dumps and machine checks too.
  for (const { boot } of boots) boot.key = bootKey(boot, boot.key);
  return { boots: boots.map((b) => b.boot), problems };
}

/**
 * Whether `next` is the same boot as the segments before it (as joinSegments joins them:
 * the same journal boot, else enough shared late lines): a log read as a stream is judged
 * boot by boot, each boot once the segment after it is another's.
 */
export function sameBoot(group: readonly Segment[], next: Segment): boolean {
  if (next.boot !== undefined) return group.some((s) => s.boot === next.boot);
  const span = lateSpan(next);
  if (!span) return false;
  const keys = lateKeys(next);
  const need = Math.min(SHARED_LINES, keys.size);
  if (need === 0) return false;
  for (const s of group) {
    if (s.boot !== undefined) continue;
    const other = lateSpan(s);
    if (!other || other.to < span.from || other.from > span.to) continue;
    const theirs = lateKeys(s);
    let hits = 0;
    for (const k of keys) if (theirs.has(k) && ++hits >= need) return true;
  }
  return false;
}
