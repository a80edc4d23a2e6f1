// The log writer of `crashlog listen`: takes the receiving thread's batches of datagrams
// (batch.ts), turns each sender's datagrams into records (src/netconsole: both formats,
// ncfrag joined), appends them to the sender's log, looks for crashes in each sender's
// stream, and says when the bytes of a batch are on their way to disk so the receiver can
// take more. It runs in a worker thread (writer-worker.ts), so neither a slow disk nor the
// detector holds up receiving; where that file is not at hand (the one-file builds), in
// the receiving thread itself.
//
// Durability: records are written (write(2), O_APPEND) within `flushMs` of arrival; each
// log written since its last sync is fdatasync'd every `fsyncMs` (in the background, many
// at once, so the disk joins them into few journal commits), at once when a crash is found
// in it, and on close. A crash line is sent only after the log holding it is synced.
import { isAscii } from 'node:buffer';
import type { Incident } from '../model/index.js';
import { incidentSignature } from '../collect/signature.js';
import { toKernelMessages, toLogText } from '../netconsole/message.js';
import { NetconsoleStream, type NetconsoleRecord } from '../netconsole/stream.js';
import { forEachEntry, type BatchMessage } from './batch.js';
import { CrashWatch } from './crashwatch.js';
import { SenderLog } from './senderlog.js';

const BACKSLASH = 0x5c;

export interface WriterOptions {
  dir: string;
  settleMs: number;
  flushMs: number;
  fsyncMs: number;
  rotateBytes: number;
  rotateKeep: number;
  detect: boolean;
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

export interface WriterStats {
  records: number;
  bytesWritten: number;
  /** Records lost to a failed write (the disk full, an I/O error). */
  writeErrors: number;
}

export type ToWriter = BatchMessage | { type: 'close' };
export type FromWriter =
  /** `buf`: a batch buffer given back for reuse; `acked`: queued bytes now written. */
  | { type: 'ack'; buf?: ArrayBuffer; acked: number; stats: WriterStats }
  | { type: 'crash'; line: CrashLine }
  | { type: 'error'; message: string }
  | { type: 'closed'; stats: WriterStats }
  /** The writer's thread has loaded and taken its options. */
  | { type: 'ready' };

interface Sender {
  name: string;
  log: SenderLog;
  stream: NetconsoleStream<number>;
  watch: CrashWatch<NetconsoleRecord<number>>;
  failed: boolean;
}

export class LogWriter {
  private readonly senders: Sender[] = [];
  private readonly toFlush = new Set<Sender>();
  private readonly toSync = new Set<Sender>();
  private readonly watching = new Set<Sender>();
  /** Datagrams the receiver dropped (its queue full) since the last flush, per sender. */
  private readonly drops = new Map<Sender, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stats: WriterStats = { records: 0, bytesWritten: 0, writeErrors: 0 };
  /** Queued bytes of the batches read since the last flush: acknowledged by the next one. */
  private unacked = 0;
  private crashes: Promise<void> = Promise.resolve();
  private syncing = false;
  /** When the batch being read began: the time of what is noted lost in it. */
  private time = new Date().toISOString();

  constructor(
    private readonly o: WriterOptions,
    private readonly post: (m: FromWriter, transfer?: ArrayBuffer[]) => void,
  ) {
    this.timers.push(setInterval(() => this.flushAll(), o.flushMs));
    this.timers.push(setInterval(() => void this.syncAll(), o.fsyncMs));
    if (o.detect) this.timers.push(setInterval(() => this.checkAll(false), Math.max(10, Math.min(250, o.settleMs / 2))));
  }

  onMessage(m: ToWriter): void {
    if (m.type === 'close') {
      void this.close();
      return;
    }
    for (let i = 0; i < m.names.length; i++) this.senders[m.firstId + i] = this.sender(m.names[i]!);
    this.time = new Date(m.t0).toISOString();
    forEachEntry(m, (id, at, payload) => this.senders[id]?.stream.push(payload, at));
    for (const [id, n] of m.drops) {
      const s = this.senders[id];
      if (s) this.drops.set(s, (this.drops.get(s) ?? 0) + n);
    }
    this.unacked += m.queued;
    // The records hold copies: the buffer can be filled again at once.
    this.post({ type: 'ack', buf: m.buf, acked: 0, stats: this.stats }, [m.buf]);
  }

