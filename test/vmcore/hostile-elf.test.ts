// Damaged ELF cores (issue 16): a page no PT_LOAD covers among tens of thousands of
// program headers is found missing at once (it used to rescan every header per byte), and a
// short header is a FormatError at its offset, not a raw DataView error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import { buildElf } from '../builders/vmcore.js';
import { SegmentIndex } from '../../src/vmcore/segindex.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crashlog-elf-'));

describe('SegmentIndex', () => {
  it('finds the holder among overlapping segments and the next start after a gap', () => {
    const segs = [{ s: 0n, e: 100n }, { s: 10n, e: 20n }, { s: 200n, e: 300n }, { s: 200n, e: 210n }];
    const { index: ix, find } = SegmentIndex.of(segs, (x) => ({ start: x.s, end: x.e }));
    expect(find(50n)).toEqual({ s: 0n, e: 100n });
    expect(find(15n)).toEqual({ s: 10n, e: 20n });
    expect(find(150n)).toBeUndefined();
    expect(ix.nextStart(150n)).toBe(200n);
    expect(find(250n)).toEqual({ s: 200n, e: 300n });
    expect(ix.nextStart(250n)).toBeUndefined();
  });
});

describe('hostile ELF cores', () => {
  it('30,000 one-page PT_LOADs and an uncovered page: read fails at once with the page named', async () => {
    const page = new Uint8Array(4096).fill(7);
    // The same physical page mapped again and again (as QEMU's paging ELF maps the ESPFIX page), then one more.
    const segs = Array.from({ length: 30_000 }, () => ({ paddr: 0x100000n, vaddr: 0xffff880000000000n, data: Buffer.from(page) }));
    segs.push({ paddr: 0x300000n, vaddr: 0n, data: Buffer.from(page) });
    const p = join(tmp(), 'vmcore');
    writeFileSync(p, buildElf({ segs, xnum: true }));
    const d = await openDump(p);
    try {
      expect(await d.phys.read(0x100010n, 4)).toEqual(new Uint8Array([7, 7, 7, 7]));
      await expect(d.phys.read(0x200000n, 16)).rejects.toThrow(/0x200000.*no PT_LOAD covers it/);
      expect(await d.phys.read(0x300000n, 1)).toEqual(new Uint8Array([7]));
    } finally {
      await d.close();
    }
  }, 30_000);

  it('an ELF header cut short is a FormatError naming the file and offset', async () => {
    const p = join(tmp(), 'short');
    writeFileSync(p, buildElf({ segs: [] }).subarray(0, 40));
    await expect(openDump(p)).rejects.toThrow(/short\+0x28: ELF header cut short: 40 of its 64 bytes/);
  });
});
