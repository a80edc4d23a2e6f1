// One sender's log under the receiver's folder: appended in arrival order, one write in
// flight at a time, rotated by size, fdatasync'd on the receiver's policy (see listener.ts).
// A "<name>.lost" file beside it records, as JSON lines, what is known to be missing:
// extended sequence gaps and records dropped because the write queue was full.
import { open, rename, stat, type FileHandle } from 'node:fs/promises';
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

export class SenderLog {
  readonly path: string;
  readonly lostPath: string;
  private fh: FileHandle | undefined;
  private lostFh: FileHandle | undefined;
  private lostDirty = false;
  private size = 0;
  private chunks: string[] = [];
  private lost: string[] = [];
  /** Bytes appended but not yet written. */
  queued = 0;
  written = 0;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    readonly dir: string,
    readonly sender: string,
    private readonly policy: LogPolicy,
    /** Told of the bytes each write took off the queue (the receiver's queue bound). */
    private readonly onWritten: (bytes: number) => void = () => {},
  ) {
    this.path = join(dir, `${logName(sender)}.log`);
    this.lostPath = join(dir, `${logName(sender)}.lost`);
  }

  append(text: string): void {
    this.chunks.push(text);
    this.queued += Buffer.byteLength(text);
  }

  noteLost(entry: Record<string, unknown>): void {
    this.lost.push(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
  }

  get idle(): boolean {
    return this.writing === undefined;
  }

  /** Write what is queued (one write at a time; returns the write in flight). */
  flush(): Promise<void> {
    if (this.writing) return this.writing;
    if (!this.chunks.length && !this.lost.length) return Promise.resolve();
    this.writing = this.writeOut().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  private async writeOut(): Promise<void> {
    while (this.chunks.length || this.lost.length) {
      const text = this.chunks.join('');
      this.chunks = [];
      const lost = this.lost.join('');
      this.lost = [];
      if (text) {
        const fh = await this.handle();
        const bytes = Buffer.from(text);
        await fh.write(bytes, 0, bytes.length);
        this.queued -= bytes.length;
        this.written += bytes.length;
        this.onWritten(bytes.length);
        this.size += bytes.length;
        this.dirty = true;
        if (this.policy.rotateBytes > 0 && this.size >= this.policy.rotateBytes) await this.rotate();
      }
      if (lost) {
        this.lostFh ??= await open(this.lostPath, 'a', 0o600);
        await this.lostFh.write(lost);
        this.lostDirty = true;
      }
    }
  }

  /** fdatasync the log when something was written since the last sync. */
  async sync(): Promise<void> {
    await this.flush();
    if (this.lostDirty && this.lostFh) {
      this.lostDirty = false;
      await this.lostFh.datasync();
    }
    if (!this.dirty || !this.fh) return;
    this.dirty = false;
    await this.fh.datasync();
  }

  async close(): Promise<void> {
    await this.sync();
    await this.fh?.close();
    await this.lostFh?.close();
    this.fh = this.lostFh = undefined;
  }

  private async handle(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    this.fh = await open(this.path, 'a', 0o600);
    this.size = (await this.fh.stat()).size;
    return this.fh;
  }

  private async rotate(): Promise<void> {
    await this.fh!.datasync();
    await this.fh!.close();
    this.fh = undefined;
    this.dirty = false;
    for (let i = this.policy.rotateKeep - 1; i >= 1; i--) {
      const from = `${this.path}.${i}`;
      if (await stat(from).then(() => true, () => false)) await rename(from, `${this.path}.${i + 1}`);
    }
    if (this.policy.rotateKeep > 0) await rename(this.path, `${this.path}.1`);
    this.size = 0;
  }
}
