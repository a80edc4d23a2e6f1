// The library entry point behind `crashlog report`, `timeline` and `collect`:
// input paths -> probe -> backend records -> timeline -> detectors -> correlator.
import type { ReadOptions } from './backend.js';
import { readInput, readKept, summary, type Read } from './read-input.js';
import { analyzeStore } from './analyze-store.js';
import type { CrashRecord, Incident, InputSummary, KernelMessage, MachineCheck, Problem } from './model/index.js';
import { parseMceText } from './mce/text.js';
import { severityOf } from './mce/decode.js';
import { significantAddr } from './mce/bits.js';
import { judgedBoot, type Boot, type Timeline } from './timeline/types.js';
import { resolveInputs, type ResolvedInput } from './input/resolve.js';
import { checkReadOptions } from './input/options.js';
import { buildTimeline, sameBoot, timelineOf } from './timeline/build.js';
import type { Segment } from './timeline/segments.js';
import { detect } from './detect/index.js';
import { correlate, Correlator } from './correlate/index.js';
import type { DimmThreshold } from './correlate/dimm-history.js';

export interface AnalyzeOptions {
  /** Force this backend for every input (`--as`). */
  as?: string;
  /** Backend options (`--opt key=value`, layout parameters, ...). */
  options?: ReadOptions;
  /** Corrected errors on one DIMM past which the verdict says to replace it (`--dimm-ce-threshold`). */
  dimmThreshold?: DimmThreshold;
  /**
   * 'all' (the default): every line of every input is kept (`timeline`). 'boots': a long
   * log keeps what a verdict reads (src/timeline/keep.ts) and the report shows (`report
   * --html`). 'verdict': so too, and a single log is judged boot by boot as it is read,
   * each boot's lines let go once judged (collect's verdict). 'incidents': so too, and a
   * single store whose reader gives its records in order (Backend.ordered) is judged boot by
   * boot as it is read (src/analyze-store.ts): no boot's lines are kept once judged
   * (`report`, `report --json`).
   */
  keep?: 'all' | 'boots' | 'verdict' | 'incidents';
  /**
   * Each boot as soon as it is read whole, for a caller that prints boot by boot (`timeline`):
   * a single log is then read as a stream with every line kept, and no boot is held after
   * this call (the analysis's timeline has none). Other inputs give their boots here too,
   * after they are all read.
   */
  onBoot?: (boot: Boot) => void;
}

