// Issue 18's start-up figure: `--help` and `dmesg` of a real kdump beyond Node's own start
// (`node -e 0`), goal under 30 ms, for the one-file build dist/crashlog.mjs (`npm run dist`)
// and the tsc build dist/src/main.js (`npm install -g`), with the single executable
// dist/crashlog where built and `makedumpfile --dump-dmesg` on the same dump beside it.
// Runs alternate (A B C A B C ...) so a load change hits all alike; each figure is the
// median, in wall time and in CPU time (user+system, which load disturbs less).
// STARTUP_COMPARE=DIR adds the builds of another checkout (say, the last commit's) to the
// same runs, for a before/after in one measurement.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, fmt } from './util.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MJS = join(ROOT, 'dist', 'crashlog.mjs');
const SEA = join(ROOT, 'dist', 'crashlog');
const DUMP = join(ROOT, '..', 'shared', 'corpus', 'kdump-oops-panic', 'vmcore.kdump-zlib-d31');
const RUNS = 21;
const GOAL_MS = 30;

interface Case { name: string; cmd: string; args: string[]; node: boolean }
interface Figures { wall: number; cpu?: number }

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

/** One run: wall ms, and CPU ms from a preload that reports process.cpuUsage() at exit (node only). */
function once(c: Case, preload: string): { wall: number; cpu?: number } {
  const args = c.node ? ['-r', preload, ...c.args] : c.args;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c.cmd, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /^CRASHLOG_BENCH_CPU (\d+)$/m.exec(r.stderr ?? '');
  return m ? { wall, cpu: Number(m[1]) / 1000 } : { wall };
}

function measureAll(cases: Case[], preload: string): Map<string, Figures> {
  const walls = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  const cpus = new Map<string, number[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of cases) {
      const r = once(c, preload);
      walls.get(c.name)!.push(r.wall);
      if (r.cpu !== undefined) cpus.get(c.name)!.push(r.cpu);
    }
  }
  return new Map(cases.map((c) => {
    const cpu = cpus.get(c.name)!;
    return [c.name, { wall: median(walls.get(c.name)!), ...(cpu.length ? { cpu: median(cpu) } : {}) }];
  }));
}

function which(tool: string): string | undefined {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin']) if (existsSync(join(d, tool))) return join(d, tool);
  return undefined;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-startup-'));
  try {
    const preload = join(dir, 'cpu.cjs');
    writeFileSync(preload, "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeSync(2, `\\nCRASHLOG_BENCH_CPU ${u.user + u.system}\\n`); });\n");
    const node = process.execPath;
    const cases: Case[] = [{ name: 'node -e 0', cmd: node, args: ['-e', '0'], node: true }];
    const dump = existsSync(DUMP) ? DUMP : undefined;
    if (!dump) console.log(`startup: ${DUMP} missing: dmesg not measured`);
    const builds: [string, string][] = [['dist/crashlog.mjs', MJS], ['dist/src/main.js', CLI]];
    const other = process.env.STARTUP_COMPARE;
    if (other) builds.push([`${other}/dist/crashlog.mjs`, join(other, 'dist', 'crashlog.mjs')], [`${other}/dist/src/main.js`, join(other, 'dist', 'src', 'main.js')]);
    for (const [name, file] of builds) {
      if (!existsSync(file)) { console.log(`startup: ${name} not built (${name.endsWith('.mjs') ? 'npm run dist' : 'npm run build'}): skipped`); continue; }
      cases.push({ name: `${name} --help`, cmd: node, args: [file, '--help'], node: true });
      if (dump) cases.push({ name: `${name} dmesg`, cmd: node, args: [file, 'dmesg', dump], node: true });
    }
    if (existsSync(SEA)) {
      cases.push({ name: 'dist/crashlog --help', cmd: SEA, args: ['--help'], node: false });
      if (dump) cases.push({ name: 'dist/crashlog dmesg', cmd: SEA, args: ['dmesg', dump], node: false });
    }
    const mdf = which('makedumpfile');
    if (mdf && dump) {
      const out = join(dir, 'dmesg.txt');
      cases.push({ name: 'makedumpfile --dump-dmesg', cmd: 'sh', args: ['-c', 'rm -f "$2"; "$3" --dump-dmesg "$1" "$2"', 'sh', dump, out, mdf], node: false });
    } else console.log('startup: makedumpfile not installed (apt-get install makedumpfile): no peer figure');
    const f = measureAll(cases, preload);
    const base = f.get('node -e 0')!;
    console.log(`startup: node -e 0 ${fmt(base.wall, 1)} ms wall, ${fmt(base.cpu ?? NaN, 1)} ms CPU (median of ${RUNS}, runs alternating)`);
    for (const c of cases.slice(1)) {
      const m = f.get(c.name)!;
      const beyond = `beyond node -e 0: ${fmt(m.wall - base.wall, 1)} ms wall` + (m.cpu !== undefined && base.cpu !== undefined ? `, ${fmt(m.cpu - base.cpu, 1)} ms CPU` : '');
      const goal = c.node ? ` (goal under ${GOAL_MS} ms: ${m.wall - base.wall < GOAL_MS ? 'met' : 'NOT met'})` : '';
      console.log(`startup: ${c.name}: ${fmt(m.wall, 1)} ms wall${m.cpu !== undefined ? `, ${fmt(m.cpu, 1)} ms CPU` : ''}; ${c.node || c.name.startsWith('dist/crashlog ') ? `${beyond}${goal}` : `${fmt(m.wall / base.wall, 2)}x node -e 0 (peer)`}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
