// The translator contract: kernel virtual → physical, from VMCOREINFO and the dump's own
// page tables (no debuginfo). One file per arch; index.ts picks by DumpInfo.arch.
import type { DumpInfo, PhysMemory } from '../types.js';

export interface Translator {
  toPhys(vaddr: bigint): Promise<bigint>;
}

/** An address the page tables do not map, or VMCOREINFO lacks what the walk needs. */
export class TranslateError extends Error {
  override name = 'TranslateError';
  constructor(
    readonly vaddr: bigint,
    detail: string,
  ) {
    super(`cannot translate 0x${vaddr.toString(16)}: ${detail}`);
  }
}

const U64 = (1n << 64n) - 1n;

/** VMCOREINFO values: SYMBOL/hex, NUMBER/decimal or 0x (may be negative), as u64. */
export function vmcoreinfoValue(info: DumpInfo, key: string, hex: boolean): bigint | undefined {
  const raw = info.vmcoreinfo?.get(key)?.trim();
  if (raw === undefined || raw === '') return undefined;
  try {
    const neg = raw.startsWith('-');
    const body = neg ? raw.slice(1) : raw;
    const v = hex && !body.startsWith('0x') ? BigInt(`0x${body}`) : BigInt(body);
    return (neg ? -v : v) & U64;
  } catch {
    return undefined;
  }
}
export const symbol = (info: DumpInfo, name: string) => vmcoreinfoValue(info, `SYMBOL(${name})`, true);
export const number = (info: DumpInfo, name: string) => vmcoreinfoValue(info, `NUMBER(${name})`, false);

/** Reads 64-bit little-endian page-table entries, keeping the last few table pages. */
export class TableReader {
  private readonly cache = new Map<bigint, DataView>();
  constructor(
    private readonly phys: PhysMemory,
    private readonly tableSize: number,
    private readonly maxCached = 32,
  ) {}

  async entry(table: bigint, index: bigint): Promise<bigint> {
    let view = this.cache.get(table);
    if (!view) {
      const bytes = await this.phys.read(table, this.tableSize);
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (this.cache.size >= this.maxCached) this.cache.delete(this.cache.keys().next().value as bigint);
      this.cache.set(table, view);
    }
    return view.getBigUint64(Number(index) * 8, true);
  }
}
