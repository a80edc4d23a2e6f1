// `crashlog listen`: a netconsole receiver for many machines. Each datagram is parsed as it
// arrives (src/netconsole: both formats, ncfrag joined), its records queued for the
// sender's log and fed to the sender's crash watch. Disk writes never hold up receiving:
// the logs are written from a bounded queue, and a record that finds the queue full is
// counted and noted in the sender's .lost file instead.
//
// Durability: records are written (write(2), O_APPEND) within `flushMs`; each log is
// fdatasync'd every `fsyncMs` when written to, at once when a crash is found in it, and
// on close. A crash JSON line is printed only after the log holding it is synced.
import { createSocket, type Socket } from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import type { Incident } from '../model/index.js';
import { incidentSignature } from '../collect/signature.js';
import { toKernelMessages, toLogText } from '../netconsole/message.js';
import { NetconsoleStream, type NetconsoleRecord } from '../netconsole/stream.js';
import { senderAddress, socketDrops, type ListenAddress } from './address.js';
import { CrashWatch } from './crashwatch.js';
import { SenderLog } from './senderlog.js';

export interface ListenOptions {
  udp: ListenAddress[];
  dir: string;
  /** Quiet time after which a sender's new messages are looked at for crashes. */
  settleMs?: number;
  flushMs?: number;
  fsyncMs?: number;
  rotateBytes?: number;
  rotateKeep?: number;
  /** Bytes received but not yet written, over all senders, before records are dropped. */
  maxQueueBytes?: number;
  maxSenders?: number;
  /** SO_RCVBUF asked for (the kernel caps it at net.core.rmem_max). */
  recvBufferBytes?: number;
  /** Run crash detection (the benchmark measures receiving and writing without it too). */
  detect?: boolean;
  onCrash?: (c: CrashLine) => void;
}

/** What `listen` prints per crash: collect --json's fields, with the sender and its log. */
export interface CrashLine {
  sender: string;
  log: string;
  time: string;
  cause: string;
  kind: string;
  title: string;
  signature: string;
  boot: string;
}

export interface ListenStats {
  datagrams: number;
  records: number;
  bytesWritten: number;
  droppedRecords: number;
  droppedSenders: number;
  queuedBytes: number;
  senders: number;
  /** Datagrams the kernel dropped before they were read (socket buffer full), Linux only. */
  socketDrops?: number;
}

interface Sender {
  name: string;
  log: SenderLog;
  stream: NetconsoleStream<number>;
  watch: CrashWatch<NetconsoleRecord<number>>;
  dropped: number;
  droppedNoted: number;
}

export class Listener {
  private readonly senders = new Map<string, Sender>();
  private readonly toFlush = new Set<Sender>();
  private readonly toSync = new Set<Sender>();
  private readonly watching = new Set<Sender>();
  private readonly sockets: Socket[] = [];
  private readonly bound: { address: string; port: number }[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly o: Required<Omit<ListenOptions, 'onCrash'>> & Pick<ListenOptions, 'onCrash'>;
  private readonly s: ListenStats = { datagrams: 0, records: 0, bytesWritten: 0, droppedRecords: 0, droppedSenders: 0, queuedBytes: 0, senders: 0 };
  private crashes: Promise<void> = Promise.resolve();

  private constructor(opts: ListenOptions) {
    this.o = { settleMs: 1000, flushMs: 100, fsyncMs: 1000, rotateBytes: 64 << 20, rotateKeep: 4, maxQueueBytes: 64 << 20, maxSenders: 65536, recvBufferBytes: 32 << 20, detect: true, ...opts };
  }

  static async start(opts: ListenOptions): Promise<Listener> {
    const l = new Listener(opts);
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    for (const a of opts.udp) await l.bind(a);
    l.timers.push(setInterval(() => l.flushAll(), l.o.flushMs));
    l.timers.push(setInterval(() => void l.syncAll(), l.o.fsyncMs));
    if (l.o.detect) l.timers.push(setInterval(() => l.checkAll(false), Math.max(10, Math.min(250, l.o.settleMs / 2))));
    for (const t of l.timers) t.unref();
    return l;
  }

  /** The bound addresses (port 0 becomes the port the kernel chose). */
  addresses(): { address: string; port: number }[] {
    return this.bound.map((a) => ({ ...a }));
  }

  stats(): ListenStats {
    const drops = this.bound.map((a) => socketDrops(a.port));
    const out = { ...this.s, senders: this.senders.size };
    if (drops.some((d) => d !== undefined)) out.socketDrops = drops.reduce<number>((a, d) => a + (d ?? 0), 0);
    return out;
  }

  /** Stop receiving; give out what is pending, look for crashes a last time, sync and close. */
  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    for (const s of this.senders.values()) s.stream.flush();
    if (this.o.detect) this.checkAll(true);
    await this.crashes;
    for (const s of this.senders.values()) this.noteDrops(s);
    await Promise.all([...this.senders.values()].map((s) => s.log.close()));
  }

