// A positional byte source under a dump container: the file itself, or the logical file
// a makedumpfile flattened stream describes (flat.ts). Counts what it reads, for --stats.
import { closeSync, openSync, readSync } from 'node:fs';
import type { InputFile } from '../input/file.js';

export interface ByteSource {
  readonly path: string;
  readonly size: number;
  /** Up to `length` bytes at `pos` (shorter only at the end). Holes read as zeros. */
  read(pos: number, length: number): Promise<Uint8Array>;
  readonly bytesRead: number;
  /** Synchronous read, where the source has one (a plain file). */
  readSync?(pos: number, length: number): Uint8Array;
}

export class FileSource implements ByteSource {
  bytesRead = 0;
  private fd: number | undefined;
  constructor(private readonly f: InputFile) {}
  get path(): string { return this.f.path; }
  get size(): number { return this.f.size; }
  /**
   * Reads are synchronous underneath: a dump is read one small piece after another, each
   * needed before the next, so the thread-pool round trip of an async read (40-200 µs,
   * more on a busy machine) would be most of the time and buy no overlap.
   */
  async read(pos: number, length: number): Promise<Uint8Array> {
    return this.readSync(pos, length);
  }
  /** The same, for callers that loop over thousands of tiny reads (the flattened index). */
  readSync(pos: number, length: number): Uint8Array {
    this.fd ??= openSync(this.f.path, 'r');
    const want = Math.max(0, Math.min(length, this.size - pos));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const n = readSync(this.fd, buf, got, want - got, pos + got);
      if (n === 0) break;
      got += n;
    }
    this.bytesRead += got;
    return buf.subarray(0, got);
  }
  /** Called by openDump's close() and when opening fails. */
  closeSync(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** NUL-terminated latin1 string in `b[off, off+max)`. */
export function cstr(b: Uint8Array, off: number, max: number): string {
  let end = off;
  const lim = Math.min(b.length, off + max);
  while (end < lim && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + off, end - off).toString('latin1');
}
