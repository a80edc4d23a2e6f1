import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LzoError, lzo1xDecompress } from '../../src/vmcore/lzo.js';

const DIR = join(import.meta.dirname, 'lzo-pages');
const pages = readdirSync(DIR).filter((n) => n.endsWith('.lzo'));

describe('LZO1X pages written by makedumpfile -l', () => {
  it('has pages to test', () => expect(pages.length).toBeGreaterThanOrEqual(5));
  for (const n of pages) {
    it(`${n} decompresses to the same page as the zlib dump`, () => {
      const got = lzo1xDecompress(readFileSync(join(DIR, n)), 4096);
      expect(Buffer.from(got).equals(readFileSync(join(DIR, n.replace('.lzo', '.page'))))).toBe(true);
    });
  }
  it('truncated or damaged input is an LzoError, never a bigger output', () => {
    const src = readFileSync(join(DIR, pages[0]!));
    expect(() => lzo1xDecompress(src.subarray(0, src.length - 3), 4096)).toThrow(LzoError);
    expect(() => lzo1xDecompress(src, 100)).toThrow(LzoError);
    for (let i = 0; i < 200; i++) {
      const b = Buffer.from(src);
      b[(i * 37) % b.length] ^= 0x5a;
      try {
        expect(lzo1xDecompress(b, 4096).length).toBeLessThanOrEqual(4096);
      } catch (e) {
        expect(e).toBeInstanceOf(LzoError);
      }
    }
  });
});
