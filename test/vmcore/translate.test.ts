import { describe, expect, it } from 'vitest';
import { makeTranslator, TranslateError } from '../../src/vmcore/translate/index.js';
import { dumpInfo, MapMemory, mapArm64, mapX86 } from '../builders/pagetables.js';

const hex = (v: bigint) => v.toString(16);

describe('x86_64 translation', () => {
  for (const levels of [4, 5] as const) {
    it(`walks ${levels}-level tables with 4K, 2M and 1G pages`, async () => {
      const mem = new MapMemory();
      const physBase = -0x15000000n; // as in kdump-oops-panic: NUMBER(phys_base)=-352321536
      const topSym = 0xffffffffa3010000n; // KASLR'd init_top_pgt
      const topPhys = topSym - 0xffffffff80000000n + physBase;
      const directBase = levels === 5 ? 0xff11000000000000n : 0xffff89dc00000000n;
      await mapX86(mem, topPhys, directBase + 0x40000000n, 0x80000000n, 1n << 30n, levels);
      await mapX86(mem, topPhys, 0xffffc90000200000n, 0x3400000n, 1n << 21n, levels);
      await mapX86(mem, topPhys, 0xffffc90000001000n, 0x7777000n, 4096n, levels);
      const info = dumpInfo('x86_64', mem, {
        'SYMBOL(init_top_pgt)': hex(topSym),
        'NUMBER(phys_base)': physBase.toString(),
        'NUMBER(pgtable_l5_enabled)': levels === 5 ? '1' : '0',
        KERNELOFFSET: '22000000',
      });
      const t = makeTranslator(info);
      expect(await t.toPhys(0xffffffffa3064400n)).toBe(0xffffffffa3064400n - 0xffffffff80000000n + physBase);
      expect(await t.toPhys(directBase + 0x40000000n + 0x12345678n)).toBe(0x80000000n + 0x12345678n);
      expect(await t.toPhys(0xffffc90000200000n + 0x1abcden)).toBe(0x3400000n + 0x1abcden);
      expect(await t.toPhys(0xffffc90000001234n)).toBe(0x7777234n);
      await expect(t.toPhys(0xffffc90000003000n)).rejects.toBeInstanceOf(TranslateError);
    });
  }
});

describe('arm64 translation (4K granule)', () => {
  for (const vaBits of [48, 39]) {
    it(`walks swapper_pg_dir found through kimage_voffset, VA_BITS ${vaBits}`, async () => {
      const mem = new MapMemory(4096, 0x40000000n);
      const kimageVoffset = vaBits === 48 ? 0xffffb5248c600000n : 0xffffffc008000000n - 0x40200000n;
      const pgdSym = vaBits === 48 ? 0xffffb524cde58000n : 0xffffffc009a58000n;
      const pgd = pgdSym - kimageVoffset;
      const linear = vaBits === 48 ? 0xffff2abb8ff4f000n : 0xffffff8000123000n;
      const image = pgdSym + 0x10000n;
      await mapArm64(mem, pgd, linear, 0x48001000n, 4096n, vaBits);
      await mapArm64(mem, pgd, image & ~0x1fffffn, (image - kimageVoffset) & ~0x1fffffn, 1n << 21n, vaBits);
      const info = dumpInfo('arm64', mem, {
        'SYMBOL(swapper_pg_dir)': hex(pgdSym),
        'NUMBER(kimage_voffset)': `0x${hex(kimageVoffset)}`,
        'NUMBER(VA_BITS)': String(vaBits),
        'NUMBER(TCR_EL1_T1SZ)': `0x${hex(BigInt(64 - vaBits))}`,
        PAGESIZE: '4096',
      });
      const t = makeTranslator(info);
      expect(await t.toPhys(linear + 0x380n)).toBe(0x48001380n);
      expect(await t.toPhys(image + 0x24n)).toBe(image + 0x24n - kimageVoffset);
      await expect(t.toPhys(linear + 0x100000n)).rejects.toBeInstanceOf(TranslateError);
    });
  }
});

describe('arm64 translation (16K and 64K granules)', () => {
  for (const [pageSize, vaBits, block] of [[16384, 47, 1n << 25n], [65536, 42, 1n << 29n], [65536, 48, 1n << 29n]] as const) {
    it(`${pageSize / 1024}K pages, VA_BITS ${vaBits}: pages and ${block >> 20n}M blocks`, async () => {
      const mem = new MapMemory(pageSize, 0x40000000n);
      const kimageVoffset = (1n << 64n) - (1n << BigInt(vaBits - 1)) - 0x40000000n; // image at PA 0x40000000.. mapped high
      const pgdSym = kimageVoffset + 0x41000000n;
      const pgd = 0x41000000n;
      const start = (1n << 64n) - (1n << BigInt(vaBits));
      const linear = start + 0x12340000n;
      await mapArm64(mem, pgd, linear, 0x48000000n, BigInt(pageSize), vaBits);
      await mapArm64(mem, pgd, start + 2n * block, 0x60000000n, block, vaBits);
      const info = dumpInfo('arm64', mem, {
        'SYMBOL(swapper_pg_dir)': hex(pgdSym),
        'NUMBER(kimage_voffset)': `0x${hex(kimageVoffset)}`,
        'NUMBER(VA_BITS)': String(vaBits),
        PAGESIZE: String(pageSize),
      });
      const t = makeTranslator(info);
      expect(await t.toPhys(linear + 0x123n)).toBe(0x48000123n);
      expect(await t.toPhys(start + 2n * block + 0x54321n)).toBe(0x60054321n);
      await expect(t.toPhys(linear + BigInt(pageSize))).rejects.toBeInstanceOf(TranslateError);
    });
  }
});
