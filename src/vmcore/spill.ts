// Streams that cannot be read by position (a gzip-compressed dump, a dump on stdin) are
// written once to a private temporary file, sparse: all-zero 4 KiB blocks are skipped by
// seeking, so a mostly-empty 64 GiB dump costs only its non-zero pages on disk. The
// caller reads that file by position and removes it with `dispose`.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

const BLOCK = 4096;
const ZERO = new Uint8Array(BLOCK);

export interface Spilled { path: string; size: number; dispose(): Promise<void> }

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8;
}

export async function spillGunzip(path: string): Promise<Spilled> {
  return spill(createReadStream(path).pipe(createGunzip()), 'gunzip');
}

export async function spill(input: Readable, tag: string): Promise<Spilled> {
  const dir = await mkdtemp(join(tmpdir(), `crashlog-${tag}-`));
  const path = join(dir, 'dump');
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    const fh = await open(path, 'w', 0o600);
    let pos = 0;
    let carry: Buffer = Buffer.alloc(0);
    try {
      const flush = async (b: Buffer) => {
        for (let i = 0; i < b.length; i += BLOCK) {
          const blk = b.subarray(i, i + BLOCK);
          if (blk.length < BLOCK || !Buffer.from(blk.buffer, blk.byteOffset, blk.length).equals(ZERO)) await fh.write(blk, 0, blk.length, pos);
          pos += blk.length;
        }
      };
      for await (const chunk of input) {
        const b: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        const whole = b.length - (b.length % BLOCK);
        await flush(b.subarray(0, whole));
        carry = Buffer.from(b.subarray(whole));
      }
      await flush(carry);
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
