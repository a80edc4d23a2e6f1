// The block-at-a-time deflate decoder (src/vmcore/inflate.ts) beside zlib itself: every
// level, strategy, window and memory level zlib can write, on data shaped like memory (zero
// pages, text, random bytes); restarts at every block boundary reproduce the rest; and
// damaged streams fail as zlib fails, with an InflateError at an offset, never anything else.
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Inflater, InflateError } from '../../src/vmcore/inflate.js';
import { memoryLike, rng } from '../builders/memory.js';

/** Inflate all of `comp` with inflate.ts, from bit `bit` of byte `pos`, after `window`; boundaries seen on the way. */
function inflateAll(comp: Uint8Array, pos = 0, bit = 0, window: Uint8Array = new Uint8Array(0), outAt = 0) {
  const parts: Buffer[] = [];
  const pull = (at: number) => comp.subarray(at, at + 777); // odd pieces: codes straddle them
  const bounds: { inBits: number; out: number; window: Uint8Array }[] = [];
  const inf = new Inflater(pull, pos, bit, window, outAt, (b) => parts.push(Buffer.from(b)));
  while (!inf.ended) {
    inf.block();
    bounds.push({ inBits: inf.inBits, out: inf.total, window: inf.window() });
  }
  inf.flush();
  return { out: Buffer.concat(parts), bounds };
}

describe('inflate.ts beside zlib', () => {
  const data = memoryLike(40, 1);
  const strategies = { default: constants.Z_DEFAULT_STRATEGY, filtered: constants.Z_FILTERED, huffman: constants.Z_HUFFMAN_ONLY, rle: constants.Z_RLE, fixed: constants.Z_FIXED };
  for (const [name, strategy] of Object.entries(strategies)) {
    for (const level of [0, 1, 6, 9]) {
      it(`level ${level}, ${name}: the same bytes, and a restart at any block boundary gives the rest`, () => {
        for (const [windowBits, memLevel] of [[15, 8], [9, 1], [12, 9]] as const) {
          const comp = deflateRawSync(data, { level, strategy, windowBits, memLevel });
          const { out, bounds } = inflateAll(comp);
          expect(out.equals(data)).toBe(true);
          for (const b of bounds.slice(0, -1).filter((_, i) => i % 3 === 1).slice(0, 3)) {
            const rest = inflateAll(comp, Math.floor(b.inBits / 8), b.inBits % 8, b.window, b.out);
            expect(rest.out.equals(data.subarray(b.out))).toBe(true);
          }
        }
      });
    }
  }

  it('a zlib stream made with a dictionary inflates after it as a window', () => {
    const dict = memoryLike(8, 2);
    const comp = deflateRawSync(data, { dictionary: dict });
    expect(inflateAll(comp, 0, 0, dict).out.equals(data)).toBe(true);
  });

  it('damaged streams: where zlib gives the data, so does inflate.ts; where zlib fails, an InflateError at an offset inside the stream', () => {
    const r = rng(7);
    const comp = deflateRawSync(memoryLike(24, 3));
    let agreedOk = 0;
    let agreedBad = 0;
    for (let n = 0; n < 300; n++) {
      const bad = Buffer.from(comp);
      // Half the flips land in the first block's code tables, where damage is most often caught.
      const span = n % 2 ? bad.length : 64;
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) bad[Math.floor(r() * span)] ^= 1 << Math.floor(r() * 8);
      let want: Buffer | undefined;
      try { want = inflateRawSync(bad); } catch { want = undefined; }
      let got: Buffer | undefined;
      try {
        got = inflateAll(bad).out;
      } catch (err) {
        expect(err).toBeInstanceOf(InflateError);
        expect((err as InflateError).offset).toBeGreaterThanOrEqual(0);
        expect((err as InflateError).offset).toBeLessThanOrEqual(bad.length + 8);
      }
      if (want && got) { expect(got.equals(want)).toBe(true); agreedOk++; } else if (!want && !got) agreedBad++;
      else expect({ zlib: want?.length, ours: got?.length }).toEqual({ zlib: want?.length, ours: want?.length });
    }
    // The sweep hits both: damage zlib catches, and damage raw deflate cannot see (no checksum).
    expect(agreedBad).toBeGreaterThan(30);
    expect(agreedOk).toBeGreaterThan(30);
    expect(agreedOk + agreedBad).toBe(300);
  });

  it('a stream cut short is an InflateError naming the end, not a hang', () => {
    const comp = deflateRawSync(memoryLike(8, 4));
    expect(() => inflateAll(comp.subarray(0, comp.length >> 1))).toThrow(/cut short/);
  });
});
