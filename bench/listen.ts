// Issue 20's benchmark: `crashlog listen` (the built CLI, in a child process) receiving
// extended netconsole records from 1,000 simulated senders on 127.0.0.1 (each bound to its
// own loopback address, 127.0.x.y, as senders are told apart by address), at a series of
// offered rates, each a few times; beside it, on the same traffic in the same run, socat
// (`socat -u UDP-RECV:PORT OPEN:FILE,append`: receive and append, no parsing, one log for
// all) where it is installed. Per rate: messages/s received and written, loss (sent -
// received: the kernel's socket buffer, and the write queue), the receiver's peak RSS and
// CPU per message, the receiving thread's apart from the rest (writer, detector, GC).
// Goal: 200,000 msg/s without loss. The machine is shared: medians, and CPU per message.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketDrops } from '../src/live/address.js';
import { send, senderKind, type Sent } from './listen-send.js';
import { CLI, fmt } from './util.js';

const SENDERS = Number(process.env.BENCH_LISTEN_SENDERS ?? 1000);
const GOAL = 200_000;
const RATES = (process.env.BENCH_LISTEN_RATES ?? '50000,100000,200000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_LISTEN_REPEAT ?? 3);
const SECONDS = 3;

interface Run { offered: number; received: number; written: number; loss: number; lossNote: string; rss: number; cpuMain: number; cpuRest: number }

/** CPU seconds (user + system) of each thread: /proc/<pid>/task/<tid>/stat fields 14 and 15, in ticks (100/s). */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return out;
}

