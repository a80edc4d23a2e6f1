// arm64 kernel virtual → physical, as makedumpfile arch/arm64.c and drgn do it: find
// swapper_pg_dir by __pa_symbol (vaddr - kimage_voffset), then walk the TTBR1 tables for
// every address (linear map, kimage, vmalloc), so both the pre-5.4 and the flipped
// 5.4+ VA layouts work. Granule from PAGESIZE (4K/16K/64K), VA bits from TCR_EL1_T1SZ
// (vabits_actual) or NUMBER(VA_BITS). Descriptors: arch/arm64/include/asm/pgtable-hwdef.h.
import type { DumpInfo } from '../types.js';
import { number, symbol, TableReader, TranslateError, type Translator } from './types.js';

const VALID = 1n;
const TABLE = 2n; // bit 1: table (levels 0-2) / page (level 3); clear at levels 1-2 = block
const OA_MASK = 0x0000fffffffff000n; // output address bits 12..47

export function makeArm64Translator(info: DumpInfo): Translator {
  const pageSize = BigInt(info.vmcoreinfo?.get('PAGESIZE') ?? info.phys.pageSize);
  const pageShift = BigInt(pageSize.toString(2).length - 1);
  const t1sz = number(info, 'TCR_EL1_T1SZ');
  const vaBits = t1sz !== undefined && t1sz > 0n ? 64n - t1sz : (number(info, 'VA_BITS') ?? 48n);
  const kimageVoffset = number(info, 'kimage_voffset');
  const pgdSym = symbol(info, 'swapper_pg_dir');
  const bitsPerLevel = pageShift - 3n;
  const levels = (vaBits - pageShift + bitsPerLevel - 1n) / bitsPerLevel;
  const tables = new TableReader(info.phys, Number(pageSize));
  const oaMask = OA_MASK & ~(pageSize - 1n);

  return {
    async toPhys(vaddr: bigint): Promise<bigint> {
      if (pgdSym === undefined || kimageVoffset === undefined) {
        throw new TranslateError(vaddr, 'VMCOREINFO has no SYMBOL(swapper_pg_dir) / NUMBER(kimage_voffset)');
      }
      let table = (pgdSym - kimageVoffset) & ((1n << 64n) - 1n);
      for (let level = 0n; level < levels; level++) {
        const shift = pageShift + bitsPerLevel * (levels - 1n - level);
        const width = level === 0n ? vaBits - shift : bitsPerLevel;
        const desc = await tables.entry(table, (vaddr >> shift) & ((1n << width) - 1n));
        if ((desc & VALID) === 0n) throw new TranslateError(vaddr, `invalid descriptor at level ${level}`);
        const last = level === levels - 1n;
        if (last || (desc & TABLE) === 0n) {
          if (last && (desc & TABLE) === 0n) throw new TranslateError(vaddr, 'reserved descriptor at last level');
          const size = 1n << shift;
          return ((desc & oaMask) & ~(size - 1n)) | (vaddr & (size - 1n));
        }
        table = desc & oaMask;
      }
      throw new TranslateError(vaddr, 'walk did not end');
    },
  };
}
