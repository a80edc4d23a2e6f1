// Positional reads of input files. Big inputs are never read whole: readers ask for the
// bytes they need. `readSmall` is for inputs that are small by nature (pstore records,
// efivars), and refuses anything over its limit instead of trusting the size.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadContext } from '../backend.js';
import { FormatError, messageOf } from '../util/errors.js';
import { streamInput, type StreamInput } from './stream.js';
import { IDLE_WORK, startWork, type WorkTask } from './work.js';

/** What readSmall reads at least, for files whose size the filesystem does not tell. */
const SMALL_READ_CHUNK = 64 * 1024;

export interface OpenOptions {
  /**
   * Whether the reads measure the work (src/input/work.ts): how far into the file they
   * reached, of its size. True for readers that go front to back (logs, images, captures);
   * a reader that jumps about (a vmcore's pages) says false and counts its own work.
   */
  measured?: boolean;
}

export class InputFile {
  /** The furthest byte read so far: the work done, for a reader that goes forward. */
  private reached = 0;

  private constructor(
    readonly path: string,
    private readonly fh: FileHandle | undefined,
    readonly size: number,
    private readonly work: WorkTask,
    /** A pipe or stdin registered by prepareInputs: read front to back, size unknown. */
    private readonly stream?: StreamInput,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<InputFile> {
    const task = (size: number) => (opts.measured === false ? IDLE_WORK : startWork(`reading ${path === '-' ? 'standard input' : path}`, Number.isFinite(size) ? size : undefined, 'bytes'));
    const stream = streamInput(path);
    if (stream) return new InputFile(path, undefined, Infinity, task(Infinity), stream);
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new InputFile(path, fh, st.size, task(st.size));
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Up to `length` bytes at `position`; shorter only at end of file. */
  async read(position: number, length: number): Promise<Uint8Array> {
    const b = this.fh ? await this.readFile(position, length) : await this.stream!.read(position, length);
    if (position + b.length > this.reached) this.work.at((this.reached = position + b.length));
    return b;
  }

  private async readFile(position: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh!.read(buf, got, want - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }

  /** Up to `length` bytes at `position` into `into` (from its start): the count read, short only at end of file. */
  async readInto(into: Uint8Array, position: number, length: number): Promise<number> {
    let got = 0;
    if (!this.fh) {
      const b = await this.stream!.read(position, Math.min(length, into.length));
      into.set(b);
      got = b.length;
    } else {
      const want = Math.max(0, Math.min(length, into.length, this.size - position));
      while (got < want) {
        const { bytesRead } = await this.fh.read(into, got, want - got, position + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    }
    if (position + got > this.reached) this.work.at((this.reached = position + got));
    return got;
  }

  /** Exactly `length` bytes at `position`, or a FormatError naming the place. */
  async readExact(position: number, length: number, what: string): Promise<Uint8Array> {
    const b = await this.read(position, length);
    if (b.length !== length) throw new FormatError(this.path, position, `${what}: expected ${length} bytes, have ${b.length}`);
    return b;
  }

  async close(): Promise<void> {
    this.work.end();
    await this.fh?.close();
  }
}

/** Run `fn` with an open InputFile, closing it afterwards. */
export async function withInput<T>(path: string, fn: (f: InputFile) => Promise<T>): Promise<T> {
  const f = await InputFile.open(path);
  try {
    return await fn(f);
  } finally {
    await f.close();
  }
}

/**
 * A whole small file, refusing one larger than `max` bytes. Read synchronously: these
 * files are a few KiB each and come by the thousand (a pstore archive), where one
 * thread-pool round trip per open, stat, read and close is most of the time.
 */
export async function readSmall(path: string, max: number, slab?: Slab): Promise<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    return readSmallFd(fd, path, fstatSync(fd).size, max, slab);
  } finally {
    closeSync(fd);
  }
}

/** readSmall of a file already open, `size` bytes as fstat gave them (a caller that needed the size first). */
export function readSmallFd(fd: number, path: string, size: number, max: number, slab?: Slab): Uint8Array {
  if (size > max) throw new FormatError(path, 0, `file is ${size} bytes, more than the ${max} this reader takes`);
  // Some /sys files report size 0 whatever they hold: read those up to a chunk.
  const n = Math.min(max, size > 0 ? size : SMALL_READ_CHUNK);
  const buf = slab ? slab.take(n) : Buffer.allocUnsafe(n);
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/**
 * Buffers for many small files carved from 1 MiB slabs: one ArrayBuffer per file of a
 * 10,000-record pstore archive cost a fifth of reading it. A slab lives as long as any
 * file's bytes in it; a file over a quarter slab gets a buffer of its own.
 */
export class Slab {
  private static readonly SIZE = 1 << 20;
  private buf = Buffer.allocUnsafeSlow(0);
  private used = 0;

  take(n: number): Buffer {
    if (n > Slab.SIZE / 4) return Buffer.allocUnsafe(n);
    if (this.used + n > this.buf.length) {
      this.buf = Buffer.allocUnsafeSlow(Slab.SIZE);
      this.used = 0;
    }
    const out = this.buf.subarray(this.used, this.used + n);
    this.used += (n + 7) & ~7;
    return out;
  }
}

/** readSmall, or undefined with a "cannot read" problem for the path. */
export async function readSmallOrReport(path: string, max: number, ctx: ReadContext, slab?: Slab): Promise<Uint8Array | undefined> {
  try {
    return await readSmall(path, max, slab);
  } catch (err) {
    return cannotRead(ctx, path, err);
  }
}

/** The problem for a small file that could not be read (readSmallOrReport's); undefined. */
export function cannotRead(ctx: ReadContext, path: string, err: unknown): undefined {
  ctx.problem({ path, message: `cannot read: ${messageOf(err)}` });
  return undefined;
}

/**
 * The files an image reader takes from `path`: the file itself, or the regular files of
 * a directory (in name order) whose first `headBytes` bytes `isMine` accepts.
 */
export async function imageFiles(path: string, headBytes: number, isMine: (head: Uint8Array) => boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch {
    return [path]; // not a directory: the file itself
  }
  const files: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, e.name);
    if (e.isFile() && isMine(await withInput(p, (f) => f.read(0, headBytes)))) files.push(p);
  }
  return files;
}
