// Issues 7, 15, 16: `crashlog dmesg` beside vmcore-dmesg (kexec-tools) and `makedumpfile
// --dump-dmesg` (a missing tool is skipped with a message), on the same inputs in the same
// run: the corpus kdumps, QEMU's paging ELF (65,718 program headers) and arm64 ELF, made
// kexec-style ELFs (~100 MB, and 64 GiB sparse with the log at the end), and gzip'd dumps
// (the corpus's, and a made 1 GiB one with the log at the end), which vmcore-dmesg cannot
// read: its row there is `gunzip -c > file; vmcore-dmesg file`, as a user would have to.
// Each figure is the median of RUNS (the machine is shared) beside its goal, with ratios;
// node's own start-up (`node -e 0`) is measured in the same run and reported apart. For a
// gzip'd dump, the temporary disk used (TMPDIR watched) and the peak RSS.
// CRASHLOG_BENCH_BEFORE=/path/to/other/dist/src/main.js adds that build's rows ("before").
import { spawn } from 'node:child_process';
import { closeSync, existsSync, lstatSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, fmt } from './util.js';
import { gunzipTo, gzipTo, makeElf } from './vmcore-inputs.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const KDUMP = join(CORPUS, 'kdump-oops-panic', 'vmcore.kdump-zlib-d31');
const RUNS = Number(process.env.VMCORE_BENCH_RUNS ?? 5);
const BEFORE = process.env.CRASHLOG_BENCH_BEFORE;
const GOAL_RATIO = 2; // crashlog dmesg within 2x of vmcore-dmesg, beyond node's start-up
const GOAL_RSS_MB = 200; // gzip'd dump, whatever its size

interface Run { wall: number; cpu: number; rssMb: number; stdout: string; stderr: string; status: number | null; tmpPeak: number }

function which(tool: string): string | undefined {
  for (const d of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (existsSync(join(d, tool))) return join(d, tool);
  return undefined;
}

/** Bytes on disk under `dir` (allocated blocks: a sparse file counts what it holds). */
function diskUse(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    try { n += e.isDirectory() ? diskUse(p) : lstatSync(p).blocks * 512; } catch { /* removed meanwhile */ }
  }
  return n;
}

/** One run under GNU time, TMPDIR a fresh folder watched every 10 ms. */
function once(cmd: string, args: string[], stdin?: string): Promise<Run> {
  const tmp = mkdtempSync(join(tmpdir(), 'crashlog-bench-tmp-'));
  const timeOut = join(tmp, '..', `${tmp.split('/').pop()}.time`);
  const fd = stdin ? openSync(stdin, 'r') : 'ignore';
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeOut, cmd, ...args], { stdio: [fd, 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stdout = '';
    let stderr = '';
    let tmpPeak = 0;
    const poll = setInterval(() => { tmpPeak = Math.max(tmpPeak, diskUse(tmp)); }, 10);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('latin1')));
    child.on('error', reject);
    child.on('close', (status) => {
      clearInterval(poll);
      if (typeof fd === 'number') closeSync(fd);
      const [wall, user, sys, kb] = readFileSync(timeOut, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      const left = diskUse(tmp);
      rmSync(tmp, { recursive: true, force: true });
      rmSync(timeOut, { force: true });
      resolve({ wall: wall!, cpu: user! + sys!, rssMb: kb! / 1024, stdout, stderr: stderr + (left ? `\n${left} bytes left in TMPDIR` : ''), status, tmpPeak: Math.max(tmpPeak, left) });
    });
  });
}

interface Summary extends Run { runs: number }
async function median(cmd: string, args: string[], stdin?: string, runs = RUNS): Promise<Summary> {
  const all: Run[] = [];
  for (let i = 0; i < runs; i++) all.push(await once(cmd, args, stdin));
  const mid = <K extends 'wall' | 'cpu'>(k: K) => all.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(all.length / 2)]!;
  return { ...all[0]!, wall: mid('wall'), cpu: mid('cpu'), rssMb: Math.max(...all.map((r) => r.rssMb)), tmpPeak: Math.max(...all.map((r) => r.tmpPeak)), runs };
}

