// The listen benchmark's senders: bench/udpflood.c built with cc when there is one (~1 us of
// CPU a datagram), else Node sockets in a worker thread (~10 us a datagram: on two CPUs the
// sender then takes the receiver's CPU, and cannot offer much more than ~50,000/s).
// Either way: SENDERS sockets on 127.0.x.y, a warm-up record from each, then records
// round-robin at the offered rate, a late tick sending at most 10 ms of them.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export interface SendJob { port: number; rate: number; seconds: number; senders: number }
/** `sent` and `seconds`: the timed part; `warm`: the warm-up records before it. */
export interface Sent { sent: number; seconds: number; warm: number }

let flood: string | undefined | null = null;

/** The C sender, built once per run; undefined when there is no cc. */
function floodBinary(): string | undefined {
  if (flood !== null) return flood;
  const out = join(mkdtempSync(join(tmpdir(), 'crashlog-bench-flood-')), 'udpflood');
  const src = fileURLToPath(new URL('../../bench/udpflood.c', import.meta.url));
  const r = spawnSync('cc', ['-O2', '-o', out, src], { encoding: 'utf8' });
  flood = r.status === 0 ? out : undefined;
  return flood;
}

export function senderKind(): string {
  return floodBinary() ? 'bench/udpflood.c (cc)' : 'Node dgram in a worker (no cc: the sender competes with the receiver for CPU)';
}

export async function send(job: SendJob): Promise<Sent> {
  const bin = floodBinary();
  if (!bin) {
    const w = new Worker(new URL(import.meta.url), { workerData: job });
    return new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  }
  const child = spawn(bin, [job.port, job.senders, job.rate, job.seconds].map(String), { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise((r) => child.once('exit', r));
  const [sent, seconds, warm] = out.trim().split(' ').map(Number);
  if (!(sent! >= 0)) throw new Error(`udpflood: ${out}`);
  return { sent: sent!, seconds: seconds!, warm: warm! };
}

const pad = 'x'.repeat(60);

async function nodeSender(job: SendJob): Promise<void> {
  const socks: Socket[] = [];
  for (let i = 0; i < job.senders; i++) {
    const s = createSocket('udp4');
    s.on('error', () => {}); // ECONNREFUSED once the receiver is gone
    await new Promise<void>((r) => s.bind(0, `127.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, () => r()));
    await new Promise<void>((r) => s.connect(job.port, '127.0.0.1', () => r())); // no lookup per send
    socks.push(s);
  }
  const seq = new Array<number>(job.senders).fill(0);
  const emit = (i: number) => {
    const n = seq[i]!++;
    socks[i]!.send(Buffer.from(`6,${n},${n * 10},-;bench sender ${i} message ${n} ${pad}\n`, 'latin1'));
  };
  for (let i = 0; i < job.senders; i++) emit(i);
  await new Promise((r) => setTimeout(r, 500));
  let sent = 0;
  let skipped = 0;
  let next = 0;
  const t0 = performance.now();
  const burst = job.rate / 100;
  while (performance.now() - t0 < job.seconds * 1000) {
    let due = Math.floor(((performance.now() - t0) / 1000) * job.rate) - skipped;
    if (due - sent > burst) {
      skipped += due - sent - burst;
      due = sent + burst;
    }
    for (; sent < due; sent++, next = (next + 1) % job.senders) emit(next);
    await new Promise((r) => setTimeout(r, 1));
  }
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 200));
  for (const s of socks) s.close();
  parentPort!.postMessage({ sent, seconds, warm: job.senders } satisfies Sent);
}

if (!isMainThread && (workerData as SendJob | undefined)?.senders) await nodeSender(workerData as SendJob);
