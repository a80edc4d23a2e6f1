// One machine check seen in several places (the log's "[Hardware Error]" lines, the
// struct mce in pstore/ERST, a CPER section, rasdaemon's row) becomes one record with the
// others in alsoIn. Records from the same source are never merged: they are distinct
// events even when their registers are equal (the same CE on two CPUs, or twice).
import type { MachineCheck, SourceRef } from '../model/index.js';
import { significantAddr } from '../mce/bits.js';

/** Wall times printed from the same struct mce agree to the second; allow rounding. */
const TIME_SLACK_S = 1;

const sourceKey = (s: SourceRef): string => `${s.backend}\0${s.path}`;
const sec = (d: Date | undefined): number | undefined => (d === undefined ? undefined : Math.floor(d.getTime() / 1000));

function differs<T>(a: T | undefined, b: T | undefined): boolean {
  return a !== undefined && b !== undefined && a !== b;
}

function nonZeroDiffers(a: bigint | undefined, b: bigint | undefined): boolean {
  return !!a && !!b && a !== b;
}

function sameRegisters(a: MachineCheck, b: MachineCheck): boolean {
  if (a.bank !== b.bank || a.status !== b.status) return false;
  if (differs(a.cpu, b.cpu) || differs(a.socket, b.socket)) return false;
  if (nonZeroDiffers(a.tsc, b.tsc) || nonZeroDiffers(a.misc, b.misc)) return false;
  // The kernel prints a corrected error's ADDR cut to MISC's LSB; compare at that precision.
  return !nonZeroDiffers(significantAddr(a.status, a.addr, a.misc ?? b.misc), significantAddr(b.status, b.addr, b.misc ?? a.misc));
}

/** `a` may be a grouped record (count, time to lastTime): `b`'s time must fall in its span. */
function sameMce(a: MachineCheck, b: MachineCheck): boolean {
  if (!sameRegisters(a, b)) return false;
  const ta = sec(a.time), tb = sec(b.time);
  if (ta === undefined || tb === undefined) return true;
  return tb >= ta - TIME_SLACK_S && tb <= (sec(a.lastTime) ?? ta) + TIME_SLACK_S;
}

/** Fill what `into` lacks from `from`; `into` keeps its own source, `from`'s goes to alsoIn. */
function absorb(into: MachineCheck, from: MachineCheck): void {
  for (const k of ['mcgStatus', 'mcgCap', 'addr', 'misc', 'synd', 'ipid', 'ip', 'tsc', 'cpu', 'socket', 'apicId', 'cpuVendor', 'cpuid', 'microcode', 'time', 'tsNs', 'boot', 'note'] as const) {
    if (into[k] === undefined && from[k] !== undefined) (into as unknown as Record<string, unknown>)[k] = from[k];
  }
  (into.alsoIn ??= []).push(from.source, ...(from.alsoIn ?? []));
}

/** `taken`: records absorbed per source; a grouped record absorbs up to `count` from each. */
interface Entry { mc: MachineCheck; copied: boolean; taken: Map<string, number> }

const capacity = (e: Entry): number => e.mc.count ?? 1;
const hasRoom = (e: Entry, src: string): boolean => (e.taken.get(src) ?? 0) < capacity(e);
const entryOf = (mc: MachineCheck, src: string): Entry => ({ mc, copied: false, taken: new Map([[src, mc.count ?? 1]]) });

/** Grouped records are indexed by the hours they span; a span of more hours is one bucket. */
const SPAN_BUCKET_S = 3600;
const MAX_SPAN_BUCKETS = 48;

/** Entries compared at most per bucket: same-second floods from one source stay linear. */
const MAX_SCAN = 256;

/** The records of the smaller sources, bucketed by bank, status and wall-clock second;
 * grouped records (which span many seconds) by bank and status. */
class TwinIndex {
  private readonly bySecond = new Map<string, Entry[]>();
  private readonly spans = new Map<string, Entry[]>();
  private readonly byStatus = new Map<string, Entry[]>();
  private readonly statuses = new Set<bigint>();

  private static scan(bucket: Entry[] | undefined, r: MachineCheck, src: string): Entry | undefined {
    if (!bucket) return undefined;
    for (let i = bucket.length - 1, n = 0; i >= 0 && n < MAX_SCAN; i--, n++) {
      const e = bucket[i]!;
      if (hasRoom(e, src) && sameMce(e.mc, r)) return e;
    }
    return undefined;
  }

