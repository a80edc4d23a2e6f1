// One sender's log under the receiver's folder, kept by the log writer (writer.ts): records
// gather in a buffer and go out in one append-only write(2) per flush, the log is rotated
// by size, and fdatasync'd on the writer's policy, in the background (the writes of other
// logs go on meanwhile). A "<name>.lost" file beside it records, as JSON lines, what is
// known to be missing: extended sequence gaps and datagrams dropped because the write
// queue was full.
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface LogPolicy {
  /** Rotate when the log passes this many bytes (0: never). */
  rotateBytes: number;
  /** Rotated logs kept: <name>.log.1 (newest) .. <name>.log.N. */
  rotateKeep: number;
}

/** Characters a sender address may keep in a file name; others become '_'. */
export function logName(sender: string): string {
  return sender.replace(/[^0-9A-Za-z.:_-]/g, '_');
}

export const GAP_NOTE = 'not sent (below the console loglevel) or lost';

/** A pending buffer past this size is let go after a flush (a burst's, not the usual need). */
const KEEP_BUFFER = 64 * 1024;

export class SenderLog {
  readonly path: string;
  readonly lostPath: string;
  private fd = -1;
  private lostFd = -1;
  private size = 0;
  private pending: Buffer | undefined;
  private used = 0;
  private lost = '';
  /** Written since the last fdatasync began. */
  private dirty = false;
  private lostDirty = false;
  private syncing: Promise<void> | undefined;
  /** Descriptors rotated away while a sync was in flight on them: closed when it ends. */
  private retired: number[] = [];
  written = 0;

  constructor(
    readonly dir: string,
    readonly sender: string,
    private readonly policy: LogPolicy,
  ) {
    this.path = join(dir, `${logName(sender)}.log`);
    this.lostPath = join(dir, `${logName(sender)}.lost`);
  }

  /** Bytes appended and not yet written. */
  get queued(): number {
    return this.used;
  }

  append(text: string): void {
    const need = this.used + text.length * 3;
    if (!this.pending || need > this.pending.length) this.grow(need);
    this.used += this.pending!.write(text, this.used);
  }

  /** A datagram that is its own log line (ASCII, nothing to escape), with its newline. */
  appendLine(bytes: Uint8Array): void {
    const nl = bytes[bytes.length - 1] === 0x0a ? 0 : 1;
    const need = this.used + bytes.length + nl;
    if (!this.pending || need > this.pending.length) this.grow(need);
    this.pending!.set(bytes, this.used);
    this.used += bytes.length;
    if (nl) this.pending![this.used++] = 0x0a;
  }

  noteLost(entry: Record<string, unknown>, time = new Date().toISOString()): void {
    this.lost += JSON.stringify({ time, ...entry }) + '\n';
  }

  /** Extended sequence numbers that never came; as noteLost({kind: 'seq-gap', ...}) writes it,
   * without an object per gap (under loss there is one per lost datagram). */
  noteGap(from: bigint, to: bigint, time: string): void {
    this.lost += `{"time":"${time}","kind":"seq-gap","from":"${from}","to":"${to}","note":"${GAP_NOTE}"}\n`;
  }

  /** Write what was appended; throws what write(2) or open(2) said (the bytes are then lost). */
  flush(): void {
    if (this.used) {
      const bytes = this.used;
      this.used = 0;
      const buf = this.pending!;
      if (buf.length > KEEP_BUFFER) this.pending = undefined;
      this.writeAll(this.handle(), buf, bytes);
      this.written += bytes;
      this.size += bytes;
      this.dirty = true;
      if (this.policy.rotateBytes > 0 && this.size >= this.policy.rotateBytes) this.rotate();
    } else {
      this.pending = undefined; // idle since the last flush: no buffer kept
    }
    if (this.lost) {
      const b = Buffer.from(this.lost);
      this.lost = '';
      if (this.lostFd < 0) this.lostFd = openSync(this.lostPath, 'a', 0o600);
      this.writeAll(this.lostFd, b, b.length);
      this.lostDirty = true;
    }
  }

  /** fdatasync what was written before the call (one sync in flight at a time). */
  sync(): Promise<void> {
    if (this.syncing) return this.syncing.then(() => this.sync());
    if (!this.dirty && !this.lostDirty) return Promise.resolve();
    const fds = [this.dirty ? this.fd : -1, this.lostDirty ? this.lostFd : -1].filter((fd) => fd >= 0);
    this.dirty = this.lostDirty = false;
    this.syncing = Promise.all(fds.map((fd) => new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())))))
      .then(() => undefined)
      .finally(() => {
        this.syncing = undefined;
        for (const fd of this.retired.splice(0)) closeSync(fd);
      });
    return this.syncing;
  }

  /** Write and sync what is left, then close. */
  async close(): Promise<void> {
    this.flush();
    await this.sync();
    for (const fd of [this.fd, this.lostFd]) if (fd >= 0) closeSync(fd);
    this.fd = this.lostFd = -1;
  }

  private grow(need: number): void {
    const next = Buffer.allocUnsafe(Math.max(4096, need, (this.pending?.length ?? 0) * 2));
    if (this.pending && this.used) this.pending.copy(next, 0, 0, this.used);
    this.pending = next;
  }

  private writeAll(fd: number, buf: Buffer, bytes: number): void {
    // A regular file takes all of a write(2) unless the disk is full: then the error says so.
    for (let off = 0, guard = 0; off < bytes && guard < 1000; guard++) off += writeSync(fd, buf, off, bytes - off);
  }

  private handle(): number {
    if (this.fd >= 0) return this.fd;
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    return this.fd;
  }

  private rotate(): void {
    fdatasyncSync(this.fd);
    if (this.syncing) this.retired.push(this.fd);
    else closeSync(this.fd);
    this.fd = -1;
    this.dirty = false;
    for (let i = this.policy.rotateKeep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (existsSync(from)) renameSync(from, `${this.path}.${i + 1}`);
    }
    if (this.policy.rotateKeep > 0) renameSync(this.path, `${this.path}.1`);
    this.size = 0;
  }
}
