// makedumpfile's flattened format read by position (src/vmcore/flat.ts) beside the obvious
// method, writing every record at its offset in stream order (later ones overwrite earlier
// ones, as `makedumpfile -R` rebuilds the file): random records that overlap, repeat
// offsets and leave holes, and one large record among them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputFile } from '../../src/input/file.js';
import { FLAT_HEADER_SIZE, FlatSource } from '../../src/vmcore/flat.js';
import { FileSource } from '../../src/vmcore/source.js';
import { rng } from '../builders/memory.js';

function flattened(records: { off: number; data: Buffer }[]): Buffer {
  const head = Buffer.alloc(FLAT_HEADER_SIZE);
  head.write('makedumpfile', 0, 'latin1');
  const parts: Buffer[] = [head];
  for (const r of records) {
    const h = Buffer.alloc(16);
    h.writeBigInt64BE(BigInt(r.off), 0);
    h.writeBigInt64BE(BigInt(r.data.length), 8);
    parts.push(h, r.data);
  }
  const end = Buffer.alloc(16);
  end.writeBigInt64BE(-1n, 0);
  return Buffer.concat([...parts, end]);
}

describe('FlatSource', () => {
  it('reads what writing the records in order gives, holes as zeros', async () => {
    const r = rng(9);
    const size = 1 << 20;
    const records = Array.from({ length: 600 }, (_, i) => {
      const len = i === 300 ? 200_000 : 1 + Math.floor(r() * 5000);
      const off = Math.floor(r() * (size - len));
      return { off, data: Buffer.alloc(len, 1 + (i % 255)) };
    });
    const want = Buffer.alloc(Math.max(...records.map((x) => x.off + x.data.length)));
    for (const x of records) x.data.copy(want, x.off);
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-flat-')), 'flat');
    writeFileSync(path, flattened(records));
    const f = await InputFile.open(path);
    const file = new FileSource(f);
    const src = await FlatSource.index(file, []);
    expect(src.size).toBe(want.length);
    for (let k = 0; k < 300; k++) {
      const pos = Math.floor(r() * want.length);
      const len = Math.floor(r() * 20_000);
      expect(Buffer.from(await src.read(pos, len)).equals(want.subarray(pos, pos + len)), `${pos}+${len}`).toBe(true);
    }
    file.closeSync();
    await f.close();
  });
});
