import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import { PageUnavailable } from '../../src/vmcore/types.js';
import { FormatError } from '../../src/util/errors.js';
import { buildElf, buildKdump, note, prstatusX86, toFlattened, vmcoreinfoNote } from '../builders/vmcore.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-vmcore-test-'));
let n = 0;
const put = (b: Buffer) => { const p = join(dir, `d${n++}`); writeFileSync(p, b); return p; };
const page = (fill: number, text = '') => { const p = Buffer.alloc(4096, fill); p.write(text, 0, 'latin1'); return p; };
const VI = 'OSRELEASE=6.1.0-test\nPAGESIZE=4096\nSYMBOL(prb)=ffffffff8300000\nCRASHTIME=1700000100\n';

async function expectUnavailable(p: Promise<unknown>, reason: string, paddr: bigint) {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(PageUnavailable);
  expect((e as PageUnavailable).reason).toBe(reason);
  expect((e as PageUnavailable).paddr).toBe(paddr);
}

describe('ELF cores', () => {
  for (const is64 of [true, false]) {
    it(`reads ${is64 ? 64 : 32}-bit phys-only segments, notes and crossing reads`, async () => {
      const f = put(buildElf({ is64, segs: [{ paddr: 0x1000n, data: Buffer.concat([page(1, 'first'), page(2, 'second')]) }, { paddr: 0x10000n, data: page(3, 'far') }],
        notes: [vmcoreinfoNote(VI), prstatusX86(42, 0xffffffff81000000n, 0xffffc90000001000n)] }));
      const d = await openDump(f);
      expect(d.format).toBe(is64 ? 'elf64' : 'elf32');
      expect(d.release).toBe('6.1.0-test');
      expect(d.crashTime?.toISOString()).toBe('2023-11-14T22:15:00.000Z');
      expect(d.vmcoreinfo?.get('SYMBOL(prb)')).toBe('ffffffff8300000');
      expect(d.cpus[0]?.pid).toBe(42);
      if (is64) expect(d.cpus[0]?.ip).toBe(0xffffffff81000000n);
      expect(d.virt).toBeUndefined();
      const b = await d.phys.read(0x1ffen, 4);
      expect([...b]).toEqual([1, 1, 0x73, 0x65]); // end of page 1, "se" of page 2
      expect(Buffer.from(await d.phys.read(0x10000n, 3)).toString()).toBe('far');
      await expectUnavailable(d.phys.read(0x5000n, 8), 'excluded', 0x5000n);
      expect(d.phys.has(0x10000n)).toBe(true);
      expect(d.phys.has(0x5000n)).toBe(false);
      await d.close();
    });
  }

  it('translates kexec virtual addresses through the PT_LOADs', async () => {
    const f = put(buildElf({ segs: [{ paddr: 0x200000n, vaddr: 0xffffffff81000000n, data: page(0, 'kernel text') }] }));
    const d = await openDump(f);
    expect(d.virt?.toPhys(0xffffffff81000010n)).toBe(0x200010n);
    expect(Buffer.from(await d.virt!.read(0xffffffff81000000n, 11)).toString()).toBe('kernel text');
    await d.close();
  });

  it('never reads an --avoid page, and counts bytes read', async () => {
    const f = put(buildElf({ segs: [{ paddr: 0n, data: Buffer.concat([page(1), page(2)]) }] }));
    const d = await openDump(f, { avoid: [0x1800n] });
    const before = d.phys.bytesRead;
    await expectUnavailable(d.phys.read(0x1000n, 16), 'avoided', 0x1000n);
    expect(d.phys.bytesRead).toBe(before);
    await d.phys.read(0n, 16);
    expect(d.phys.bytesRead - before).toBe(4096);
    expect(d.phys.pagesRead).toBe(1);
    await d.close();
  });

  it('a slim dump gives its reason and no memory', async () => {
    const f = put(buildElf({ segs: [], notes: [vmcoreinfoNote(VI), note('LINUX', 0x4e434400, Buffer.from('PANIC_MCE\0'))] }));
    const d = await openDump(f);
    expect(d.format).toBe('slim');
    expect(d.noCoredumpReason).toBe('PANIC_MCE');
    await d.close();
  });

  it('a gzip-compressed ELF is read the same', async () => {
    const f = put(gzipSync(buildElf({ segs: [{ paddr: 0x100000n, data: Buffer.concat([page(0), page(0), page(7, 'log')]) }], notes: [vmcoreinfoNote(VI)] })));
    const d = await openDump(f);
    expect(Buffer.from(await d.phys.read(0x102000n, 3)).toString()).toBe('log');
    expect([...(await d.phys.read(0x100000n, 4))]).toEqual([0, 0, 0, 0]);
    await d.close();
  });

  it('hostile phnum/lengths give FormatError, not an allocation', async () => {
    const good = buildElf({ segs: [{ paddr: 0n, data: page(1) }] });
    await expect(openDump(put(buildElf({ segs: [{ paddr: 0n, data: page(1) }], phnumOverride: 65535 })))).rejects.toBeInstanceOf(FormatError);
    await expect(openDump(put(good.subarray(0, 70)))).rejects.toBeInstanceOf(FormatError);
  });
});

