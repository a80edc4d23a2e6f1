// The log writer's thread (see writer.ts): started by the Listener with the writer's
// options as workerData, it talks to the receiving thread over its parent port only.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { LogWriter, type ToWriter, type WriterOptions } from './writer.js';

/** How much nicer than the receiving thread the writer runs: when CPU is short, what waits is
 * the write queue (bounded, its drops counted per sender), not the kernel's socket buffer. */
export const WRITER_NICE = 5;

try {
  // Linux: setpriority(2) on a thread id sets that thread's nice value alone.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(tid, Math.min(19, getPriority(tid) + WRITER_NICE));
} catch {
  // not Linux, or not allowed: the writer runs as the receiver does
}

const port = parentPort!;
const writer = new LogWriter(workerData as WriterOptions, (m, transfer) => port.postMessage(m, transfer ?? []));
port.on('message', (m: ToWriter) => writer.onMessage(m));
port.postMessage({ type: 'ready' });
