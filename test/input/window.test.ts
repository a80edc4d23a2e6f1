// ReadWindow: whatever the order of reads, each gives the bytes at that place in the file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFile } from '../../src/input/file.js';
import { ReadWindow, WINDOW_MAX } from '../../src/input/window.js';

describe('ReadWindow', () => {
  it('gives the file bytes for forward, backward and random reads, across refills', async () => {
    const size = 2 * WINDOW_MAX + 12345;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 7 + (i >> 12)) & 0xff;
    const path = join(mkdtempSync(join(tmpdir(), 'window-')), 'f.bin');
    writeFileSync(path, bytes);
    const f = await InputFile.open(path);
    try {
      const win = new ReadWindow(f);
      let seed = 1;
      const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
      const reads: [number, number][] = [];
      for (let p = 0; p < size; p += 4096) reads.push([p, 4096]);
      for (let p = size - 5000; p > 0; p -= 300_000) reads.push([p, 5000]);
      for (let i = 0; i < 200; i++) reads.push([rand(size + 100), rand(i % 10 === 0 ? 2 * WINDOW_MAX : 70_000)]);
      for (const [p, n] of reads) {
        const got = await win.read(p, n);
        expect(Buffer.from(got).equals(bytes.subarray(p, Math.min(size, p + n))), `read ${n} at ${p}`).toBe(true);
      }
    } finally {
      await f.close();
    }
  });
});
