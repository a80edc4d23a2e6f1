// The library entry point behind `crashlog report`, `timeline` and `collect`:
// input paths -> probe -> backend records -> timeline -> detectors -> correlator.
import { readAll, type ReadOptions } from './backend.js';
import type { CrashRecord, Incident, InputSummary, Problem } from './model/index.js';
import type { Timeline } from './timeline/types.js';
import { resolveInputs, type ResolvedInput } from './input/resolve.js';
import { checkReadOptions } from './input/options.js';
import { buildTimeline } from './timeline/build.js';
import { detect } from './detect/index.js';
import { correlate } from './correlate/index.js';
import { FormatError, messageOf } from './util/errors.js';

export interface AnalyzeOptions {
  /** Force this backend for every input (`--as`). */
  as?: string;
  /** Backend options (`--opt key=value`, layout parameters, ...). */
  options?: ReadOptions;
}

export interface Analysis {
  inputs: InputSummary[];
  records: CrashRecord[];
  timeline: Timeline;
  incidents: Incident[];
}

/** All records of one input; a reader that fails keeps what it yielded before. */
export async function readInput(input: ResolvedInput, options: ReadOptions = {}): Promise<{ records: CrashRecord[]; problems: Problem[] }> {
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

/** Inputs read and merged into boots, without judging them (what collect groups by). */
export async function readTimeline(paths: string[], opts: AnalyzeOptions = {}): Promise<Omit<Analysis, 'incidents'>> {
  const { inputs: resolved, problems: unresolved } = await resolveInputs(paths, opts.as);
  if (opts.options && resolved.length > 0) checkReadOptions(opts.options, resolved.map((r) => r.backend));
  const inputs: InputSummary[] = unresolved.map((p) => ({ path: p.path, backend: 'none', records: 0, problems: [p] }));
  const perInput: { path: string; records: CrashRecord[] }[] = [];
  const records: CrashRecord[] = [];
  for (const input of resolved) {
    const r = await readInput(input, opts.options);
    inputs.push({ path: input.path, backend: input.backend.id, records: r.records.length, problems: r.problems });
    perInput.push({ path: input.path, records: r.records });
    for (const rec of r.records) records.push(rec);
  }
  const timeline = buildTimeline(perInput, inputs.flatMap((i) => i.problems));
  return { inputs, records, timeline };
}

export async function analyze(paths: string[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const read = await readTimeline(paths, opts);
  return { ...read, incidents: correlate(read.timeline, detect) };
}
