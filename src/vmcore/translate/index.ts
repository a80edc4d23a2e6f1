// makeTranslator(info): the arch's page-table walker, plus the dump's own PT_LOAD virtual
// addresses (kexec /proc/vmcore) when they cover the address. A new arch is one file
// and one line in ARCHES.
import type { DumpInfo } from '../types.js';
import { makeArm64Translator } from './arm64.js';
import { TranslateError, type Translator } from './types.js';
import { makeX86_64Translator } from './x86_64.js';

export { TranslateError, type Translator } from './types.js';

const ARCHES: Record<string, (info: DumpInfo) => Translator> = {
  x86_64: makeX86_64Translator,
  arm64: makeArm64Translator,
  aarch64: makeArm64Translator,
};

const CACHE_PAGES = 256;

export function makeTranslator(info: DumpInfo): Translator {
  const make = ARCHES[info.arch];
  const arch: Translator = make
    ? make(info)
    : { toPhys: async (v) => Promise.reject(new TranslateError(v, `no translator for arch ${info.arch}`)) };
  const pageSize = BigInt(info.phys.pageSize);
  const cache = new Map<bigint, bigint>(); // virtual page → physical page
  return {
    async toPhys(vaddr: bigint): Promise<bigint> {
      const page = vaddr - (vaddr % pageSize);
      let phys = cache.get(page);
      if (phys === undefined) {
        phys = info.virt?.toPhys(page) ?? (await arch.toPhys(page));
        if (cache.size >= CACHE_PAGES) cache.delete(cache.keys().next().value as bigint);
        cache.set(page, phys);
      }
      return phys + (vaddr - page);
    },
  };
}