describe('kdump-compressed', () => {
  const pages = new Map([[1, page(0x11, 'one')], [2, page(0x22, 'two')], [300, page(0x33, 'three hundred')]]);
  for (const compression of ['none', 'zlib', 'snappy'] as const) {
    it(`${compression}: dumpable pages decompress, others are excluded`, async () => {
      const f = put(buildKdump({ pages, maxPfn: 1024, compression, vmcoreinfo: VI, notes: [prstatusX86(7, 1n, 2n)] }));
      const d = await openDump(f);
      expect(d.format).toBe('kdump');
      expect(d.release).toBe('6.1.0-test');
      expect(d.cpus[0]?.pid).toBe(7);
      expect(Buffer.from(await d.phys.read(300n * 4096n, 13)).toString()).toBe('three hundred');
      expect(Buffer.from(await d.phys.read(2n * 4096n, 3)).toString()).toBe('two');
      expect(Buffer.from(await d.phys.read(1n * 4096n + 4095n, 4))).toEqual(Buffer.from([0x11, 0x74, 0x77, 0x6f]));
      await expectUnavailable(d.phys.read(3n * 4096n, 1), 'excluded', 3n * 4096n);
      await expectUnavailable(d.phys.read(5000n * 4096n, 1), 'excluded', 5000n * 4096n);
      await d.close();
    });
  }

  it('flattened (with an overwritten header record) reads like the original', async () => {
    const f = put(toFlattened(buildKdump({ pages, maxPfn: 1024, compression: 'zlib', vmcoreinfo: VI })));
    const d = await openDump(f);
    expect(d.format).toBe('flattened');
    expect(d.release).toBe('6.1.0-test');
    expect(Buffer.from(await d.phys.read(300n * 4096n, 13)).toString()).toBe('three hundred');
    await d.close();
  });

  it('the INCOMPLETE flag is a problem; a corrupt page is PageUnavailable corrupt', async () => {
    const b = buildKdump({ pages, maxPfn: 1024, compression: 'zlib', status: 8 });
    const desc = 4096 * 2 + 4096 * 2;
    b.fill(0xff, Number(b.readBigInt64LE(desc + 24)), Number(b.readBigInt64LE(desc + 24)) + 8); // damage page 2's data
    const d = await openDump(put(b));
    expect(d.problems.map((p) => p.message).join()).toMatch(/INCOMPLETE/);
    await expectUnavailable(d.phys.read(2n * 4096n, 1), 'corrupt', 2n * 4096n);
    expect(Buffer.from(await d.phys.read(4096n, 3)).toString()).toBe('one');
    await d.close();
  });

  it('hostile bitmap sizes and block sizes give FormatError', async () => {
    await expect(openDump(put(buildKdump({ pages, maxPfn: 1024, compression: 'none', bitmapBlocksOverride: 0x7fffffff })))).rejects.toBeInstanceOf(FormatError);
    await expect(openDump(put(buildKdump({ pages, maxPfn: 1024, compression: 'none', bitmapBlocksOverride: 1000 })))).rejects.toBeInstanceOf(FormatError);
    const b = buildKdump({ pages, maxPfn: 1024, compression: 'none' });
    b.writeInt32LE(3, 428);
    await expect(openDump(put(b))).rejects.toBeInstanceOf(FormatError);
  });

  it('random damage never throws anything but FormatError/PageUnavailable', async () => {
    const base = buildKdump({ pages, maxPfn: 1024, compression: 'zlib', vmcoreinfo: VI, notes: [prstatusX86(7, 1n, 2n)] });
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 60; i++) {
      const b = Buffer.from(base);
      for (let k = 0; k < 8; k++) b[Math.floor(rnd() * Math.min(b.length, 20000))] = Math.floor(rnd() * 256);
      try {
        const d = await openDump(put(b));
        for (const pfn of [1n, 2n, 300n, 7n]) await d.phys.read(pfn * 4096n, 16).catch((e: unknown) => { if (!(e instanceof PageUnavailable)) throw e; });
        await d.close();
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
      }
    }
  });
});
