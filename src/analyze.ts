// The library entry point behind `crashlog report`, `timeline` and `collect`:
// input paths -> probe -> backend records -> timeline -> detectors -> correlator.
import { readAll, type ReadOptions } from './backend.js';
import type { CrashRecord, Incident, InputSummary, KernelMessage, MachineCheck, Problem } from './model/index.js';
import { parseMceText } from './mce/text.js';
import { severityOf } from './mce/decode.js';
import { significantAddr } from './mce/bits.js';
import type { Timeline } from './timeline/types.js';
import { resolveInputs, type ResolvedInput } from './input/resolve.js';
import { checkReadOptions } from './input/options.js';
import { buildTimeline } from './timeline/build.js';
import { detect } from './detect/index.js';
import { correlate } from './correlate/index.js';
import { FormatError, messageOf } from './util/errors.js';
import type { DimmThreshold } from './correlate/dimm-history.js';

export interface AnalyzeOptions {
  /** Force this backend for every input (`--as`). */
  as?: string;
  /** Backend options (`--opt key=value`, layout parameters, ...). */
  options?: ReadOptions;
  /** Corrected errors on one DIMM past which the verdict says to replace it (`--dimm-ce-threshold`). */
  dimmThreshold?: DimmThreshold;
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

/** Inputs a memory dump is read from: read after the others (see fatalAddresses). */
const isDump = (r: ResolvedInput): boolean => r.backend.id === 'vmcore';

/**
 * Physical addresses of uncorrected machine checks in records already read (ERST, BERT,
 * mcelog, rasdaemon, and the "[Hardware Error]" lines of any log): a memory dump read
 * beside them never touches those pages, as `dmesg --avoid` (reading poisoned memory can
 * fault again).
 */
function fatalAddresses(records: readonly CrashRecord[]): string[] {
  const mces = records.filter((r): r is MachineCheck => r.kind === 'mce');
  for (const mc of parseMceText(records.filter((r): r is KernelMessage => r.kind === 'kmsg'))) mces.push(mc);
  const out = new Set<string>();
  for (const mc of mces) {
    const sev = severityOf(mc);
    if (sev === 'corrected' || sev === 'deferred') continue;
    const a = significantAddr(mc.status, mc.addr, mc.misc);
    if (a !== undefined && out.size < MAX_AVOID) out.add(`0x${a.toString(16)}`);
  }
  return [...out];
}

/** Pages passed to a dump's avoid list from other inputs, at most. */
const MAX_AVOID = 256;

/** Inputs read and merged into boots, without judging them (what collect groups by). */
export async function readTimeline(paths: string[], opts: AnalyzeOptions = {}): Promise<Omit<Analysis, 'incidents'>> {
  const { inputs: resolved, problems: unresolved } = await resolveInputs(paths, opts.as);
  if (opts.options && resolved.length > 0) checkReadOptions(opts.options, resolved.map((r) => r.backend));
  const inputs: InputSummary[] = unresolved.map((p) => ({ path: p.path, backend: 'none', records: 0, problems: [p] }));
  const read = new Map<ResolvedInput, { records: CrashRecord[]; problems: Problem[] }>();
  for (const input of resolved.filter((r) => !isDump(r))) read.set(input, await readInput(input, opts.options));
  const dumps = resolved.filter(isDump);
  if (dumps.length) {
    const given = ([] as unknown[]).concat(opts.options?.['avoid'] ?? []).map(String);
    const found = fatalAddresses([...read.values()].flatMap((r) => r.records));
    const options: ReadOptions = found.length ? { ...opts.options, avoid: [...given, ...found] } : (opts.options ?? {});
    for (const input of dumps) read.set(input, await readInput(input, options));
  }
  const perInput: { path: string; records: CrashRecord[] }[] = [];
  const records: CrashRecord[] = [];
  for (const input of resolved) {
    const r = read.get(input)!;
    inputs.push({ path: input.path, backend: input.backend.id, records: r.records.length, problems: r.problems });
    perInput.push({ path: input.path, records: r.records });
    for (const rec of r.records) records.push(rec);
  }
  const timeline = buildTimeline(perInput, inputs.flatMap((i) => i.problems));
  return { inputs, records, timeline };
}

export async function analyze(paths: string[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const read = await readTimeline(paths, opts);
  return { ...read, incidents: correlate(read.timeline, detect, opts.dimmThreshold ? { threshold: opts.dimmThreshold } : {}) };
}
