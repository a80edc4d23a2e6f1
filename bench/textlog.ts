// Issue 15's benchmark: `crashlog report` on console logs of months, 500 MB, 1 GB and 5 GB
// (`npm run bench -- textlog`; CRASHLOG_BENCH_SIZES=500,1024 for fewer): MB/s and peak RSS
// beside the goals (100 MB/s, 300 MB whatever the size), and `grep -c` of the same file in
// the same run as the peer (a pass over the bytes, no judgement).
// Each log is BOOTS boots of a real kernel's console (fixtures/…/serial-console.log): its
// boot lines, then routine lines for as long as the size asks, then the WARNING, oops and
// panic that ended it. RSS must not grow with the size: the boots grow, the crashes do not.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, measure, measureCli, stamp } from './util.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/pstore/ramoops-oops-panic/serial-console.log', import.meta.url));
const MB = 1024 * 1024;
const BOOTS = 8;
const GOAL_MBS = 100;
const GOAL_RSS_MB = 300;

interface Line { ns: number; text: string }

/** The sample's timed lines: boot lines (before the cut-here line) and the crash (from it). */
function sample(): { boot: Line[]; crash: Line[]; routine: string[] } {
  const lines: Line[] = [];
  for (const l of readFileSync(SAMPLE, 'utf8').split('\n')) {
    const m = /\[\s*(\d+)\.(\d{6})\] (.*)$/.exec(l);
    if (m) lines.push({ ns: Number(m[1]) * 1e9 + Number(m[2]) * 1e3, text: m[3]! });
  }
  const cut = lines.findIndex((l) => l.text.includes('[ cut here ]'));
  const boot = lines.slice(0, cut);
  // Routine lines: what devices and services say once the machine is up.
  const routine = boot.filter((l) => l.ns > 1e9 && !/WARNING|BUG|error/i.test(l.text)).map((l) => l.text);
  return { boot, crash: lines.slice(cut), routine };
}


/** A console log of `bytes`: BOOTS boots, each ending in the sample's crash. */
export function makeMonths(path: string, bytes: number): number {
  const { boot, crash, routine } = sample();
  const fd = openSync(path, 'w');
  let written = 0;
  let n = 0;
  let chunk: string[] = [];
  const put = (ns: number, text: string) => {
    const line = `${stamp(ns)} ${text}\n`;
    chunk.push(line);
    written += line.length;
    n++;
    if (chunk.length === 20_000) { writeSync(fd, chunk.join('')); chunk = []; }
  };
  const perBoot = bytes / BOOTS;
  for (let b = 0; b < BOOTS; b++) {
    const start = written;
    // Boots of one kernel differ in their timings (build.ts joins segments sharing timed lines).
    for (const l of boot) put(l.ns === 0 ? 0 : l.ns + b * 7_919_000, l.text);
    let ns = 10e9 + b * 7_919_000;
    for (let i = 0; written - start < perBoot - 8192; i++) put((ns += 37_000), routine[i % routine.length]!);
    for (const l of crash) put((ns += 1000) + (l.ns - crash[0]!.ns), l.text);
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
  return n;
}

export async function run(): Promise<void> {
  const sizes = (process.env['CRASHLOG_BENCH_SIZES'] ?? '500,1024,5120').split(',').map(Number);
  const work = mkdtempSync(join(tmpdir(), 'crashlog-bench-textlog-'));
  try {
    for (const size of sizes) {
      const log = join(work, `console-${size}.log`);
      const lines = makeMonths(log, size * MB);
      const mb = statSync(log).size / MB;
      const grep = measure('grep', ['-c', 'Kernel panic', log]);
      const t = measureCli(['report', '--json', log]);
      const incidents = t.status === 0 ? (JSON.parse(t.stdout) as { incidents: unknown[] }).incidents.length : -1;
      // On a loaded machine the wall time says little of the run: CPU time is given beside it.
      console.log(`text log ${fmt(mb, 0)} MB (${lines} lines, ${BOOTS} boots): ${fmt(t.seconds)} s = ${fmt(mb / t.seconds, 1)} MB/s (goal ${GOAL_MBS}; ` +
        `CPU ${fmt(t.cpuSeconds)} s = ${fmt(mb / t.cpuSeconds, 1)} MB/s), ` +
        `peak RSS ${fmt(t.peakRssMb, 0)} MB (goal under ${GOAL_RSS_MB}), ${incidents} incidents, exit ${t.status}; ` +
        `grep -c: ${fmt(grep.seconds)} s = ${fmt(mb / grep.seconds, 0)} MB/s, CPU ${fmt(grep.cpuSeconds)} s (crashlog ${fmt(t.seconds / grep.seconds, 1)}x wall, ${fmt(t.cpuSeconds / Math.max(grep.cpuSeconds, 0.01), 1)}x CPU)`);
      if (t.status !== 0) console.log(t.stderr.slice(0, 2000));
      rmSync(log, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
