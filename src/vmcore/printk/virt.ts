// Reading kernel virtual memory page by page through a Translator. A page that cannot
// be translated or read is zero-filled and recorded as a gap, so the rest still reads.
import { PageUnavailable, type DumpInfo } from '../types.js';
import { makeTranslator, TranslateError, type Translator } from '../translate/index.js';

export interface Gap {
  vaddr: bigint;
  paddr?: bigint;
  length: number;
  reason: string;
}

export interface VirtBytes {
  bytes: Uint8Array;
  gaps: Gap[];
}

export const MAX_REGION = 64 << 20; // no log structure read here is larger (log_buf_len max 2^25)

export class VirtReader {
  readonly translator: Translator;
  constructor(readonly dump: DumpInfo) {
    this.translator = makeTranslator(dump);
  }

  /** `length` bytes at `vaddr`; unreadable pages become zeros and a gap. */
  async region(vaddr: bigint, length: number): Promise<VirtBytes> {
    if (length < 0 || length > MAX_REGION) throw new RangeError(`region of ${length} bytes at 0x${vaddr.toString(16)} exceeds ${MAX_REGION}`);
    const bytes = new Uint8Array(length);
    const gaps: Gap[] = [];
    const pageSize = this.dump.phys.pageSize;
    let done = 0;
    while (done < length) {
      const v = vaddr + BigInt(done);
      const n = Math.min(length - done, pageSize - Number(v % BigInt(pageSize)));
      let paddr: bigint | undefined;
      try {
        paddr = await this.translator.toPhys(v);
        bytes.set(await this.dump.phys.read(paddr, n), done);
      } catch (e) {
        if (!(e instanceof PageUnavailable || e instanceof TranslateError)) throw e;
        const reason = e instanceof PageUnavailable ? e.reason : e.message;
        const prev = gaps[gaps.length - 1];
        if (prev && prev.vaddr + BigInt(prev.length) === v && prev.reason === reason) prev.length += n;
        else gaps.push({ vaddr: v, paddr, length: n, reason });
      }
      done += n;
    }
    return { bytes, gaps };
  }

  async u64(vaddr: bigint): Promise<bigint> {
    const r = await this.strict(vaddr, 8);
    return new DataView(r.buffer, r.byteOffset, 8).getBigUint64(0, true);
  }
  async u32(vaddr: bigint): Promise<number> {
    const r = await this.strict(vaddr, 4);
    return new DataView(r.buffer, r.byteOffset, 4).getUint32(0, true);
  }

  /** Bytes that must all be readable (pointers, ring headers). */
  async strict(vaddr: bigint, length: number): Promise<Uint8Array> {
    const r = await this.region(vaddr, length);
    if (r.gaps.length) throw new PrintkError(`cannot read ${length} bytes at 0x${vaddr.toString(16)}: ${r.gaps[0]!.reason}`);
    return r.bytes;
  }
}

export class PrintkError extends Error {
  override name = 'PrintkError';
}

export function overlaps(gaps: Gap[], base: bigint, start: number, length: number): Gap | undefined {
  const a = base + BigInt(start);
  const b = a + BigInt(length);
  return gaps.find((g) => g.vaddr < b && g.vaddr + BigInt(g.length) > a);
}

/**
 * A large region (the text data ring, log_buf) read page by page as records need it, so
 * a page put off limits while reading (printk/mce.ts) is not read after. Unreadable parts
 * are reported once each through takeGaps().
 */
export class LazyRegion {
  private readonly chunks = new Map<number, VirtBytes>();
  private pending: Gap[] = [];
  private readonly chunk: number;
  constructor(private readonly mem: VirtReader, readonly base: bigint, readonly length: number) {
    if (length < 0 || length > MAX_REGION) throw new RangeError(`region of ${length} bytes at 0x${base.toString(16)} exceeds ${MAX_REGION}`);
    this.chunk = mem.dump.phys.pageSize;
  }

  /** `len` bytes at offset `start` (clipped to the region); `lost` if part was unreadable. */
  async get(start: number, len: number): Promise<{ bytes: Uint8Array; lost: boolean }> {
    const end = Math.min(this.length, start + Math.max(0, len));
    const out = new Uint8Array(Math.max(0, end - start));
    let lost = false;
    for (let c = Math.floor(start / this.chunk); c * this.chunk < end; c++) {
      const at = c * this.chunk;
      let r = this.chunks.get(c);
      if (!r) {
        r = await this.mem.region(this.base + BigInt(at), Math.min(this.chunk, this.length - at));
        this.chunks.set(c, r);
        for (const g of r.gaps) {
          const prev = this.pending.at(-1);
          if (prev && prev.vaddr + BigInt(prev.length) === g.vaddr && prev.reason === g.reason) prev.length += g.length;
          else this.pending.push({ ...g });
        }
      }
      const from = Math.max(start, at);
      const to = Math.min(end, at + r.bytes.length);
      out.set(r.bytes.subarray(from - at, to - at), from - start);
      if (overlaps(r.gaps, this.base, from, to - from)) lost = true;
    }
    return { bytes: out, lost };
  }

  /** Gaps found since the last call. */
  takeGaps(): Gap[] {
    const g = this.pending;
    this.pending = [];
    return g;
  }
}

const BATCH = 256;

/** Elements of a kernel array read BATCH at a time (descs, infos), gaps per element. */
export class ArrayReader {
  private chunkIndex = -1n;
  private chunk: VirtBytes = { bytes: new Uint8Array(0), gaps: [] };
  constructor(
    private readonly mem: VirtReader,
    private readonly base: bigint,
    private readonly elemSize: number,
    private readonly count: bigint,
  ) {}

  async get(index: bigint): Promise<{ bytes: Uint8Array; gap?: Gap; vaddr: bigint }> {
    const b = BigInt(BATCH);
    const ci = index / b;
    if (ci !== this.chunkIndex) {
      const first = ci * b;
      const n = Number((this.count - first < b ? this.count - first : b)) * this.elemSize;
      this.chunk = await this.mem.region(this.base + first * BigInt(this.elemSize), n);
      this.chunkIndex = ci;
    }
    const at = Number(index % b) * this.elemSize;
    const vaddr = this.base + index * BigInt(this.elemSize);
    return { bytes: this.chunk.bytes.subarray(at, at + this.elemSize), gap: overlaps(this.chunk.gaps, vaddr, 0, this.elemSize), vaddr };
  }
}
