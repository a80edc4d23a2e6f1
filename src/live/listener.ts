// `crashlog listen`: a netconsole receiver for many machines. The receiving thread only
// receives: each datagram is copied into a batch (batch.ts) beside its sender's number and
// arrival time, and every few milliseconds the batch goes to the log writer (writer.ts, in
// a worker thread), which parses, writes, syncs and detects. The datagrams received and
// not yet written are bounded (`maxQueueBytes`): one that finds the queue full is dropped,
// counted, and noted in its sender's .lost file; receiving itself never waits.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import { BatchBuilder, BATCH_BYTES, ENTRY_HEADER, type BatchMessage } from './batch.js';
import { senderAddress, socketDrops, type ListenAddress } from './address.js';
import type { CrashLine, FromWriter, WriterStats } from './writer.js';
import { openWriter, workerAvailable, type WriterLink } from './writerlink.js';

export type { CrashLine } from './writer.js';

export interface ListenOptions {
  udp: ListenAddress[];
  dir: string;
  /** Quiet time after which a sender's new messages are looked at for crashes. */
  settleMs?: number;
  flushMs?: number;
  fsyncMs?: number;
  rotateBytes?: number;
  rotateKeep?: number;
  /** Bytes received but not yet written, over all senders, before datagrams are dropped. */
  maxQueueBytes?: number;
  maxSenders?: number;
  /** SO_RCVBUF asked for (the kernel caps it at net.core.rmem_max). */
  recvBufferBytes?: number;
  /** Run crash detection (the benchmark measures receiving and writing without it too). */
  detect?: boolean;
  /** Write in a worker thread (the default where its file is at hand) or in this one. */
  writerThread?: boolean;
  onCrash?: (c: CrashLine) => void;
  /** A log could not be written (said once per log until a write succeeds). */
  onError?: (message: string) => void;
}

export interface ListenStats extends WriterStats {
  datagrams: number;
  /** Datagrams dropped because the write queue was full. */
  droppedDatagrams: number;
  droppedSenders: number;
  /** Bytes received and not yet written (each datagram with ENTRY_HEADER bytes of bookkeeping). */
  queuedBytes: number;
  senders: number;
  /** Datagrams the kernel dropped before they were read (socket buffer full), Linux only. */
  socketDrops?: number;
}

/** How often a batch that is not full goes to the writer: the latency receiving adds. */
const BATCH_MS = 5;
/** Full-size batch buffers kept for reuse. */
const SPARE_BATCHES = 8;

