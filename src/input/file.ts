// Positional reads of input files. Big inputs are never read whole: readers ask for the
// bytes they need. `readSmall` is for inputs that are small by nature (pstore records,
// efivars), and refuses anything over its limit instead of trusting the size.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { FormatError } from '../util/errors.js';

export class InputFile {
  private constructor(
    readonly path: string,
    private readonly fh: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<InputFile> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      return new InputFile(path, fh, st.size);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Up to `length` bytes at `position`; shorter only at end of file. */
  async read(position: number, length: number): Promise<Uint8Array> {
    const want = Math.max(0, Math.min(length, this.size - position));
    const buf = Buffer.allocUnsafe(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.fh.read(buf, got, want - got, position + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }

  /** Exactly `length` bytes at `position`, or a FormatError naming the place. */
  async readExact(position: number, length: number, what: string): Promise<Uint8Array> {
    const b = await this.read(position, length);
    if (b.length !== length) throw new FormatError(this.path, position, `${what}: expected ${length} bytes, have ${b.length}`);
    return b;
  }

  async close(): Promise<void> {
    await this.fh.close();
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

/** A whole small file, refusing one larger than `max` bytes. */
export async function readSmall(path: string, max: number): Promise<Uint8Array> {
  const st = await stat(path);
  if (st.size > max) throw new FormatError(path, 0, `file is ${st.size} bytes, more than the ${max} this reader takes`);
  return withInput(path, (f) => f.read(0, max));
}
