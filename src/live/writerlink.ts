// The receiving thread's line to the log writer (writer.ts): a worker thread running
// writer-worker.ts where that file is at hand (the tsc build), else the writer in this
// thread, spoken to with the same messages, each on its own turn of the event loop.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LogWriter, type FromWriter, type ToWriter, type WriterOptions } from './writer.js';

const WORKER = new URL('./writer-worker.js', import.meta.url);

export interface WriterLink {
  send(m: ToWriter, transfer?: ArrayBuffer[]): void;
  /** Ends the writer's thread (after its 'closed'). */
  stop(): Promise<void>;
  threaded: boolean;
}

/** The worker's file is beside this one in the tsc build; the one-file builds have none. */
export function workerAvailable(): boolean {
  return WORKER.protocol === 'file:' && import.meta.url.endsWith('.js') && existsSync(fileURLToPath(WORKER));
}

/** The writer, ready to take batches: its thread loaded (a failure to start rejects here). */
export async function openWriter(o: WriterOptions, threaded: boolean, onMessage: (m: FromWriter) => void, onFail: (err: Error) => void): Promise<WriterLink> {
  if (!threaded) {
    const writer = new LogWriter(o, (m) => setImmediate(() => onMessage(m)));
    return { send: (m) => setImmediate(() => writer.onMessage(m)), stop: async () => {}, threaded: false };
  }
  const worker = new Worker(WORKER, { workerData: o });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: FromWriter) => (m.type === 'ready' ? resolve() : reject(new Error(`log writer: '${m.type}' before 'ready'`))));
  }).catch(async (err: Error) => {
    await worker.terminate();
    throw err;
  });
  worker.on('message', onMessage);
  worker.on('error', onFail);
  return { send: (m, transfer) => worker.postMessage(m, transfer ?? []), stop: async () => void (await worker.terminate()), threaded: true };
}
