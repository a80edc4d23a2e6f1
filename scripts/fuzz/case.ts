// One fuzz case, in a child process of the campaign (scripts/fuzz/campaign.ts):
// `node dist/scripts/fuzz/case.js INPUT...` runs the whole pipeline as `crashlog report`
// does (analyze: probe, readers, readTimeline, detect, correlate; then the JSON, text and
// HTML reports) and prints one JSON line: what it cost (pipeline time, peak RSS) and
// anything thrown that is not a FormatError. Readers' errors become problems inside
// analyze (what a user sees); the registry's probe and read are wrapped here so that an
// internal error (a TypeError, a RangeError) is still told from a FormatError.
import { backends } from '../../backends/index.js';
import type { Backend, Yielded } from '../../src/backend.js';
import { FormatError } from '../../src/util/errors.js';

export interface Thrown { where: string; name: string; message: string; stack?: string }

export interface CaseResult {
  /** analyze + the three reports, in ms of wall time (no process start-up, no module loading). */
  ms: number;
  /** The same span in CPU time (user + system) of this process: what a loaded machine moves least. */
  cpuMs: number;
  /** CPU time of the whole process up to the answer, start-up and module loading included. */
  processCpuMs: number;
  /** Peak resident set of the whole process, in MB (getrusage ru_maxrss). */
  rssMB: number;
  records: number;
  problems: string[];
  /** Errors thrown that are not FormatErrors, where they were caught. */
  thrown: Thrown[];
  /** Bytes of the JSON, text and HTML reports. */
  reportBytes: number;
}

/** Problems or output kept per case: enough to classify, not a second copy of the report. */
const MAX_PROBLEMS_KEPT = 200;

const thrown: Thrown[] = [];
const note = (where: string, err: unknown): void => {
  if (err instanceof FormatError) return;
  const e = err instanceof Error ? err : new Error(String(err));
  if (thrown.length < MAX_PROBLEMS_KEPT) thrown.push({ where, name: e.name, message: e.message, ...(e.stack ? { stack: e.stack.split('\n').slice(0, 12).join('\n') } : {}) });
};

/** The registry's backends, with every error that escapes a probe or a reader noted first. */
function watch(b: Backend): void {
  const probe = b.probe.bind(b);
  const read = b.read.bind(b);
  b.probe = (p) => {
    try {
      return probe(p);
    } catch (err) {
      note(`${b.id} probe`, err);
      throw err;
    }
  };
  b.read = (path, ctx) => ({
    async *[Symbol.asyncIterator](): AsyncGenerator<Yielded> {
      try {
        yield* read(path, ctx);
      } catch (err) {
        note(`${b.id} read`, err);
        throw err;
      }
    },
  });
}

async function main(paths: string[]): Promise<CaseResult> {
  for (const b of backends) watch(b);
  const [{ analyze }, { renderHtml }, { renderText }, { stringifyJson, toJsonReport }] = await Promise.all([
    import('../../src/analyze.js'), import('../../src/report/html.js'), import('../../src/report/text.js'), import('../../src/report/json.js'),
  ]);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let records = 0;
  let problems: string[] = [];
  let reportBytes = 0;
  try {
    const a = await analyze(paths);
    records = a.inputs.reduce((n, i) => n + i.records, 0);
    problems = a.inputs.flatMap((i) => i.problems.map((p) => `${p.path}${p.offset === undefined ? '' : `+0x${p.offset.toString(16)}`}: ${p.message}`)).slice(0, MAX_PROBLEMS_KEPT);
    for (const render of [() => stringifyJson(toJsonReport(a)), () => renderText(a), () => renderHtml(a)]) {
      try {
        reportBytes += render().length;
      } catch (err) {
        note('report', err);
        if (!(err instanceof FormatError)) continue;
      }
    }
  } catch (err) {
    note('analyze', err);
  }
  const cpu = process.cpuUsage(cpu0);
  const all = process.cpuUsage();
  return { ms: Math.round(performance.now() - t0), cpuMs: Math.round((cpu.user + cpu.system) / 1000), processCpuMs: Math.round((all.user + all.system) / 1000), rssMB: Math.round(process.resourceUsage().maxRSS / 1024), records, problems, thrown, reportBytes };
}

const paths = process.argv.slice(2);
if (paths.length === 0) {
  process.stderr.write('usage: node dist/scripts/fuzz/case.js INPUT...\n');
  process.exitCode = 2;
} else {
  // One line on stdout, whatever the pipeline printed before it (it prints nothing itself).
  void main(paths).then((r) => process.stdout.write(`\n@@case ${JSON.stringify(r)}\n`));
}
