// A gzip'd dump read by position through its index of restart points (src/vmcore/gzindex.ts):
// any read equals the same bytes of the plain file, across points, thinned points and gzip
// members; the pass goes only as far as reads reach; damage keeps what came before it; the
// inflate budget, the member limit and the trailer checks are problems naming the file and
// offset.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, gunzipSync, gzipSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/model/index.js';
import { GZIP_LIMITS, GzipSource, type GzipLimits } from '../../src/vmcore/gzindex.js';
import { memoryLike, rng } from '../builders/memory.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-gzindex-test-'));
let n = 0;
function put(b: Buffer): string {
  const p = join(dir, `f${n++}.gz`);
  writeFileSync(p, b);
  return p;
}

function open(file: string, size: number, limits: Partial<GzipLimits> = {}) {
  const problems: Problem[] = [];
  const src = new GzipSource(file, size, problems, 'vmcore.gz', { ...GZIP_LIMITS, ...limits });
  return { src, problems };
}

describe('GzipSource', () => {
  const plain = memoryLike(600, 11); // 2.4 MB
  const gz = gzipSync(plain, { level: 6, memLevel: 2 }); // small blocks: many boundaries

  for (const [how, decodeWhole] of [['by Node\'s zlib', GZIP_LIMITS.decodeWhole], ['by inflate.ts (segments larger than decodeWhole)', 16 << 10]] as const) {
    it(`random reads equal the plain bytes, before and after the pass, with points thinned to their budget; segments decoded ${how}`, () => {
      const file = put(gz);
      // 64 KiB spans and room for ~6 windows: points are thinned (span doubled) several times.
      const { src, problems } = open(file, gz.length, { span: 64 << 10, windowBytes: 48 << 10, decodeWhole });
      const r = rng(5);
      const check = (pos: number, len: number) => expect(Buffer.from(src.readSync(pos, len)).equals(plain.subarray(pos, pos + len))).toBe(true);
      check(0, 64);
      expect(src.inflated).toBeLessThan(plain.length); // lazy: the pass stopped near the read
      for (let k = 0; k < 40; k++) check(Math.floor(r() * plain.length), Math.floor(r() * 100_000));
      expect(src.size).toBe(plain.length);
      for (let k = 0; k < 40; k++) check(Math.floor(r() * plain.length), Math.floor(r() * 300_000));
      check(plain.length - 10, 100); // short at the end
      expect(src.readSync(plain.length + 5, 10).length).toBe(0);
      expect(src.decoded[decodeWhole > 1 << 20 ? 'inflate' : 'zlib']).toBe(0);
      expect(src.decoded[decodeWhole > 1 << 20 ? 'zlib' : 'inflate']).toBeGreaterThan(5);
      expect(src.points.length).toBeLessThan(12);
      expect(src.points.length).toBeGreaterThan(2);
      expect(problems).toEqual([]);
      src.closeSync();
    });
  }

  it('several gzip members read as one stream, reads crossing them', () => {
    const parts = [plain.subarray(0, 700_000), plain.subarray(700_000, 700_001), plain.subarray(700_001)];
    const gzs = Buffer.concat(parts.map((p) => gzipSync(p)));
    const { src, problems } = open(put(gzs), gzs.length, { span: 100_000 });
    expect(Buffer.from(src.readSync(699_990, 30)).equals(plain.subarray(699_990, 700_020))).toBe(true);
    expect(src.size).toBe(plain.length);
    expect(Buffer.from(src.readSync(1000, 1_500_000)).equals(plain.subarray(1000, 1_501_000))).toBe(true);
    expect(src.points.filter((p) => p.member)).toHaveLength(3);
    expect(problems).toEqual([]);
    src.closeSync();
  });

  it('damage in the middle: every byte before it still reads; one problem names the file and offset', () => {
    // The first bytes from the middle on whose change zlib itself finds (raw deflate has no
    // check of its own; a CRC mismatch alone would not stop the pass).
    let bad = Buffer.from(gz);
    let at = gz.length >> 1;
    for (; at < gz.length; at += 7) {
      bad = Buffer.from(gz);
      bad.fill(0xa5, at, at + 16);
      try { gunzipSync(bad); } catch (err) { if (!/incorrect data check/.test(String(err))) break; }
    }
    const { src, problems } = open(put(bad), bad.length, { span: 64 << 10 });
    const size = src.size;
    expect(size).toBeGreaterThan(plain.length / 4);
    expect(size).toBeLessThan(plain.length);
    // Bytes decoded from before the damage are right; the damage itself may decode to
    // something before zlib or we can tell (raw deflate has no check of its own).
    const sound = Math.min(size, inflateRawSync(bad.subarray(10, at), { finishFlush: constants.Z_SYNC_FLUSH }).length - 258);
    expect(sound).toBeGreaterThan(plain.length / 4);
    expect(Buffer.from(src.readSync(0, sound)).equals(plain.subarray(0, sound))).toBe(true);
    expect(src.readSync(size, 4096).length).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('vmcore.gz');
    expect(problems[0]!.offset).toBeGreaterThanOrEqual(at - 100_000);
    expect(problems[0]!.offset).toBeLessThanOrEqual(at + 16);
    expect(problems[0]!.message).toMatch(new RegExp(`gzip stream damaged \\(.*\\); read up to the block before it, ${size} bytes inflated`));
    src.closeSync();
  });

  it('the inflate budget stops the pass with a problem, inside one block too; the bytes before it still read', () => {
    const { src, problems } = open(put(gz), gz.length, { maxOutput: 1 << 20 });
    expect(src.size).toBeGreaterThan(1 << 19);
    expect(src.size).toBeLessThanOrEqual(1 << 20);
    expect(Buffer.from(src.readSync(0, src.size)).equals(plain.subarray(0, src.size))).toBe(true);
    expect(problems.map((p) => p.message)).toEqual([`inflates past 1048576 bytes (the budget for one dump); read up to the block before, ${src.size} bytes`]);
    // zlib's level 1 puts 64 MiB of zeros in very few blocks: the budget stops one mid-way.
    const zeros = gzipSync(Buffer.alloc(64 << 20), { level: 1 });
    const z = open(put(zeros), zeros.length, { maxOutput: 8 << 20 });
    expect(z.src.size).toBeLessThanOrEqual(8 << 20);
    expect(z.problems[0]!.message).toMatch(/inflates past 8388608 bytes/);
    src.closeSync();
  });

  it('trailer checks: a wrong CRC or length, bytes after the last member, a damaged member header, too many members', () => {
    const crc = Buffer.from(gz);
    crc[crc.length - 8] ^= 1;
    const a = open(put(crc), crc.length);
    expect(a.src.size).toBe(plain.length);
    expect(a.problems.map((p) => p.message)).toEqual([expect.stringMatching(/CRC32 0x[0-9a-f]+ does not match/)]);
    const tail = Buffer.concat([gz, Buffer.from('garbage')]);
    const b = open(put(tail), tail.length);
    expect(b.src.size).toBe(plain.length);
    expect(b.problems).toEqual([{ path: 'vmcore.gz', offset: gz.length, message: '7 bytes after the last gzip member ignored' }]);
    const badNext = Buffer.concat([gz, Buffer.from([0x1f, 0x8b, 8, 0xe0]), Buffer.alloc(20)]); // reserved flags set
    const d = open(put(badNext), badNext.length);
    expect(d.src.size).toBe(plain.length);
    expect(d.problems).toEqual([{ path: 'vmcore.gz', offset: gz.length + 3, message: `gzip member after ${plain.length} bytes inflated: gzip header flags 0xe0 set reserved bits; the rest is not read` }]);
    const badFirst = Buffer.from(gz);
    badFirst[3] = 0xe0;
    expect(() => open(put(badFirst), badFirst.length)).toThrow(/^vmcore\.gz\+0x3: gzip header flags 0xe0 set reserved bits$/);
    const many = Buffer.concat(Array.from({ length: 5 }, () => gzipSync(Buffer.from('x'))));
    const c = open(put(many), many.length, { maxMembers: 3 });
    expect(c.src.size).toBe(3);
    expect(c.problems[0]!.message).toMatch(/more than 3 gzip members; stopped after 3 bytes inflated/);
  });

  it('a gzip of 64 MiB of zeros: the first bytes read after inflating a small part of it', () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20));
    const { src } = open(put(bomb), bomb.length);
    expect(src.readSync(0, 64)).toEqual(new Uint8Array(64));
    expect(src.inflated).toBeLessThan(16 << 20);
    src.closeSync();
  });
});