export class Listener {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  private firstNew = 0;
  private readonly drops = new Map<number, number>();
  private batch: BatchBuilder;
  private readonly spare: ArrayBuffer[] = [];
  private readonly sockets: Socket[] = [];
  private readonly bound: { address: string; port: number; recvBuffer: number }[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly o: Required<Omit<ListenOptions, 'onCrash' | 'onError'>> & Pick<ListenOptions, 'onCrash' | 'onError'>;
  private readonly s: Omit<ListenStats, 'senders' | 'socketDrops'> = { datagrams: 0, droppedDatagrams: 0, droppedSenders: 0, queuedBytes: 0, records: 0, bytesWritten: 0, writeErrors: 0 };
  private writer!: WriterLink;
  private closed: ((s: WriterStats) => void) | undefined;
  private failure: Error | undefined;
  private onFailure!: (err: Error) => void;
  /** Settles if the writer thread dies (then nothing more is written: the caller should stop). */
  readonly failed = new Promise<Error>((resolve) => (this.onFailure = resolve));

  private constructor(opts: ListenOptions) {
    this.o = { settleMs: 1000, flushMs: 100, fsyncMs: 1000, rotateBytes: 64 << 20, rotateKeep: 4, maxQueueBytes: 64 << 20, maxSenders: 65536, recvBufferBytes: 32 << 20, detect: true, writerThread: workerAvailable(), ...opts };
    this.batch = new BatchBuilder(new ArrayBuffer(BATCH_BYTES));
  }

  static async start(opts: ListenOptions): Promise<Listener> {
    const l = new Listener(opts);
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const { dir, settleMs, flushMs, fsyncMs, rotateBytes, rotateKeep, detect } = l.o;
    l.writer = await openWriter({ dir, settleMs, flushMs, fsyncMs, rotateBytes, rotateKeep, detect }, l.o.writerThread, (m) => l.fromWriter(m), (err) => l.fail(err));
    try {
      for (const a of opts.udp) await l.bind(a);
    } catch (err) {
      await l.close();
      throw err;
    }
    l.timers.push(setInterval(() => l.post(), BATCH_MS));
    for (const t of l.timers) t.unref();
    return l;
  }

  /** The bound addresses (port 0 becomes the port the kernel chose) and the receive buffer granted. */
  addresses(): { address: string; port: number; recvBuffer: number }[] {
    return this.bound.map((a) => ({ ...a }));
  }

  /** Whether the writer runs in a thread of its own. */
  get threaded(): boolean {
    return this.writer.threaded;
  }

  stats(): ListenStats {
    const drops = this.bound.map((a) => socketDrops(a.port));
    const out: ListenStats = { ...this.s, senders: this.names.length };
    if (drops.some((d) => d !== undefined)) out.socketDrops = drops.reduce<number>((a, d) => a + (d ?? 0), 0);
    return out;
  }

  /** Stop receiving; the writer gives out what is pending, looks for crashes a last time, syncs and closes. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.sockets.length = 0;
    if (this.failure) return;
    this.post(true);
    const stats = await new Promise<WriterStats>((resolve) => {
      this.closed = resolve;
      this.writer.send({ type: 'close' });
    });
    Object.assign(this.s, stats);
    await this.writer.stop();
  }

  private fail(err: Error): void {
    this.failure = err;
    this.onFailure(err);
    this.closed?.(this.s);
  }

  private fromWriter(m: FromWriter): void {
    switch (m.type) {
      case 'ack':
        this.s.queuedBytes -= m.acked;
        this.s.records = m.stats.records;
        this.s.bytesWritten = m.stats.bytesWritten;
        this.s.writeErrors = m.stats.writeErrors;
        if (m.buf && m.buf.byteLength === BATCH_BYTES && this.spare.length < SPARE_BATCHES) this.spare.push(m.buf);
        return;
      case 'crash':
        this.o.onCrash?.(m.line);
        return;
      case 'error':
        this.o.onError?.(m.message);
        return;
      case 'closed':
        this.closed?.(m.stats);
        return;
      case 'ready':
    }
  }

  private bind(a: ListenAddress): Promise<void> {
    const sock = createSocket({ type: a.family, ipv6Only: false });
    sock.on('message', (msg, rinfo) => this.receive(msg, rinfo));
    this.sockets.push(sock);
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(a.port, a.address, () => {
        sock.off('error', reject);
        sock.on('error', () => {}); // a receive error on UDP is transient (ICMP); the socket goes on
        try {
          sock.setRecvBufferSize(this.o.recvBufferBytes);
        } catch {
          // the kernel's limit stands
        }
        const { address, port } = sock.address();
        // Linux reports twice what it grants to data (the rest is its bookkeeping).
        this.bound.push({ address, port, recvBuffer: sock.getRecvBufferSize() });
        resolve();
      });
    });
  }

  /** The hot path: no object made here beyond what dgram hands over. */
  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    this.s.datagrams++;
    let id = this.ids.get(rinfo.address);
    if (id === undefined) {
      id = this.newSender(rinfo.address);
      if (id < 0) return;
    }
    const cost = msg.length + ENTRY_HEADER;
    if (this.s.queuedBytes + cost > this.o.maxQueueBytes) {
      this.s.droppedDatagrams++;
      this.drops.set(id, (this.drops.get(id) ?? 0) + 1);
      return;
    }
    const now = Date.now();
    // A batch is more than 16 of the largest datagrams: the one that did not fit fits the next.
    if (!this.batch.add(id, now, msg)) {
      this.post();
      this.batch.add(id, now, msg);
    }
    this.s.queuedBytes += cost;
  }

  private newSender(address: string): number {
    if (this.names.length >= this.o.maxSenders) {
      this.s.droppedSenders++;
      return -1;
    }
    const id = this.names.length;
    this.names.push(senderAddress(address));
    this.ids.set(address, id);
    return id;
  }

  /** Hand the batch (and what else the writer must know) over, and start another. */
  private post(final = false): void {
    const b = this.batch;
    if (!b.used && !this.drops.size && this.firstNew === this.names.length && !final) return;
    // A batch that is not full goes over as a copy of its used part: what waits in the
    // writer's queue is then the datagrams' size, not the batches'.
    const full = b.used > b.buf.length / 2;
    const buf = full ? b.ab : b.ab.slice(0, b.used);
    const m: BatchMessage = {
      type: 'batch', buf, used: b.used, t0: b.used ? b.t0 : Date.now(), queued: b.queued,
      firstId: this.firstNew, names: this.names.slice(this.firstNew), drops: [...this.drops],
    };
    this.firstNew = this.names.length;
    this.drops.clear();
    this.writer.send(m, [buf]);
    if (full) this.batch = new BatchBuilder(this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES));
    else b.used = b.queued = 0;
  }
}