  private sender(name: string): Sender {
    const log = new SenderLog(this.o.dir, name, { rotateBytes: this.o.rotateBytes, rotateKeep: this.o.rotateKeep });
    const source = { backend: 'listen', path: log.path, id: name };
    // The receive time is the wall clock a verdict's time comes from (netconsole sends none).
    // Records of one millisecond share their Date.
    let at = NaN;
    let wallTime = new Date(0);
    const watch = new CrashWatch(log.path, (r: NetconsoleRecord<number>) => {
      const msgs = toKernelMessages(r, source);
      if (r.at !== at) wallTime = new Date((at = r.at));
      for (const m of msgs) m.wallTime = wallTime;
      return msgs;
    });
    const s: Sender = { name, log, watch, failed: false, stream: undefined as unknown as NetconsoleStream<number> };
    s.stream = new NetconsoleStream<number>(
      (r, datagram) => {
        this.stats.records++;
        // Most records are one datagram that is already its log line: copied as it came.
        if (datagram && isAscii(datagram) && datagram.indexOf(BACKSLASH) < 0) log.appendLine(datagram);
        else log.append(toLogText(r));
        this.toFlush.add(s);
        if (!this.o.detect) return;
        watch.add(r, r.at);
        this.watching.add(s);
      },
      { gap: (from, to) => log.noteGap(from, to, this.time) },
    );
    return s;
  }

  private flushAll(): void {
    this.noteDrops();
    for (const s of this.toFlush) this.flushOne(s);
    this.toFlush.clear();
    if (this.unacked) this.post({ type: 'ack', acked: this.unacked, stats: this.stats });
    this.unacked = 0;
  }

  private flushOne(s: Sender): void {
    const bytes = s.log.queued;
    try {
      s.log.flush();
      this.stats.bytesWritten += bytes;
      s.failed = false;
    } catch (err) {
      this.stats.writeErrors++;
      // Said once per sender until a write succeeds again.
      if (!s.failed) this.post({ type: 'error', message: `${s.log.path}: ${(err as Error).message}` });
      s.failed = true;
    }
    this.toSync.add(s);
  }

  /** What was dropped since the last flush: one note per sender and flush. */
  private noteDrops(): void {
    const time = new Date().toISOString();
    for (const [s, n] of this.drops) {
      s.log.noteLost({ kind: 'dropped', datagrams: n, reason: 'write queue full' }, time);
      this.toFlush.add(s);
    }
    this.drops.clear();
  }

  /** One round: every log written since the last round, at once; a round waits for the last. */
  private async syncAll(): Promise<void> {
    if (this.syncing) return;
    this.syncing = true;
    const batch = [...this.toSync];
    this.toSync.clear();
    await Promise.all(batch.map((s) => s.log.sync().catch(() => this.toSync.add(s))));
    this.syncing = false;
  }

  private checkAll(final: boolean): void {
    const now = Date.now();
    for (const s of this.watching) {
      const incidents = s.watch.check(final ? Infinity : now, final ? 0 : this.o.settleMs);
      if (!s.watch.pending) this.watching.delete(s);
      if (incidents.length) this.crashes = this.crashes.then(() => this.report(s, incidents));
    }
  }

  /** Write and sync the log that holds the crash, then say so. */
  private async report(s: Sender, incidents: Incident[]): Promise<void> {
    this.flushOne(s);
    await s.log.sync().catch(() => {});
    for (const i of incidents) {
      this.post({
        type: 'crash',
        line: {
          sender: s.name, log: s.log.path, time: i.time ?? new Date().toISOString(), cause: i.cause, kind: i.kind,
          title: i.title, signature: i.signature ?? incidentSignature(i.cause, i.title), boot: i.boot,
        },
      });
    }
  }

  /** Give out what is pending, look for crashes a last time, write, sync and close. */
  private async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    const all = this.senders.filter((s) => s !== undefined);
    for (const s of all) s.stream.flush();
    if (this.o.detect) this.checkAll(true);
    await this.crashes;
    this.noteDrops();
    for (const s of all) this.flushOne(s);
    // All at once: the disk joins their syncs.
    await Promise.all(all.map((s) => s.log.close().catch((err: Error) => this.post({ type: 'error', message: `${s.log.path}: ${err.message}` }))));
    this.post({ type: 'closed', stats: this.stats });
  }
}
