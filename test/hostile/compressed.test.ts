// Compressed records that lie (issue 16): a deflate bomb stops at what its format allows,
// with a problem naming the file and offset, and the records beside it are still read; a
// damaged stream keeps the text before the damage.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { inflateRecord } from '../../src/util/inflate.js';
import { pszBuffer, pszKmsgHeader } from '../../backends/pstore-blk/layout.js';
import { corpus, fixture } from '../corpus.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crashlog-compressed-'));

describe('inflateRecord', () => {
  const text = Buffer.from('[    1.000000] a line of the log\n'.repeat(3000));
  it('gives the whole of a good stream, and the prefix of a cut one, quietly', () => {
    const z = deflateRawSync(text);
    const said: string[] = [];
    expect(inflateRecord(z, 1 << 20, (p) => said.push(p.message)).equals(text)).toBe(true);
    const cut = inflateRecord(z.subarray(0, z.length >> 1), 1 << 20, (p) => said.push(p.message));
    expect(text.subarray(0, cut.length).equals(cut)).toBe(true);
    expect(cut.length).toBeGreaterThan(0);
    expect(said).toEqual([]);
  });

  it('stops a bomb at its cap and says so', () => {
    const bomb = deflateRawSync(Buffer.alloc(64 << 20, 0x41));
    const said: { message: string; offset: number }[] = [];
    const out = inflateRecord(bomb, 3 << 20, (p) => said.push(p));
    expect(out.length).toBeLessThanOrEqual(3 << 20);
    expect(out.length).toBeGreaterThan((3 << 20) - (64 << 10));
    expect(said).toEqual([{ message: expect.stringMatching(/^inflates past 3145728 bytes/), offset: expect.any(Number) }]);
    expect(said[0]!.offset).toBeLessThan(bomb.length);
  });
});

describe('a pstore directory with deflate bombs beside good records', () => {
  it('names each bomb at its offset, and still gives the good records\' verdict', async () => {
    const dir = join(tmp(), 'pstore');
    cpSync(fixture('pstore', 'ramoops-oops-panic', 'pstore'), dir, { recursive: true });
    const bomb = deflateRawSync(Buffer.alloc(64 << 20, 0x41));
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, `dmesg-ramoops-${10 + i}.enc.z`), bomb);
    const a = await analyze([dir]);
    const msgs = a.inputs[0]!.problems.map((p) => `${p.path.split('/').pop()} ${p.message}`);
    expect(msgs).toEqual([0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^dmesg-ramoops-${10 + i}\\.enc\\.z compressed record \\(\\.enc\\.z\\): inflates past \\d+ bytes`))));
    expect(a.incidents.some((i) => i.title === 'kernel panic: sysrq triggered crash')).toBe(true);
  }, 30_000);
});

describe('a damaged compressed pstore/blk record', () => {
  it('keeps the text before the damage, with a problem at its offset', async () => {
    const p = join(tmp(), 'disk.bin');
    copyFileSync(corpus('pstore-blk-gpf-panic', 'pstore-blk-disk.bin'), p);
    const disk = readFileSync(p);
    const dataAt = pszBuffer.size + pszKmsgHeader.size;
    const datalen = disk.readUInt32LE(4) - pszKmsgHeader.size;
    // Most damage to a deflate stream decodes to other bytes unnoticed; damage to a block
    // header breaks it (as the fuzz case did). The first such 8 bytes from a quarter
    // into the stream, found on the real record.
    let at = -1;
    for (let off = dataAt + (datalen >> 2); off < dataAt + datalen - 8 && at < 0; off++) {
      const c = Buffer.from(disk.subarray(dataAt, dataAt + datalen));
      for (let i = 0; i < 8; i++) c[off - dataAt + i] = (i * 37 + off) & 0xff;
      try { inflateRawSync(c); } catch { at = off; }
    }
    expect(at).toBeGreaterThan(0);
    for (let i = 0; i < 8; i++) disk[at + i] = (i * 37 + at) & 0xff;
    writeFileSync(p, disk);
    const good = await analyze([corpus('pstore-blk-gpf-panic', 'pstore-blk-disk.bin')]);
    const bad = await analyze([p]);
    // The lines before the damage are all there, as the undamaged record has them.
    const texts = (x: typeof good) => x.records.filter((r) => r.kind === 'kmsg').map((r) => (r as { text: string }).text);
    const kept = texts(bad).slice(0, -1);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept).toEqual(texts(good).slice(0, kept.length));
    const problems = bad.inputs[0]!.problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toMatch(/compressed data damaged after \d+ bytes of output .*the text before it is kept/);
    expect(problems[0]!.offset).toBeGreaterThan(dataAt);
    expect(problems[0]!.offset).toBeLessThanOrEqual(at + 8);
  });
});
void readdirSync;