const lines = (s: string) => (s ? s.split('\n').length - 1 : 0);
const ms = (s: number) => `${fmt(s * 1000, 0).padStart(6)} ms`;
const mib = (b: number) => `${fmt(b / 2 ** 20, 1)} MiB`;

function row(label: string, r: Summary, extra = ''): void {
  console.log(`    ${label.padEnd(30)} ${ms(r.wall)} wall ${ms(r.cpu)} cpu ${fmt(r.rssMb, 0).padStart(4)} MB RSS ${String(lines(r.stdout)).padStart(4)} lines exit ${String(r.status).padEnd(2)}${extra}`);
}

interface Input { label: string; path: string; gz?: boolean; stdin?: boolean; runs?: number }

async function bench(input: Input, node: Summary, tools: Record<string, string | undefined>, dir: string): Promise<void> {
  const st = statSync(input.path);
  console.log(`  ${input.label}: ${mib(st.size)} apparent, ${mib(st.blocks * 512)} on disk`);
  const args = (cli: string) => [cli, 'dmesg', '--stats', input.stdin ? '-' : input.path];
  const builds: [string, string][] = [['crashlog dmesg', CLI], ...(BEFORE ? [['crashlog dmesg (before)', BEFORE] as [string, string]] : [])];
  const ours: Summary[] = [];
  for (const [label, cli] of builds) {
    const c = await median(process.execPath, args(cli), input.stdin ? input.path : undefined, input.runs);
    ours.push(c);
    const inCommand = /, ([\d.]+) ms$/m.exec(c.stderr)?.[1];
    const read = /(\d+) bytes read/.exec(c.stderr)?.[1];
    row(label, c, `; ${read ? mib(Number(read)) : '?'} of the dump read; ${inCommand ?? '?'} ms in the command; TMPDIR peak ${mib(c.tmpPeak)}`);
  }
  const peers: [string, Summary][] = [];
  if (tools['vmcore-dmesg']) {
    if (!input.gz) peers.push(['vmcore-dmesg', await median(tools['vmcore-dmesg'], [input.path], undefined, input.runs)]);
    else {
      const out = join(dir, 'gunzipped');
      const sh = await median('sh', ['-c', 'gunzip -c "$1" > "$2" && "$3" "$2"; s=$?; rm -f "$2"; exit $s', 'sh', input.path, out, tools['vmcore-dmesg']], undefined, input.runs);
      peers.push(['gunzip -c >f; vmcore-dmesg f', sh]);
    }
  }
  if (tools.makedumpfile && !input.gz) {
    const out = join(dir, 'md.txt');
    const m = await median('sh', ['-c', 'rm -f "$2"; "$3" --dump-dmesg "$1" "$2" >/dev/null 2>&1; s=$?; cat "$2" 2>/dev/null; rm -f "$2"; exit $s', 'sh', input.path, out, tools.makedumpfile], undefined, input.runs);
    peers.push(['makedumpfile --dump-dmesg', m]);
  }
  for (const [label, p] of peers) row(label, p, p.status ? '  (cannot read this input)' : '');
  const c = ours[0]!;
  const beyond = { wall: c.wall - node.wall, cpu: c.cpu - node.cpu };
  console.log(`    crashlog beyond node -e 0: ${ms(beyond.wall)} wall, ${ms(beyond.cpu)} cpu`);
  const peer = peers.find(([, p]) => p.status === 0 && lines(p.stdout) > 0);
  if (peer) {
    const [name, p] = peer;
    const r = beyond.wall / p.wall;
    console.log(`    ratio to ${name}: ${fmt(r, 2)}x wall, ${fmt(beyond.cpu / p.cpu, 2)}x cpu (goal: ≤ ${GOAL_RATIO}x wall beyond node's start-up) ${r <= GOAL_RATIO ? 'met' : 'NOT met'}; output ${c.stdout === p.stdout ? 'identical' : 'differs'}`);
  }
  if (ours[1]) console.log(`    after/before: ${fmt(c.wall / ours[1].wall, 2)}x wall, ${fmt(c.cpu / ours[1].cpu, 2)}x cpu, ${fmt(c.rssMb / ours[1].rssMb, 2)}x RSS; output ${c.stdout === ours[1].stdout ? 'identical' : 'differs'}`);
  if (input.gz) console.log(`    gzip: peak RSS ${fmt(c.rssMb, 0)} MB (goal < ${GOAL_RSS_MB} MB) ${c.rssMb < GOAL_RSS_MB ? 'met' : 'NOT met'}; temporary disk ${mib(c.tmpPeak)} (bound: 0 for a file, the compressed size for stdin)`);
}

