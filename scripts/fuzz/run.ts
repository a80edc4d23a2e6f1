// Running one case: scripts/fuzz/case.ts in a child with the campaign's caps, watched
// from here through /proc (resident memory, CPU time) so that a runaway case is stopped
// on what it costs, not on a wall clock the other jobs on the machine move.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './case.js';

/** The child's script: beside this one when built, in dist/ when this runs from its source (vitest). */
const HERE = fileURLToPath(import.meta.url);
const CASE = HERE.endsWith('.ts') ? join(dirname(HERE), '..', '..', 'dist', 'scripts', 'fuzz', 'case.js') : join(dirname(HERE), 'case.js');

/** Issue 16's goal for any hostile input: an answer in under 2 s and 150 MB. */
export const GOAL_MS = 2000;
export const GOAL_MB = 150;
/** The caps a case runs under: V8's heap, CPU time and resident memory before it is stopped, wall time as a last resort. */
export const CASE_HEAP_MB = 150;
export const CASE_CPU_MS = 10_000;
export const CASE_RSS_MB = 600;
export const CASE_WALL_MS = 300_000;
const POLL_MS = 50;

/** What a JavaScript error looks like when it leaks past the problem reports. */
export const RAW_ERROR = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|Maximum call stack|Cannot read properties|is not a function|Offset is outside the bounds|Invalid time value|Invalid array length|is not iterable|Invalid typed array length|Array buffer allocation failed)\b/;

export type FindingClass = 'hang' | 'memory' | 'crash' | 'raw-error' | 'slow';

export interface CaseOutcome {
  /** Undefined when the case behaved. */
  finding?: { cls: FindingClass; detail: string };
  /** What the child said of itself (absent when it was stopped or died). */
  result?: CaseResult;
  wallMs: number;
  /** Peak resident memory seen from outside (MB), and CPU time (ms): the figures of a stopped case. */
  peakMB: number;
  cpuMs: number;
}

const TICKS = 100; // USER_HZ on Linux
function sample(pid: number): { rssMB: number; cpuMs: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    return { rssMB: rss ? Number(rss[1]) / 1024 : 0, cpuMs: (ticks * 1000) / TICKS };
  } catch {
    return undefined;
  }
}

export function classify(o: Omit<CaseOutcome, 'finding'>, code: number | null, signal: string | null, stopped: string | undefined, err: string): CaseOutcome['finding'] {
  if (stopped) return { cls: stopped.startsWith('memory') ? 'memory' : 'hang', detail: stopped };
  if (/heap out of memory|Allocation failed|Array buffer allocation failed/.test(err)) return { cls: 'memory', detail: err.split('\n').find((l) => /memory|Allocation/.test(l))?.slice(0, 400) ?? '' };
  if (signal) return { cls: 'crash', detail: `killed by ${signal}` };
  const r = o.result;
  if (code !== 0 || !r) return { cls: 'crash', detail: `exit ${code}: ${err.slice(0, 400)}` };
  const escaped = r.thrown.find((t) => t.where === 'analyze' || t.where === 'report');
  if (escaped) return { cls: 'crash', detail: `${escaped.where}: ${escaped.name}: ${escaped.message}\n${escaped.stack ?? ''}`.slice(0, 1200) };
  if (r.thrown.length) return { cls: 'raw-error', detail: `${r.thrown[0]!.where}: ${r.thrown[0]!.name}: ${r.thrown[0]!.message}\n${r.thrown[0]!.stack ?? ''}`.slice(0, 1200) };
  const raw = r.problems.find((p) => RAW_ERROR.test(p));
  if (raw) return { cls: 'raw-error', detail: raw.slice(0, 400) };
  if (Math.max(r.rssMB, o.peakMB) > GOAL_MB) return { cls: 'memory', detail: `peak RSS ${Math.max(r.rssMB, Math.round(o.peakMB))} MB, over the ${GOAL_MB} MB goal` };
  if (r.processCpuMs > GOAL_MS) return { cls: 'slow', detail: `${r.processCpuMs} ms of CPU (pipeline ${r.cpuMs} ms), over the ${GOAL_MS} ms goal` };
  return undefined;
}

/** Run `inputs` through the whole pipeline in a capped child. */
export function runCase(inputs: string[]): Promise<CaseOutcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${CASE_HEAP_MB}`, CASE, ...inputs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (out.length < 1 << 20) out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (err.length < 1 << 16) err += d; });
    let peakMB = 0;
    let cpuMs = 0;
    let stopped: string | undefined;
    const poll = setInterval(() => {
      const s = child.pid === undefined ? undefined : sample(child.pid);
      if (!s) return;
      peakMB = Math.max(peakMB, s.rssMB);
      cpuMs = s.cpuMs;
      const wall = Date.now() - t0;
      if (s.rssMB > CASE_RSS_MB) stopped = `memory: ${Math.round(s.rssMB)} MB resident, stopped at ${CASE_RSS_MB} MB`;
      else if (s.cpuMs > CASE_CPU_MS) stopped = `no answer after ${CASE_CPU_MS} ms of CPU`;
      else if (wall > CASE_WALL_MS) stopped = `no answer after ${CASE_WALL_MS} ms`;
      if (stopped) child.kill('SIGKILL');
    }, POLL_MS);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      const line = out.split('\n').find((l) => l.startsWith('@@case '));
      let result: CaseResult | undefined;
      try {
        result = line ? (JSON.parse(line.slice(7)) as CaseResult) : undefined;
      } catch {
        result = undefined;
      }
      const o = { wallMs: Date.now() - t0, peakMB: Math.round(Math.max(peakMB, result?.rssMB ?? 0)), cpuMs: Math.round(Math.max(cpuMs, result?.processCpuMs ?? 0)), ...(result ? { result } : {}) };
      const finding = classify(o, code, signal, stopped, err);
      resolve({ ...o, ...(finding ? { finding } : {}) });
    });
  });
}