  private bind(a: ListenAddress): Promise<void> {
    const sock = createSocket({ type: a.family, ipv6Only: false });
    sock.on('message', (msg, rinfo) => this.receive(msg, rinfo.address));
    this.sockets.push(sock);
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(a.port, a.address, () => {
        sock.off('error', reject);
        const { address, port } = sock.address();
        this.bound.push({ address, port });
        sock.on('error', () => {}); // a receive error on UDP is transient (ICMP); the socket goes on
        try {
          sock.setRecvBufferSize(this.o.recvBufferBytes);
        } catch {
          // the kernel's limit stands
        }
        resolve();
      });
    });
  }

  private receive(msg: Buffer, from: string): void {
    this.s.datagrams++;
    const s = this.sender(senderAddress(from));
    if (s) s.stream.push(msg, Date.now());
  }

  private sender(name: string): Sender | undefined {
    let s = this.senders.get(name);
    if (s) return s;
    if (this.senders.size >= this.o.maxSenders) {
      this.s.droppedSenders++;
      return undefined;
    }
    const log = new SenderLog(this.o.dir, name, { rotateBytes: this.o.rotateBytes, rotateKeep: this.o.rotateKeep }, (n) => {
      this.s.queuedBytes -= n;
      this.s.bytesWritten += n;
    });
    const source = { backend: 'listen', path: log.path, id: name };
    // The receive time is the wall clock a verdict's time comes from (netconsole sends none).
    const watch = new CrashWatch(log.path, (r: NetconsoleRecord<number>) => {
      const msgs = toKernelMessages(r, source);
      for (const m of msgs) m.wallTime = new Date(r.at);
      return msgs;
    });
    const created: Sender = { name, log, watch, dropped: 0, droppedNoted: 0, stream: undefined as unknown as NetconsoleStream<number> };
    created.stream = new NetconsoleStream<number>(
      (r) => {
        this.s.records++;
        const text = toLogText(r);
        const bytes = Buffer.byteLength(text);
        if (this.s.queuedBytes + bytes > this.o.maxQueueBytes) {
          created.dropped++;
          this.s.droppedRecords++;
          return;
        }
        this.s.queuedBytes += bytes;
        log.append(text);
        this.toFlush.add(created);
        if (!this.o.detect) return;
        watch.add(r, r.at);
        this.watching.add(created);
      },
      { gap: (from, to) => log.noteLost({ kind: 'seq-gap', from: from.toString(), to: to.toString(), note: 'not sent (below the console loglevel) or lost' }) },
    );
    this.senders.set(name, created);
    return created;
  }

  private flushAll(): void {
    for (const s of this.toFlush) {
      if (!s.log.idle) continue;
      this.toFlush.delete(s);
      this.noteDrops(s);
      this.toSync.add(s);
      void s.log.flush();
    }
  }

  private noteDrops(s: Sender): void {
    if (s.dropped === s.droppedNoted) return;
    s.log.noteLost({ kind: 'dropped', records: s.dropped - s.droppedNoted, reason: 'write queue full' });
    s.droppedNoted = s.dropped;
    this.toFlush.add(s);
  }

  private async syncAll(): Promise<void> {
    const batch = [...this.toSync];
    this.toSync.clear();
    await Promise.all(batch.map((s) => s.log.sync().catch(() => this.toSync.add(s))));
  }

  private checkAll(final: boolean): void {
    const now = Date.now();
    for (const s of this.watching) {
      const incidents = s.watch.check(final ? Infinity : now, final ? 0 : this.o.settleMs);
      if (!s.watch.pending) this.watching.delete(s);
      if (incidents.length) this.crashes = this.crashes.then(() => this.report(s, incidents));
    }
  }

  /** Sync the log that holds the crash, then say so. */
  private async report(s: Sender, incidents: Incident[]): Promise<void> {
    await s.log.sync().catch(() => {});
    for (const i of incidents) {
      this.o.onCrash?.({
        sender: s.name, log: s.log.path, time: i.time ?? new Date().toISOString(), cause: i.cause, kind: i.kind,
        title: i.title, signature: i.signature ?? incidentSignature(i.cause, i.title), boot: i.boot,
      });
    }
  }
}
