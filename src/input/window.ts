// Reads of an InputFile through one reused buffer whose read-ahead grows while the reader
// walks forward: an image reader asking for one small record after another (mtdoops' 4 KiB
// records, the header of every ramoops or pstore/zone zone) costs one file read per window,
// not one per record; a reader jumping about reads little more than it asked for; and the
// bytes of a 256 MiB image pass through one 4 MiB buffer instead of 256 MiB of fresh ones.
// So a view read() returns is good until the next read(): a caller keeping bytes copies them.
import type { InputFile } from './file.js';

/** First read after a jump, and the most read ahead at once (the buffer's size). */
export const WINDOW_MIN = 64 * 1024;
export const WINDOW_MAX = 4 * 1024 * 1024;

/** What a reader that reads by position needs: an InputFile or a ReadWindow. */
export type ByPosition = Pick<InputFile, 'path' | 'size' | 'read'>;

export class ReadWindow {
  private buf: Uint8Array | undefined;
  /** File offset of buf[0], and how many bytes of buf hold file data. */
  private at = 0;
  private have = 0;
  private ahead = WINDOW_MIN;

  constructor(readonly file: InputFile) {}

  get path(): string {
    return this.file.path;
  }
  get size(): number {
    return this.file.size;
  }

  /** Up to `length` bytes at `position` (shorter only at end of file), as a view good until the next read. */
  async read(position: number, length: number): Promise<Uint8Array> {
    const end = Math.max(position, Math.min(position + length, this.file.size));
    if (this.buf && position >= this.at && end <= this.at + this.have) return this.buf.subarray(position - this.at, end - this.at);
    // Longer than the buffer: a read of its own.
    if (length > WINDOW_MAX) return this.file.read(position, length);
    // Reading on from where the window ends (or inside it) doubles the read-ahead; a jump resets it.
    const onward = position >= this.at && position <= this.at + this.have;
    this.ahead = onward ? Math.min(WINDOW_MAX, this.ahead * 2) : WINDOW_MIN;
    this.buf ??= Buffer.allocUnsafe(WINDOW_MAX);
    this.have = 0; // a failed read leaves nothing stale behind
    this.have = await this.file.readInto(this.buf, position, Math.max(length, this.ahead));
    this.at = position;
    return this.buf.subarray(0, Math.min(length, this.have));
  }
}

/** A copy of `bytes` in memory of its own (Buffer's slice() is a view, not a copy). */
export function copyOf(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
