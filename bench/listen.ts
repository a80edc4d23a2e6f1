// Issue 20's benchmark: `crashlog listen` (the built CLI, in a child process) receiving
// extended netconsole records from 1,000 simulated senders on 127.0.0.1 (each bound to its
// own loopback address, 127.0.x.y, as senders are told apart by address), sent by a worker
// thread at a series of offered rates for a few seconds each. Per rate: messages/s
// received and written (lines in the logs), loss (sent - received: the kernel's socket
// buffer, and the write queue), and the receiver's peak RSS. Goal: 200,000 msg/s, no loss.
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CLI, fmt } from './util.js';

const SENDERS = Number(process.env.BENCH_LISTEN_SENDERS ?? 1000);
const GOAL = 200_000;
const RATES = (process.env.BENCH_LISTEN_RATES ?? '25000,50000,100000,200000,300000').split(',').map(Number);
const SECONDS = 3;

interface SendJob { port: number; rate: number; seconds: number; senders: number }

/** The worker: 1,000 sockets, records sent round-robin in 5 ms ticks at the offered rate. */
async function sender(job: SendJob): Promise<void> {
  const socks: Socket[] = [];
  for (let i = 0; i < job.senders; i++) {
    const s = createSocket('udp4');
    s.on('error', () => {}); // ECONNREFUSED once the receiver is gone
    await new Promise<void>((r) => s.bind(0, `127.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, () => r()));
    // Connected: no address lookup per send.
    await new Promise<void>((r) => s.connect(job.port, '127.0.0.1', () => r()));
    socks.push(s);
  }
  const seq = new Array<number>(job.senders).fill(0);
  const pad = 'x'.repeat(60);
  let sent = 0;
  const t0 = performance.now();
  const end = t0 + job.seconds * 1000;
  let next = 0;
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - t0) / 1000) * job.rate);
    for (; sent < due; sent++) {
      const i = next++ % job.senders;
      const n = seq[i]!++;
      socks[i]!.send(Buffer.from(`6,${n},${n * 10},-;bench sender ${i} message ${n} ${pad}\n`, 'latin1'));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await new Promise((r) => setTimeout(r, 200));
  for (const s of socks) s.close();
  parentPort!.postMessage({ sent, seconds: (performance.now() - t0) / 1000 });
}

/** CPU seconds (user + system) a process has used: /proc/<pid>/stat fields 14 and 15, in clock ticks (100/s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function step(rate: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-listen-'));
  // Port 0: the kernel picks a free one, and listen says which.
  const child = spawn(process.execPath, [CLI, 'listen', '--udp', '127.0.0.1:0', '--dir', dir, '--settle', '1000', ...(process.env.BENCH_LISTEN_ARGS ?? '').split(' ').filter(Boolean)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdout.resume();
  for (let i = 0; i < 200 && !stderr.includes('listening on'); i++) await new Promise((r) => setTimeout(r, 25));
  const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stderr)?.[1]);
  if (!port) throw new Error(`listen did not start: ${stderr}`);
  const cpuAtStart = cpuSeconds(child.pid!);
  const w = new Worker(new URL(import.meta.url), { workerData: { port, rate, seconds: SECONDS, senders: SENDERS } satisfies SendJob });
  const { sent, seconds } = await new Promise<{ sent: number; seconds: number }>((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
  await new Promise((r) => setTimeout(r, 500)); // the receiver drains
  const rss = peakRssMb(child.pid!);
  const cpu = cpuSeconds(child.pid!) - cpuAtStart;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  const m = /(\d+) datagram\(s\) from (\d+) sender\(s\), (\d+) record\(s\), \d+ byte\(s\) written, (\d+) dropped \(queue full\), (\S+) dropped by the kernel/.exec(stderr);
  let written = 0;
  for (const f of readdirSync(dir)) if (f.endsWith('.log')) written += readFileSync(join(dir, f), 'latin1').split('\n').length - 1;
  rmSync(dir, { recursive: true, force: true });
  if (!m) throw new Error(`no stats from listen: ${stderr}`);
  const received = Number(m[1]);
  const loss = sent - received + Number(m[4]);
  console.log(
    `offered ${fmt(sent / seconds / 1000, 0).padStart(4)}k msg/s: received ${fmt(received / seconds / 1000, 1)}k/s, written ${fmt(written / seconds / 1000, 1)}k/s ` +
      `from ${m[2]} senders, loss ${loss} of ${sent} (${fmt((100 * loss) / Math.max(1, sent), 2)}%; kernel ${m[5]}, queue ${m[4]}), receiver peak RSS ${fmt(rss, 0)} MB, ` +
      `CPU ${fmt((cpu * 1e6) / Math.max(1, received), 1)} us/msg (one core: ${fmt(received / Math.max(cpu, 0.01) / 1000, 0)}k msg/s)`,
  );
}

export async function run(): Promise<void> {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`load average ${load} on ${availableParallelism()} CPUs (a loaded machine starves receiver and senders alike; CPU per message is the steadier figure)`);
  console.log(`crashlog listen, ${SENDERS} senders on 127.0.x.y -> 127.0.0.1, ${SECONDS} s per rate; goal ${GOAL / 1000}k msg/s without loss`);
  for (const rate of RATES) await step(rate);
}

if (!isMainThread) await sender(workerData as SendJob);