/** CPU used since `before`: the thread whose id is the process's (the receiving one), and the rest. */
function cpuSince(pid: number, before: Map<number, number>): { main: number; rest: number } {
  let main = 0;
  let rest = 0;
  for (const [tid, t] of threadCpu(pid)) {
    const d = t - (before.get(tid) ?? 0);
    if (tid === pid) main += d;
    else rest += d;
  }
  return { main, rest };
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

function result(s: Sent, received: number, written: number, loss: number, lossNote: string, rss: number, cpu: { main: number; rest: number }): Run {
  const per = (c: number) => (c * 1e6) / Math.max(1, received);
  return { offered: s.sent / s.seconds, received: received / s.seconds, written: written / s.seconds, loss: loss / (s.sent + s.warm), lossNote, rss, cpuMain: per(cpu.main), cpuRest: per(cpu.rest) };
}

async function crashlog(rate: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-listen-'));
  const extra = (process.env.BENCH_LISTEN_ARGS ?? '').split(' ').filter(Boolean);
  const nodeArgs = (process.env.BENCH_LISTEN_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. --cpu-prof
  // Port 0: the kernel picks a free one, and listen says which.
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'listen', '--udp', '127.0.0.1:0', '--dir', dir, '--settle', '1000', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout!.resume();
  for (let i = 0; i < 400 && !stderr.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 25));
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
  if (!port) throw new Error(`listen did not start: ${stderr}`);
  granted ??= /receive buffer [^,]+/.exec(stderr)?.[0];
  const before = threadCpu(child.pid!);
  const s = await send({ port, rate, seconds: SECONDS, senders: SENDERS });
  await new Promise((r) => setTimeout(r, 500)); // the receiver drains
  const rss = peakRssMb(child.pid!);
  const cpu = cpuSince(child.pid!, before);
  await stop(child);
  const m = /(\d+) datagram\(s\) from (\d+) sender\(s\), (\d+) record\(s\), \d+ byte\(s\) written, (\d+) dropped \(queue full\), (\S+) dropped by the kernel/.exec(stderr);
  let written = 0;
  for (const f of readdirSync(dir)) if (f.endsWith('.log')) written += lines(join(dir, f));
  rmSync(dir, { recursive: true, force: true });
  if (!m) throw new Error(`no stats from listen: ${stderr}`);
  const received = Number(m[1]);
  const loss = s.sent + s.warm - received + Number(m[4]);
  return result(s, received, written, loss, `kernel ${m[5]}, queue ${m[4]}`, rss, cpu);
}

let granted: string | undefined;

function lines(path: string): number {
  const b = readFileSync(path);
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The peer: socat receiving the same traffic into one file. */
async function socat(rate: number): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-socat-'));
  const file = join(dir, 'all.log');
  const port = await freePort();
  const child = spawn('socat', ['-u', `UDP-RECV:${port},bind=127.0.0.1,rcvbuf=${32 << 20}`, `OPEN:${file},creat,append`], { stdio: 'ignore' });
  for (let i = 0; i < 200 && socketDrops(port) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
  const before = threadCpu(child.pid!);
  const s = await send({ port, rate, seconds: SECONDS, senders: SENDERS });
  await new Promise((r) => setTimeout(r, 500));
  const rss = peakRssMb(child.pid!);
  const cpu = cpuSince(child.pid!, before);
  const kernel = socketDrops(port) ?? 0;
  await stop(child);
  const received = lines(file);
  rmSync(dir, { recursive: true, force: true });
  return result(s, received, received, s.sent + s.warm - received, `kernel ${kernel}`, rss, cpu);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** What the CPU figures allow on this kind of machine when nothing else runs: the receiving
 * thread has one CPU at most, all threads together all of them (an estimate, not a measure). */
function capacity(r: Run): number {
  return Math.min(1e6 / Math.max(r.cpuMain, 0.01), (availableParallelism() * 1e6) / Math.max(r.cpuMain + r.cpuRest, 0.01));
}

function show(name: string, r: Run): string {
  return `${name}: received ${fmt(r.received / 1000, 1)}k/s, written ${fmt(r.written / 1000, 1)}k/s, loss ${fmt(100 * r.loss, 2)}% (${r.lossNote}), ` +
    `peak RSS ${fmt(r.rss, 0)} MB, CPU ${fmt(r.cpuMain, 1)} us/msg receiving + ${fmt(r.cpuRest, 1)} us/msg other threads ` +
    `(idle-machine estimate ${fmt(capacity(r) / 1000, 0)}k msg/s)`;
}

export async function run(): Promise<void> {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const hasSocat = spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
  console.log(`load average ${load} on ${availableParallelism()} CPUs (a loaded machine starves receiver and senders alike; CPU per message is the steadier figure)`);
  console.log(`${SENDERS} senders on 127.0.x.y -> 127.0.0.1, ${SECONDS} s per run, ${REPEAT} run(s) per rate; sender: ${senderKind()}; net.core.rmem_max ${readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim()}`);
  console.log(`peer: ${hasSocat ? 'socat -u UDP-RECV (receive and append only) on the same traffic' : 'none (socat is not installed: apt-get install socat)'}`);
  const best = { crashlog: 0, socat: 0 };
  for (const rate of RATES) {
    const ours: Run[] = [];
    const peer: Run[] = [];
    for (let i = 0; i < REPEAT; i++) {
      ours.push(await crashlog(rate));
      if (hasSocat) peer.push(await socat(rate));
    }
    const med = (rs: Run[]): Run => ({
      offered: median(rs.map((r) => r.offered)), received: median(rs.map((r) => r.received)), written: median(rs.map((r) => r.written)),
      loss: median(rs.map((r) => r.loss)), lossNote: `median of ${rs.length}; worst ${fmt(100 * Math.max(...rs.map((r) => r.loss)), 2)}%`,
      rss: median(rs.map((r) => r.rss)), cpuMain: median(rs.map((r) => r.cpuMain)), cpuRest: median(rs.map((r) => r.cpuRest)),
    });
    const o = med(ours);
    console.log(`asked ${rate / 1000}k msg/s, offered ${fmt(o.offered / 1000, 0)}k/s (median)`);
    for (const r of ours) console.log(`    ${show('run', r)}`);
    console.log(`  ${show('crashlog listen', o)}${granted ? `; ${granted}` : ''}`);
    if (o.loss === 0) best.crashlog = Math.max(best.crashlog, o.offered);
    if (peer.length) {
      const p = med(peer);
      console.log(`  ${show('socat (peer)', p)}`);
      if (p.loss === 0) best.socat = Math.max(best.socat, p.offered);
    }
  }
  console.log(
    `highest offered rate without loss (median run): crashlog listen ${fmt(best.crashlog / 1000, 0)}k msg/s, goal ${GOAL / 1000}k` +
      (hasSocat ? `, socat ${fmt(best.socat / 1000, 0)}k msg/s` : ''),
  );
}
