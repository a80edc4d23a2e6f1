// Streams that cannot be read by position (a dump on stdin, a pipe given as an input) are
// written once to a private temporary file, sparse: all-zero 4 KiB blocks are skipped by
// seeking, so a mostly-empty 64 GiB dump costs only its non-zero pages on disk, and the
// rest goes out in writes of up to 1 MiB. The caller reads that file by position and
// removes it with `dispose` (also done at exit and on SIGINT/SIGTERM/SIGHUP). A gzip'd
// stream is spilled as it is, compressed, and read through gzindex.ts: the disk holds no
// more than the stream's own size.
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { makeTempDir } from '../util/tempdir.js';
import { startWork } from '../input/work.js';

const BLOCK = 4096;
/** Bytes gathered before one write. */
export const SPILL_BATCH = 1 << 20;

export interface Spilled { path: string; size: number; dispose(): Promise<void> }

/** Contiguous non-zero blocks gathered into one positioned write. */
class BatchWriter {
  private parts: Buffer[] = [];
  private len = 0;
  private at = 0;
  constructor(private readonly fh: FileHandle) {}
  async add(b: Buffer, pos: number): Promise<void> {
    if (this.len && (this.at + this.len !== pos || this.len + b.length > SPILL_BATCH)) await this.flush();
    if (!this.len) this.at = pos;
    this.parts.push(b);
    this.len += b.length;
  }
  async flush(): Promise<void> {
    if (!this.len) return;
    await this.fh.writev(this.parts, this.at);
    this.parts = [];
    this.len = 0;
  }
}

const ZERO = Buffer.alloc(BLOCK);

export async function spill(input: Readable, tag: string): Promise<Spilled> {
  const { dir, dispose } = makeTempDir(tag);
  const path = join(dir, 'dump');
  try {
    const fh = await open(path, 'w', 0o600);
    let pos = 0;
    let carry: Buffer = Buffer.alloc(0);
    try {
      const w = new BatchWriter(fh);
      const put = async (b: Buffer) => {
        for (let i = 0; i < b.length; i += BLOCK) {
          const blk = b.subarray(i, i + BLOCK);
          if (blk.length < BLOCK || !blk.equals(ZERO)) await w.add(blk, pos);
          pos += blk.length;
        }
      };
      // The work is the stream's bytes taken in, of a total no one knows (src/input/work.ts).
      const work = startWork(`reading ${tag === 'stdin' ? 'standard input' : tag}`, undefined, 'bytes');
      for await (const chunk of input) {
        const b: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        const whole = b.length - (b.length % BLOCK);
        await put(b.subarray(0, whole));
        carry = Buffer.from(b.subarray(whole));
        work.at(pos + carry.length);
      }
      work.end();
      await put(carry);
      await w.flush();
      await fh.truncate(pos);
    } finally {
      await fh.close();
    }
    return { path, size: pos, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
