// Issue 15's benchmark: `crashlog collect` of 10,000 generated pstore records, goal under 3 s
// and 300 MB on this machine, beside `cp -r` of the same folder (the peer: a copy and nothing
// else; no fsync, no hashing, no verdict). Three runs: the first collect into a fresh archive
// (every record copied, fsync'd, and the verdict worked out), the second (nothing new: reading
// and hashing), and --unlink (each archived copy read back and compared before its record is
// removed). Each figure is the median of RUNS (the machine is shared): wall time, CPU time
// (user + system, steadier when other work competes for the cores) and peak RSS.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, fmt, nodeStartup, stamp } from './util.js';

const RECORDS = 10_000;
const RUNS = Number(process.env.COLLECT_RUNS ?? 3);
const GOAL = { seconds: 3, rssMb: 300 };


/** 10,000 ramoops-style dmesg records of 40 lines each (about 3.4 KiB each). */
function makePstore(dir: string): number {
  let bytes = 0;
  for (let r = 0; r < RECORDS; r++) {
    const body = [`Oops#1 Part1`];
    for (let i = 0; i < 40; i++) body.push(`<6>${stamp((r * 100 + i) * 1e6)} crashlog-bench: record ${r} line ${i} some driver said something here`);
    const text = body.join('\n') + '\n';
    writeFileSync(join(dir, `dmesg-ramoops-${r}`), text);
    bytes += text.length;
  }
  return bytes;
}

interface Run {
  seconds: number;
  cpu: number;
  rssMb: number;
  status: number | null;
  stderr: string;
}

/** One run under GNU time: wall, user + system CPU, peak RSS. */
function timed(cmd: string, args: string[]): Run {
  const out = join(tmpdir(), `crashlog-bench-time-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', out, cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const [kb, user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number, number];
  rmSync(out, { force: true });
  return { seconds, cpu: user + sys, rssMb: kb / 1024, status: r.status, stderr: r.stderr ?? '' };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** RUNS runs of one command (`before` each), as medians. */
function runs(cmd: string, args: string[], before: () => void = () => {}): Run {
  const all: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    before();
    const r = timed(cmd, args);
    if (r.status !== 0) console.log(`  exit ${r.status}: ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
    all.push(r);
  }
  return { seconds: median(all.map((r) => r.seconds)), cpu: median(all.map((r) => r.cpu)), rssMb: median(all.map((r) => r.rssMb)), status: all.at(-1)!.status, stderr: '' };
}

function line(what: string, r: Run, peer?: Run): string {
  const vs = peer ? `; ${fmt(r.seconds / peer.seconds, 1)}x cp -r's time` : '';
  return `${what}: ${fmt(r.seconds)} s (cpu ${fmt(r.cpu)} s), peak RSS ${fmt(r.rssMb, 0)} MB; goal < ${GOAL.seconds} s, < ${GOAL.rssMb} MB${vs}`;
}

async function runOn(where: string, label: string): Promise<void> {
  const root = mkdtempSync(join(where, 'crashlog-bench-collect-'));
  try {
    const pstore = join(root, 'pstore');
    mkdirSync(pstore);
    const bytes = makePstore(pstore);
    const archive = join(root, 'archive');
    const copy = join(root, 'copy');
    const work = join(root, 'work');
    const args = (src: string) => [CLI, 'collect', '--json', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive];
    console.log(`-- ${label} (${where}): ${RECORDS} records, ${fmt(bytes / 1e6, 1)} MB; medians of ${RUNS} runs`);
    const peer = runs('cp', ['-r', pstore, copy], () => rmSync(copy, { recursive: true, force: true }));
    console.log(`peer cp -r: ${fmt(peer.seconds)} s (cpu ${fmt(peer.cpu)} s), peak RSS ${fmt(peer.rssMb, 0)} MB`);
    const first = runs(process.execPath, args(pstore), () => rmSync(archive, { recursive: true, force: true }));
    console.log(line('first collect (archive + verdict)', first, peer));
    console.log(line('second collect (nothing new)', runs(process.execPath, args(pstore)), peer));
    const fresh = () => {
      rmSync(work, { recursive: true, force: true });
      cpSync(pstore, work, { recursive: true });
    };
    console.log(line('collect --unlink (all archived)', runs(process.execPath, [...args(work), '--unlink'], fresh), peer));
    console.log(`left in the last --unlink's pstore: ${readdirSync(work).length}; archive entries: ${readdirSync(archive).filter((n) => !n.startsWith('.')).length}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const base = nodeStartup();
  console.log(`node start-up: ${fmt(base.seconds)} s, ${fmt(base.peakRssMb, 0)} MB`);
  // On disk, creating 10,000 files and fsyncing them is the filesystem's cost; on tmpfs
  // what is left is crashlog's own (hashing, copying, the analysis of the archived copies).
  await runOn(tmpdir(), 'disk');
  if (existsSync('/dev/shm')) await runOn('/dev/shm', 'tmpfs');
}
