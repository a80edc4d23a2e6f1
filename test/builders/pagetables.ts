// Tiny in-memory machines for the translators and printk readers: a sparse PhysMemory
// (pages can be marked unreadable) and page-table writers in the kernel's formats
// (x86_64: arch/x86/include/asm/pgtable_types.h; arm64: asm/pgtable-hwdef.h).
import { PageUnavailable, type DumpInfo, type PhysMemory } from '../../src/vmcore/types.js';

export class MapMemory implements PhysMemory {
  readonly pages = new Map<bigint, Uint8Array>();
  readonly unreadable = new Set<bigint>();
  readonly avoided = new Set<bigint>();
  bytesRead = 0;
  pagesRead = 0;
  readonly touched = new Set<bigint>();
  private next: bigint;

  constructor(
    readonly pageSize = 4096,
    /** Where alloc() hands out page-table pages. */
    allocBase = 0x100000n,
  ) {
    this.next = allocBase;
  }

  private page(pfn: bigint): Uint8Array {
    let p = this.pages.get(pfn);
    if (!p) this.pages.set(pfn, (p = new Uint8Array(this.pageSize)));
    return p;
  }

  has(paddr: bigint): boolean {
    const pfn = paddr / BigInt(this.pageSize);
    return this.pages.has(pfn) && !this.unreadable.has(pfn) && !this.avoided.has(pfn);
  }

  avoid(paddr: bigint): boolean {
    const pfn = paddr / BigInt(this.pageSize);
    if (this.avoided.has(pfn)) return false;
    this.avoided.add(pfn);
    return true;
  }

  async read(paddr: bigint, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let done = 0; done < length; ) {
      const a = paddr + BigInt(done);
      const pfn = a / BigInt(this.pageSize);
      const at = Number(a % BigInt(this.pageSize));
      const n = Math.min(length - done, this.pageSize - at);
      if (!this.pages.has(pfn)) throw new PageUnavailable(a, 'excluded');
      if (this.unreadable.has(pfn)) throw new PageUnavailable(a, 'io');
      if (this.avoided.has(pfn)) throw new PageUnavailable(a, 'avoided');
      out.set(this.pages.get(pfn)!.subarray(at, at + n), done);
      this.touched.add(pfn);
      this.bytesRead += n;
      done += n;
    }
    this.pagesRead = this.touched.size;
    return out;
  }

  write(paddr: bigint, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const a = paddr + BigInt(done);
      const at = Number(a % BigInt(this.pageSize));
      const n = Math.min(bytes.length - done, this.pageSize - at);
      this.page(a / BigInt(this.pageSize)).set(bytes.subarray(done, done + n), at);
      done += n;
    }
  }

  u64(paddr: bigint, v: bigint): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.write(paddr, b);
  }

  /** A zeroed page (or `size` bytes, page aligned) for tables. */
  alloc(size = this.pageSize): bigint {
    const a = this.next;
    this.next += BigInt(Math.ceil(size / this.pageSize) * this.pageSize);
    for (let o = 0; o < size; o += this.pageSize) this.page((a + BigInt(o)) / BigInt(this.pageSize));
    return a;
  }

  /** Identity-free helper: write u64 entry `index` of the table at `table`. */
  entry(table: bigint, index: bigint, v: bigint): void {
    this.u64(table + index * 8n, v);
  }

  async readEntry(table: bigint, index: bigint): Promise<bigint> {
    if (!this.pages.has(table / BigInt(this.pageSize))) return 0n;
    const b = await this.read(table + index * 8n, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
}

/** x86_64: map [vaddr, vaddr+size) → paddr with a 4K, 2M or 1G page; 4 or 5 levels. */
export async function mapX86(mem: MapMemory, top: bigint, vaddr: bigint, paddr: bigint, size: bigint, levels: 4 | 5): Promise<void> {
  const leafShift = size === 1n << 30n ? 30n : size === 1n << 21n ? 21n : 12n;
  const shifts = levels === 5 ? [48n, 39n, 30n, 21n, 12n] : [39n, 30n, 21n, 12n];
  let table = top;
  for (const shift of shifts) {
    const idx = (vaddr >> shift) & 511n;
    if (shift === leafShift) {
      mem.entry(table, idx, paddr | 0x63n | (shift === 12n ? 0n : 0x80n)); // present|rw|accessed|dirty, PSE for large
      return;
    }
    let e = await mem.readEntry(table, idx);
    if ((e & 1n) === 0n) {
      e = mem.alloc() | 0x63n;
      mem.entry(table, idx, e);
    }
    table = e & 0x000ffffffffff000n;
  }
}

/** arm64: map one page or a block; granule from mem.pageSize, levels from vaBits. */
export async function mapArm64(mem: MapMemory, pgd: bigint, vaddr: bigint, paddr: bigint, size: bigint, vaBits: number): Promise<void> {
  const pageShift = Math.log2(mem.pageSize);
  const bits = pageShift - 3;
  const levels = Math.ceil((vaBits - pageShift) / bits);
  let table = pgd;
  for (let l = 0; l < levels; l++) {
    const shift = BigInt(pageShift + bits * (levels - 1 - l));
    const width = l === 0 ? BigInt(vaBits) - shift : BigInt(bits);
    const idx = (vaddr >> shift) & ((1n << width) - 1n);
    if (1n << shift === size) {
      mem.entry(table, idx, paddr | 0x401n | (l === levels - 1 ? 2n : 0n)); // valid, AF; page vs block
      return;
    }
    let e = await mem.readEntry(table, idx);
    if ((e & 1n) === 0n) {
      e = mem.alloc() | 3n;
      mem.entry(table, idx, e);
    }
    table = e & 0x0000fffffffff000n & ~BigInt(mem.pageSize - 1);
  }
  throw new Error(`no arm64 level maps ${size} bytes`);
}

export function dumpInfo(arch: string, phys: PhysMemory, vmcoreinfo: Record<string, string>): DumpInfo {
  return { path: 'synthetic', format: 'elf64', arch, vmcoreinfo: new Map(Object.entries(vmcoreinfo)), cpus: [], phys, problems: [] };
}