export interface Analysis {
  inputs: InputSummary[];
  records: CrashRecord[];
  timeline: Timeline;
  incidents: Incident[];
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
export async function readTimeline(paths: string[] | Resolved, opts: AnalyzeOptions = {}): Promise<Omit<Analysis, 'incidents'>> {
  const { inputs, resolved, read } = await readResolved(paths, opts, false);
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

/** Inputs resolved and read, dumps last (with the other inputs' fatal addresses to avoid). */
async function readResolved(paths: string[] | Resolved, opts: AnalyzeOptions, keep: boolean) {
  const { inputs: resolved, problems: unresolved } = Array.isArray(paths) ? await resolveInputs(paths, opts.as) : paths;
  if (opts.options && resolved.length > 0) checkReadOptions(opts.options, resolved.map((r) => r.backend));
  const inputs: InputSummary[] = unresolved.map((p) => ({ path: p.path, backend: 'none', records: 0, problems: [p] }));
  const read = new Map<ResolvedInput, Read>();
  const index = (r: ResolvedInput) => resolved.indexOf(r);
  const readOne = (input: ResolvedInput, o: ReadOptions = {}) => (keep ? readKept(input, index(input), o) : readInput(input, o));
  for (const input of resolved.filter((r) => !isDump(r))) read.set(input, await readOne(input, opts.options));
  const dumps = resolved.filter(isDump);
  if (dumps.length) {
    const given = ([] as unknown[]).concat(opts.options?.['avoid'] ?? []).map(String);
    const found = fatalAddresses([...read.values()].flatMap((r) => [...r.records, ...(r.segments ?? []).flatMap((s) => s.messages)]));
    const options: ReadOptions = found.length ? { ...opts.options, avoid: [...given, ...found] } : (opts.options ?? {});
    for (const input of dumps) read.set(input, await readOne(input, options));
  }
  return { inputs, resolved, read };
}

/** Backends whose input is one log in order: its boots come one after another, and are judged so. */
const ONE_LOG = new Set(['text', 'journal']);

/** A single log judged boot by boot as it is read: only the boot being read is held. */
async function analyzeStream(input: ResolvedInput, inputs: InputSummary[], opts: AnalyzeOptions): Promise<Analysis> {
  const correlator = new Correlator([], detect, opts.dimmThreshold ? { threshold: opts.dimmThreshold } : {});
  const incidents: Incident[] = [];
  const boots: Timeline['boots'] = [];
  let group: Segment[] = [];
  let others: CrashRecord[] = [];
  const judge = () => {
    if (!group.length && !others.length) return;
    for (const boot of timelineOf(group, [{ path: input.path, records: others }]).boots) {
      if (opts.onBoot) { opts.onBoot(boot); continue; }
      const inc = correlator.boot(boot);
      if (inc) incidents.push(inc);
      // Judged: the lines go, the boot's identity stays.
      boots.push(judgedBoot(boot));
    }
    group = [];
    others = [];
  };
  const done = (s: Segment, more: CrashRecord[]) => {
    if (group.length && !sameBoot(group, s)) judge();
    group.push(s);
    for (const m of more) others.push(m);
  };
  const r = await readKept(input, 0, opts.options ?? {}, { done, whole: opts.onBoot !== undefined });
  for (const m of r.records) others.push(m);
  judge();
  inputs.push(summary(input, r));
  return { inputs, records: [], timeline: { boots, problems: inputs.flatMap((i) => i.problems) }, incidents };
}

/** The one input of a single log (ONE_LOG), read as a stream; undefined for any other set. */
function singleLog(found: Resolved): ResolvedInput | undefined {
  const [only] = found.inputs;
  return found.inputs.length === 1 && ONE_LOG.has(only!.backend.id) ? only : undefined;
}

type Resolved = Awaited<ReturnType<typeof resolveInputs>>;

export async function analyze(paths: string[], opts: AnalyzeOptions = {}): Promise<Analysis> {
  const found = await resolveInputs(paths, opts.as);
  const one = singleLog(found);
  const dimms = opts.dimmThreshold ? { threshold: opts.dimmThreshold } : {};
  const unresolved = () => found.problems.map((p): InputSummary => ({ path: p.path, backend: 'none', records: 0, problems: [p] }));
  if (one && (opts.onBoot || opts.keep === 'verdict' || opts.keep === 'incidents')) {
    if (opts.options) checkReadOptions(opts.options, [one.backend]);
    return analyzeStream(one, unresolved(), opts);
  }
  const [only] = found.inputs;
  if (opts.keep === 'incidents' && found.inputs.length === 1 && only!.backend.ordered && !opts.onBoot) {
    if (opts.options) checkReadOptions(opts.options, [only!.backend]);
    const v = await analyzeStore(only!, opts.options ?? {}, opts.dimmThreshold);
    if (v) {
      const inputs = [...unresolved(), ...v.inputs];
      return { ...v, inputs, timeline: { ...v.timeline, problems: inputs.flatMap((i) => i.problems) } };
    }
  }
  if (opts.onBoot) {
    const read = await readTimeline(found, opts);
    for (const b of read.timeline.boots) opts.onBoot(b);
    return { ...read, timeline: { boots: [], problems: read.timeline.problems }, incidents: [] };
  }
  if (opts.keep !== undefined && opts.keep !== 'all') {
    const { inputs, resolved, read } = await readResolved(found, opts, true);
    const segments: Segment[] = [];
    const records: CrashRecord[] = [];
    const perInput: { path: string; records: CrashRecord[] }[] = [];
    for (const input of resolved) {
      const r = read.get(input)!;
      inputs.push(summary(input, r));
      perInput.push({ path: input.path, records: r.records });
      for (const s of r.segments ?? []) {
        segments.push(s);
        for (const m of s.messages) records.push(m);
      }
      for (const rec of r.records) records.push(rec);
    }
    const timeline = timelineOf(segments, perInput, inputs.flatMap((i) => i.problems));
    return { inputs, records, timeline, incidents: correlate(timeline, detect, dimms) };
  }
  const read = await readTimeline(found, opts);
  return { ...read, incidents: correlate(read.timeline, detect, dimms) };
}
