// PhysMemory over a container that can fetch one page by frame number. Crossing reads are
// split by page; --avoid'ed pages are refused before any read; an I/O error on a page
// (EIO on a poisoned page) becomes PageUnavailable 'io' and a problem with the offset.
import type { Problem } from '../model/index.js';
import { PageUnavailable, type PhysMemory } from './types.js';
import type { ByteSource } from './source.js';

export interface PageStore {
  /** Whether the page is in the dump, without reading its data. */
  has(pfn: bigint): boolean;
  /** The page's bytes (pageSize long), or throws PageUnavailable; `fileOffset` for problems. */
  page(pfn: bigint): Promise<Uint8Array>;
}

const MAX_READ = 64 << 20; // one read() call never asks for more than this
const CACHE_PAGES = 64;

export class PagedMemory implements PhysMemory {
  pagesRead = 0;
  private readonly cache = new Map<bigint, Uint8Array>();
  private readonly offLimits: Set<bigint>; // pfns never read

  constructor(
    readonly pageSize: number,
    private readonly store: PageStore,
    private readonly src: ByteSource,
    private readonly problems: Problem[],
    avoid: bigint[] = [],
  ) {
    this.offLimits = new Set(avoid.map((a) => a / BigInt(pageSize)));
  }

  get bytesRead(): number {
    return this.src.bytesRead;
  }

  avoid(paddr: bigint): boolean {
    const pfn = paddr / BigInt(this.pageSize);
    if (this.offLimits.has(pfn)) return false;
    this.offLimits.add(pfn);
    this.cache.delete(pfn);
    return true;
  }

  has(paddr: bigint): boolean {
    const pfn = paddr / BigInt(this.pageSize);
    return !this.offLimits.has(pfn) && this.store.has(pfn);
  }

  async read(paddr: bigint, length: number): Promise<Uint8Array> {
    if (paddr < 0n || length < 0 || length > MAX_READ) throw new PageUnavailable(paddr, 'excluded', `bad read of ${length} bytes`);
    const out = new Uint8Array(length);
    const ps = BigInt(this.pageSize);
    let done = 0;
    while (done < length) {
      const a = paddr + BigInt(done);
      const pfn = a / ps;
      const inPage = Number(a % ps);
      const n = Math.min(this.pageSize - inPage, length - done);
      const page = await this.page(pfn, a);
      out.set(page.subarray(inPage, inPage + n), done);
      done += n;
    }
    return out;
  }

  private async page(pfn: bigint, paddr: bigint): Promise<Uint8Array> {
    if (this.offLimits.has(pfn)) throw new PageUnavailable(paddr, 'avoided');
    const hit = this.cache.get(pfn);
    if (hit) return hit;
    let p: Uint8Array;
    try {
      p = await this.store.page(pfn);
    } catch (err) {
      if (err instanceof PageUnavailable) throw err;
      const e = err as NodeJS.ErrnoException;
      this.problems.push({ path: this.src.path, message: `page 0x${(pfn * BigInt(this.pageSize)).toString(16)}: ${e.code ?? e.message}; skipped` });
      throw new PageUnavailable(paddr, 'io', e.code ?? e.message);
    }
    this.pagesRead++;
    if (this.cache.size >= CACHE_PAGES) this.cache.delete(this.cache.keys().next().value as bigint);
    this.cache.set(pfn, p);
    return p;
  }
}
