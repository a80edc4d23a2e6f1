// One input read: its records, or (readKept) its log lines cut into segments as they come,
// each kept as src/timeline/keep.ts keeps it; what the reader said of it is its problems.
import { readAll, type ReadOptions } from './backend.js';
import type { CrashRecord, InputSummary, Problem } from './model/index.js';
import type { ResolvedInput } from './input/resolve.js';
import { InputSegments } from './timeline/input.js';
import type { Segment } from './timeline/segments.js';
import { FormatError, messageOf } from './util/errors.js';

/** All records of one input; a reader that fails keeps what it yielded before. */
export async function readInput(input: ResolvedInput, options: ReadOptions = {}): Promise<Read> {
  const records: CrashRecord[] = [];
  const problems: Problem[] = [];
  const ctx = { options, problem: (p: Problem) => problems.push(p) };
  try {
    await readAll(input.backend.read(input.path, ctx), records);
  } catch (err) {
    if (err instanceof FormatError) problems.push({ path: err.path, offset: err.offset, message: err.detail });
    else problems.push({ path: input.path, message: messageOf(err) });
  }
  return { records, problems };
}

export interface Read {
  /** Without the log lines when `segments` holds them. */
  records: CrashRecord[];
  problems: Problem[];
  segments?: Segment[];
  /** Records read, kept or not. */
  count?: number;
  notKept?: number;
  reportsNotKept?: number;
}

/** What an input's summary says of it. */
export function summary(input: ResolvedInput, r: Read): InputSummary {
  const s: InputSummary = { path: input.path, backend: input.backend.id, records: r.count ?? r.records.length, problems: r.problems };
  if (r.notKept) s.notKept = r.notKept;
  if (r.reportsNotKept) s.reportsNotKept = r.reportsNotKept;
  return s;
}

/** How readKept hands an input's segments on. */
export interface KeptHow {
  /** Each segment as soon as it is cut, with the records read since the last (then not in Read.records). */
  done?: (s: Segment, others: CrashRecord[]) => void;
  /** Every line kept (keep.ts SegmentKeeper). */
  whole?: boolean;
  /** Each segment once what is kept of it stands (thin.ts), in order, instead of in Read.segments. */
  final?: (s: Segment) => void;
}

/**
 * One input read with its log lines cut into segments as they come, each kept as keep.ts
 * keeps it: all in Read.segments (an input of many thinned as it grows: thin.ts), or each
 * given to `how.done` as it is cut or `how.final` once thinned.
 */
export async function readKept(input: ResolvedInput, index: number, options: ReadOptions, how: KeptHow = {}): Promise<Read> {
  const { done, whole = false, final } = how;
  const segments: Segment[] = [];
  let records: CrashRecord[] = [];
  const problems: Problem[] = [];
  let count = 0;
  const lines = new InputSegments(index, (s) => {
    if (final) return;
    if (!done) return void segments.push(s);
    done(s, records);
    records = [];
  }, whole, !done, final);
  // Log lines go straight to the segments, as messages or (a text log's) lines made messages only if kept.
  const ctx = { options, problem: (p: Problem) => problems.push(p), lines };
  const take = (r: CrashRecord) => {
    if (r.kind === 'kmsg') return lines.push(r);
    count++;
    records.push(r);
  };
  try {
    for await (const y of input.backend.read(input.path, ctx)) {
      if (Array.isArray(y)) for (const r of y as readonly CrashRecord[]) take(r);
      else take(y as CrashRecord);
    }
  } catch (err) {
    if (err instanceof FormatError) problems.push({ path: err.path, offset: err.offset, message: err.detail });
    else problems.push({ path: input.path, message: messageOf(err) });
  }
  lines.end();
  const r: Read = { records, problems, segments, count: count + lines.lines };
  if (lines.notKept) r.notKept = lines.notKept;
  if (lines.reportsNotKept) r.reportsNotKept = lines.reportsNotKept;
  return r;
}

