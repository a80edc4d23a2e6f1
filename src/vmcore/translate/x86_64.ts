// x86_64 kernel virtual → physical, as makedumpfile arch/x86_64.c and drgn do it:
// the kernel text map (__START_KERNEL_map + phys_base) directly, everything else (direct
// map, vmalloc, dynamically allocated log_buf) by walking init_top_pgt, 4- or 5-level
// (NUMBER(pgtable_l5_enabled)), with 1G and 2M pages. Layout: arch/x86/include/asm/pgtable_types.h.
import type { DumpInfo } from '../types.js';
import { number, symbol, TableReader, TranslateError, type Translator } from './types.js';

export const START_KERNEL_MAP = 0xffffffff80000000n;
const KERNEL_IMAGE_SIZE = 1n << 30n; // at most 1 GiB (CONFIG_RANDOMIZE_BASE)
const PRESENT = 1n;
const PSE = 1n << 7n;
const ADDR_MASK = 0x000ffffffffff000n; // bits 12..51 (__PHYSICAL_MASK_SHIFT 52)

export function makeX86_64Translator(info: DumpInfo): Translator {
  const physBase = number(info, 'phys_base') ?? 0n;
  const fiveLevel = number(info, 'pgtable_l5_enabled') === 1n;
  const smeMask = number(info, 'sme_mask') ?? 0n;
  const topSym = symbol(info, 'init_top_pgt') ?? symbol(info, 'init_level4_pgt') ?? symbol(info, 'swapper_pg_dir');
  const tables = new TableReader(info.phys, 4096);
  const mask = ADDR_MASK & ~smeMask;
  const textToPhys = (v: bigint) => (v - START_KERNEL_MAP + physBase) & ((1n << 64n) - 1n);
  const isText = (v: bigint) => v >= START_KERNEL_MAP && v < START_KERNEL_MAP + KERNEL_IMAGE_SIZE;

  return {
    async toPhys(vaddr: bigint): Promise<bigint> {
      if (isText(vaddr)) return textToPhys(vaddr);
      if (topSym === undefined) throw new TranslateError(vaddr, 'VMCOREINFO has no SYMBOL(init_top_pgt)');
      let table = textToPhys(topSym);
      // level shifts: PML5 48, PML4 39, PDPT 30, PD 21, PT 12
      const shifts = fiveLevel ? [48n, 39n, 30n, 21n, 12n] : [39n, 30n, 21n, 12n];
      for (const shift of shifts) {
        const pte = await tables.entry(table, (vaddr >> shift) & 511n);
        if ((pte & PRESENT) === 0n) throw new TranslateError(vaddr, `not present at level shift ${shift}`);
        if (shift === 12n || ((shift === 30n || shift === 21n) && (pte & PSE) !== 0n)) {
          const size = 1n << shift;
          return ((pte & mask) & ~(size - 1n)) | (vaddr & (size - 1n));
        }
        table = pte & mask;
      }
      throw new TranslateError(vaddr, 'walk did not end');
    },
  };
}
