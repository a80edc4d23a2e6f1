// The new records read once. They are staged in one pool folder; the analysis read from it
// groups them into boots (boots.ts) and, when they make one entry (a machine that crashed once
// since the last collect), is that entry's verdict too: moved from the pool's folder to the
// entry's (relocate), it says what `crashlog report --archive` says of the entry afterwards,
// read as `report` reads (VERDICT: a long boot keeps what a verdict reads, src/timeline/keep.ts).
import { join } from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions } from '../analyze.js';
import { detect } from '../detect/index.js';
import type { KernelMessage } from '../model/index.js';
import type { Boot } from '../timeline/types.js';
import { groupByBoot } from './boots.js';
import type { SourceRecord } from './sources.js';

/**
 * How an entry is read for its verdict: as `crashlog report` reads for text and JSON
 * (src/commands/report.ts). An entry's inputs are folders and a BERT table, never a single
 * log, so its boots keep their kept lines for the grouping.
 */
export const VERDICT: AnalyzeOptions = { keep: 'verdict' };

export interface PoolVerdict {
  groups: SourceRecord[][];
  /** The analysis of the one entry they make, as read from its folder; absent when there are several groups. */
  analysis?: Analysis;
}

/** Deepest nesting relocate() walks (a record's source is 5 levels down the analysis). */
const MAX_DEPTH = 16;

/**
 * A boot whose key hashes its input's path: one with no log line, machine check or dump
 * (timeline/build.ts bootKey, seeded in place.ts with the input's path). Moved, it would keep
 * the pool's key; such an entry is read again from its own folder.
 */
function keyedByPath(b: Boot): boolean {
  return b.messages.length === 0 && b.mces.length === 0 && b.dumps.length === 0;
}

/**
 * Every string in `value` naming something under `from` names it under `to` instead: the
 * records' and problems' paths, the inputs, a clock's reason ("... time of <path>"). Detection,
 * correlation and the report are all worked out after, from these. A log line's own strings are
 * the kernel's and stay as they are: only its sources are moved (and there are many lines,
 * naming few files: each path is moved once).
 */
export function relocate(value: unknown, from: string, to: string): void {
  const done = new Map<string, string>();
  const moved = (s: string): string => {
    let m = done.get(s);
    if (m === undefined) done.set(s, (m = s.includes(from) ? s.replaceAll(from, to) : s));
    return m;
  };
  const walk = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] === 'string') v[i] = moved(v[i] as string);
        else walk(v[i], depth + 1);
      }
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.kind === 'kmsg') {
      const m = o as unknown as KernelMessage;
      m.source.path = moved(m.source.path);
      for (const s of m.alsoIn ?? []) s.path = moved(s.path);
      return;
    }
    for (const k in o) {
      if (typeof o[k] === 'string') o[k] = moved(o[k] as string);
      else walk(o[k], depth + 1);
    }
  };
  walk(value, 0);
}

/**
 * Read the pool (its record folders, `inputs`) as if it were the entry folder `entry`. The
 * grouping runs detect() on each boot once more: analyze() judged them with its own (an
 * AnalyzeOptions.detect would let the two share one pass).
 */
export async function judgePool(inputs: string[], pool: string, entry: string, fresh: SourceRecord[]): Promise<PoolVerdict> {
  let read: Analysis;
  try {
    read = await analyze(inputs, VERDICT);
  } catch {
    return { groups: [fresh] }; // the entry's own reading says why (entries.ts writeReports)
  }
  relocate(read, `${pool}/`, `${entry}/`);
  const groups = groupByBoot(read.timeline.boots, fresh, (r) => join(entry, r.kind, r.name), detect);
  if (groups.length !== 1 || read.timeline.boots.some(keyedByPath)) return { groups };
  return { groups, analysis: read };
}