  find(r: MachineCheck, src: string): Entry | undefined {
    if (!this.statuses.has(r.status)) return undefined;
    const key = `${r.bank}:${r.status}`;
    const t = sec(r.time);
    // A record without a time is compared with every record of its bank and status.
    if (t === undefined) return TwinIndex.scan(this.byStatus.get(key), r, src);
    return TwinIndex.scan(this.bySecond.get(`${key}:${t}`), r, src) ?? TwinIndex.scan(this.bySecond.get(`${key}:${t - 1}`), r, src)
      ?? TwinIndex.scan(this.bySecond.get(`${key}:${t + 1}`), r, src) ?? TwinIndex.scan(this.bySecond.get(`${key}:u`), r, src)
      ?? TwinIndex.scan(this.spans.get(`${key}:${Math.floor(t / SPAN_BUCKET_S)}`), r, src)
      ?? TwinIndex.scan(this.spans.get(`${key}:long`), r, src);
  }

  /** A grouped record under each hour it spans (a long span under one shared bucket). */
  private spanKeys(key: string, mc: MachineCheck, t: number): string[] {
    const from = Math.floor((t - TIME_SLACK_S) / SPAN_BUCKET_S), to = Math.floor(((sec(mc.lastTime) ?? t) + TIME_SLACK_S) / SPAN_BUCKET_S);
    if (to - from >= MAX_SPAN_BUCKETS) return [`${key}:long`];
    return Array.from({ length: to - from + 1 }, (_, i) => `${key}:${from + i}`);
  }

  add(e: Entry): void {
    const key = `${e.mc.bank}:${e.mc.status}`;
    const t = sec(e.mc.time);
    const at: [Map<string, Entry[]>, string][] = e.mc.count !== undefined && t !== undefined
      ? this.spanKeys(key, e.mc, t).map((k) => [this.spans, k]) : [[this.bySecond, `${key}:${t ?? 'u'}`]];
    for (const [map, k] of [...at, [this.byStatus, key] as [Map<string, Entry[]>, string]]) {
      const b = map.get(k);
      if (b) b.push(e);
      else map.set(k, [e]);
    }
    this.statuses.add(e.mc.status);
  }
}

function merge(e: Entry, r: MachineCheck, src: string): void {
  if (!e.copied) {
    e.mc = { ...e.mc, ...(e.mc.alsoIn ? { alsoIn: [...e.mc.alsoIn] } : {}) };
    e.copied = true;
  }
  absorb(e.mc, r);
  e.taken.set(src, (e.taken.get(src) ?? 0) + 1);
}

/**
 * Merge `records` (binary records: they carry every register) and `logged` (parsed from the
 * log's "[Hardware Error]" lines) into distinct machine checks. The inputs are not
 * changed: a record that absorbs another is copied first.
 * Grouped records are indexed first, so each absorbs its twins from the other sources.
 * The largest source (a rasdaemon database of a million rows) is only looked up, never
 * indexed, so merging stays linear; with one source there is nothing to merge.
 */
export function mergeMces(records: readonly MachineCheck[], logged: readonly MachineCheck[] = []): MachineCheck[] {
  const groups = new Map<string, MachineCheck[]>();
  const grouped: [MachineCheck, string][] = [];
  // The log's lines are another source than the binary records of the same file: an ERST
  // store holds both a CPER MCE section and the dmesg record that printed it.
  const bySource = (list: readonly MachineCheck[], prefix: string) => {
    let last: SourceRef | undefined;
    let key = '';
    for (const r of list) {
      if (last === undefined || r.source.backend !== last.backend || r.source.path !== last.path) key = prefix + sourceKey(r.source);
      last = r.source;
      if (r.count !== undefined) { grouped.push([r, key]); if (!groups.has(key)) groups.set(key, []); continue; }
      const g = groups.get(key);
      if (g) g.push(r);
      else groups.set(key, [r]);
    }
  };
  bySource(records, '');
  bySource(logged, 'log\0');
  if (groups.size <= 1) return [...records, ...logged];
  let largestKey = '';
  for (const [k, g] of groups) if (g.length > (groups.get(largestKey)?.length ?? -1)) largestKey = k;
  const index = new TwinIndex();
  const entries: Entry[] = [];
  for (const [r, src] of grouped) {
    const e = entryOf(r, src);
    entries.push(e);
    index.add(e);
  }
  for (const [src, rs] of groups) {
    if (src === largestKey) continue;
    for (const r of rs) {
      const twin = index.find(r, src);
      if (twin) { merge(twin, r, src); continue; }
      const e = entryOf(r, src);
      entries.push(e);
      index.add(e);
    }
  }
  const rest: MachineCheck[] = [];
  for (const r of groups.get(largestKey)!) {
    const twin = index.find(r, largestKey);
    if (twin) merge(twin, r, largestKey);
    else rest.push(r);
  }
  return [...entries.map((e) => e.mc), ...rest];
}
