// Streams that cannot be read by position (a gzip-compressed dump, a dump on stdin) are
// written once to a private temporary file, sparse: all-zero 4 KiB blocks are skipped by
// seeking, so a mostly-empty 64 GiB dump costs only its non-zero pages on disk. The
// caller reads that file by position and removes it with `dispose`.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { makeTempDir } from '../util/tempdir.js';

const BLOCK = 4096;
const ZERO = new Uint8Array(BLOCK);

export interface Spilled { path: string; size: number; dispose(): Promise<void> }

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8;
}

/**
 * A gzip'd dump, inflated to a temporary file. `check` sees the first inflated bytes
 * (at least CHECK_BYTES, or all there are) and may refuse them: a stream that holds no dump
 * stops there instead of filling the disk (a 1 MB gzip of zeros once spilled 610 MB).
 */
export async function spillGunzip(path: string, check?: (head: Buffer) => void): Promise<Spilled> {
  return spill(createReadStream(path).pipe(createGunzip()), 'gunzip', check);
}

/** Inflated bytes handed to a spill's check before anything is written. */
export const CHECK_BYTES = 64;

export async function spill(input: Readable, tag: string, check?: (head: Buffer) => void): Promise<Spilled> {
  // Removed at exit and on SIGINT/SIGTERM too (src/util/tempdir.ts).
  const { dir, dispose } = makeTempDir(tag);
  const path = join(dir, 'dump');
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
      let checked = check === undefined;
      for await (const chunk of input) {
        const b: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
        if (!checked && b.length >= CHECK_BYTES) { check!(b); checked = true; }
        const whole = b.length - (b.length % BLOCK);
        await flush(b.subarray(0, whole));
        carry = Buffer.from(b.subarray(whole));
      }
      if (!checked) check!(carry);
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