export async function run(): Promise<void> {
  if (!existsSync(KDUMP)) { console.log(`  skipped: ${KDUMP} missing`); return; }
  const tools = { 'vmcore-dmesg': which('vmcore-dmesg'), makedumpfile: which('makedumpfile') };
  for (const [t, p] of Object.entries(tools)) if (!p) console.log(`  ${t}: not installed (apt-get install ${t === 'makedumpfile' ? 'makedumpfile' : 'kexec-tools'}); skipped`);
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-vmcore-'));
  try {
    const paging = join(CORPUS, 'qemu-dump-paging-gpf-logbuf4m', 'vmcore.paging.elf.gz');
    const arm64 = join(CORPUS, 'arm64-qemu-dump', 'vmcore.elf.gz');
    const small = join(dir, 'vmcore-100m.elf');
    const big = join(dir, 'vmcore-64g.elf');
    const giga = join(dir, 'vmcore-1g.elf');
    const real = await makeElf(KDUMP, small, 0);
    await makeElf(KDUMP, small, Math.max(0, 100 * 2 ** 20 - real));
    await makeElf(KDUMP, big, 64 * 2 ** 30);
    await makeElf(KDUMP, giga, 2 ** 30);
    await gzipTo(giga, `${giga}.gz`);
    rmSync(giga);
    await gunzipTo(paging, join(dir, 'paging.elf'));
    await gunzipTo(arm64, join(dir, 'arm64.elf'));
    const node = await median(process.execPath, ['-e', '0']);
    console.log(`  medians of ${RUNS} runs (3 for gzip'd dumps); node -e 0 (start-up): ${ms(node.wall)} wall, ${ms(node.cpu)} cpu, ${fmt(node.rssMb, 0)} MB RSS`);
    // What crashlog's own modules cost before any command runs (src/cli.ts loads every command's).
    const cli = CLI.replace(/main\.js$/, 'cli.js');
    const mods = await median(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(cli)})`]);
    console.log(`  node + loading crashlog's modules (no command): ${ms(mods.wall)} wall, ${ms(mods.cpu)} cpu; that is ${ms(mods.wall - node.wall)} wall, ${ms(mods.cpu - node.cpu)} cpu beyond node`);
    const inputs: Input[] = [
      { label: 'kdump-oops-panic kdump-zlib-d31', path: KDUMP },
      { label: 'kdump-oops-panic flat-zlib-d31', path: join(CORPUS, 'kdump-oops-panic', 'vmcore.flat-zlib-d31') },
      { label: 'qemu-dump-hung (QEMU kdump)', path: join(CORPUS, 'qemu-dump-hung', 'vmcore.kdump-zlib') },
      { label: 'QEMU paging ELF (65,718 phdrs)', path: join(dir, 'paging.elf') },
      { label: 'arm64 QEMU ELF', path: join(dir, 'arm64.elf') },
      { label: 'ELF ~100 MB (kexec-style)', path: small },
      { label: 'ELF 64 GiB sparse', path: big },
      { label: 'QEMU paging ELF, gzip (corpus)', path: paging, gz: true, runs: Math.min(RUNS, 3) },
      { label: 'arm64 QEMU ELF, gzip (corpus)', path: arm64, gz: true, runs: Math.min(RUNS, 3) },
      { label: 'ELF 1 GiB, gzip -1, log at the end', path: `${giga}.gz`, gz: true, runs: Math.min(RUNS, 3) },
      { label: 'QEMU paging ELF, gzip, on stdin', path: paging, gz: true, stdin: true, runs: Math.min(RUNS, 3) },
      { label: 'kdump-oops-panic flat-zlib-d31, on stdin (spilled)', path: join(CORPUS, 'kdump-oops-panic', 'vmcore.flat-zlib-d31'), stdin: true },
    ];
    for (const input of inputs) {
      if (!existsSync(input.path)) { console.log(`  ${input.label}: missing; skipped`); continue; }
      await bench(input, node, tools, dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
