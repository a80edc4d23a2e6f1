// The PT_LOAD index (src/vmcore/segindex.ts, sortkeys.ts) beside the obvious method: a
// stable BigInt sort, and a linear scan that takes the latest-starting segment holding an
// address (the first of identical ones), on random segments that overlap, repeat and span
// the whole 64-bit space.
import { describe, expect, it } from 'vitest';
import { SegmentIndex } from '../../src/vmcore/segindex.js';
import { radixSort, sortByKey } from '../../src/vmcore/sortkeys.js';
import { rng } from '../builders/memory.js';

const M64 = (1n << 64n) - 1n;

function keys(n: number, r: () => number, wide: boolean): bigint[] {
  const base = 0xffff888000000000n;
  return Array.from({ length: n }, () => {
    if (wide) return (BigInt(Math.floor(r() * 2 ** 32)) << 32n) | BigInt(Math.floor(r() * 2 ** 32));
    return base + BigInt(Math.floor(r() * 64)) * 0x1000n; // few distinct, page-aligned: many equal
  });
}

const halves = (ks: bigint[]) => ({ hi: Uint32Array.from(ks, (k) => Number(k >> 32n)), lo: Uint32Array.from(ks, (k) => Number(k & 0xffffffffn)) });
const ids = (n: number) => Uint32Array.from({ length: n }, (_, i) => n - 1 - i); // given order: falling ids

describe('sortByKey', () => {
  for (const wide of [false, true]) {
    it(`orders ${wide ? 'keys over all 64 bits (the radix sort)' : 'close page-aligned keys with repeats (the packed native sort)'} as a stable BigInt sort does`, () => {
      const r = rng(wide ? 2 : 1);
      const ks = keys(5000, r, wide);
      const { hi, lo } = halves(ks);
      const given = ids(ks.length);
      const want = [...given].sort((a, b) => (ks[a]! < ks[b]! ? -1 : ks[a]! > ks[b]! ? 1 : 0)); // Array sort is stable
      expect([...sortByKey(given, hi, lo)]).toEqual(want);
      expect([...radixSort(given, hi, lo)]).toEqual(want);
    });
  }
});

describe('SegmentIndex', () => {
  it('finds what a linear scan finds, and the next start, on random overlapping segments', () => {
    const r = rng(3);
    for (const wide of [false, true]) {
      const starts = keys(400, r, wide);
      const segs = starts.map((s) => {
        const len = BigInt(1 + Math.floor(r() * 3)) * 0x1000n * (r() < 0.1 ? 4096n : 1n);
        return { start: s, end: s + len > M64 ? M64 : s + len };
      });
      segs.push({ ...segs[7]! }, { ...segs[7]! }); // identical extents: the first one answers
      const { index, find } = SegmentIndex.of(segs, (s) => s);
      const linear = (a: bigint) => {
        let best: (typeof segs)[number] | undefined;
        for (const s of segs) if (s.start <= a && a < s.end && (!best || s.start > best.start)) best = s;
        return best;
      };
      const probes = [...segs.flatMap((s) => [s.start, s.end - 1n, s.end]), ...keys(200, r, true)];
      for (const a of probes) {
        expect(find(a)?.start, `0x${a.toString(16)}`).toBe(linear(a)?.start);
        const next = segs.map((s) => s.start).filter((s) => s > a).reduce<bigint | undefined>((m, s) => (m === undefined || s < m ? s : m), undefined);
        expect(index.nextStart(a)).toBe(next);
      }
    }
  });
});
