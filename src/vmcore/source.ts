// A positional byte source under a dump container: the file itself, or the logical file
// a makedumpfile flattened stream describes (flat.ts). Counts what it reads, for --stats.
import type { InputFile } from '../input/file.js';

export interface ByteSource {
  readonly path: string;
  readonly size: number;
  /** Up to `length` bytes at `pos` (shorter only at the end). Holes read as zeros. */
  read(pos: number, length: number): Promise<Uint8Array>;
  readonly bytesRead: number;
}

export class FileSource implements ByteSource {
  bytesRead = 0;
  constructor(private readonly f: InputFile) {}
  get path(): string { return this.f.path; }
  get size(): number { return this.f.size; }
  async read(pos: number, length: number): Promise<Uint8Array> {
    const b = await this.f.read(pos, length);
    this.bytesRead += b.length;
    return b;
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
