// Shared figures for benchmarks: wall time, throughput and peak RSS of a child process
// (measured by GNU time, so crashlog and the C tools are measured the same way).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../src/main.js', import.meta.url));

export interface Measured {
  seconds: number;
  /** User + system CPU time: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

export function measure(cmd: string, args: string[], opts: { input?: string } = {}): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-'));
  const out = join(dir, 'time');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', out, cmd, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      input: opts.input,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const [kb, user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    return { seconds, cpuSeconds: user! + sys!, peakRssMb: kb! / 1024, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the built crashlog CLI in a child node process and measure it. */
export function measureCli(args: string[]): Measured {
  return measure(process.execPath, [CLI, ...args]);
}

/** `runs` measurements of one command, fastest first: the machine is shared, one run says little. */
export function repeated(runs: number, cmd: string, args: string[], before?: () => void): Measured[] {
  const all: Measured[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    all.push(measure(cmd, args));
  }
  return all.sort((a, b) => a.seconds - b.seconds);
}

/** "median s (fastest-slowest of N)" for runs sorted by `repeated`. */
export function spread(all: Measured[]): string {
  const mid = all[Math.floor(all.length / 2)]!;
  return `${fmt(mid.seconds)} s median (${fmt(all[0]!.seconds)}-${fmt(all[all.length - 1]!.seconds)} s over ${all.length} runs)`;
}

/** Node's own start-up, to report crashlog's time beyond it. */
export function nodeStartup(): Measured {
  return measure(process.execPath, ['-e', '0']);
}

export function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

/** A console line's time stamp as printk prints it ("[    5.000041]"), from nanoseconds
 * (numbers: the generators call it for every line of a 5 GB log). */
export function stamp(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `[${String(s).padStart(5, ' ')}.${String(Math.floor(ns / 1e3) % 1e6).padStart(6, '0')}]`;
}
