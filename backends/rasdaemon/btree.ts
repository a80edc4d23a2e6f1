// One rowid table of an SQLite file read in place, without SQLite: the bulk scan of a large
// rasdaemon database (a million rows through SQLite's WebAssembly build cost 5x its native
// scan; from the page bytes they cost less than it). Pages are read by position, runs of
// consecutive pages at once; the b-tree is walked from its root in rowid order, every
// page number, cell offset, length and serial type checked against the page and the file
// (file-format.ts). A damaged cell or page is a problem at its file offset, and the rest
// is still read; a page reached twice (a loop) is read once.
import { FormatError } from '../../src/util/errors.js';
import { CELL_COUNT_AT, INTERIOR_HEADER, LEAF_HEADER, PAGE1_HEADER, RIGHT_CHILD_AT, SERIAL_SIZE, TABLE_INTERIOR, TABLE_LEAF, localPayload } from './file-format.js';
import type { BtreeRow } from './record.js';
import type { SqliteFile } from './db-file.js';

/** Consecutive pages read with one call. */
const RUN_PAGES = 32;
/** SQLite's own cursor gives up deeper than 20 (btreeInt.h BTCURSOR_MAX_DEPTH). */
const MAX_DEPTH = 20;
/** A row's payload assembled from overflow pages, at most (larger rows are a problem). */
const MAX_PAYLOAD = 1 << 20;

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);

/** A walk of one table's b-tree, filling `row` for each cell and calling `visit` (false: stop). */
export class TableWalk {
  private readonly seen: Uint8Array;
  private readonly runs: Uint8Array[] = [];
  private scratch = new Uint8Array(0);
  private overflowPage: Uint8Array;
  private next = 0;
  private bad = false;
  private stop = false;

  private readBytes = 0;

  /** `slotOf[s]`: the column asked for that record slot s holds, or -1; `progress`: bytes read so far. */
  constructor(
    private readonly file: SqliteFile,
    private readonly row: BtreeRow,
    private readonly slotOf: Int16Array,
    private readonly problem: (offset: number, message: string) => void,
    private readonly progress?: (bytes: number) => void,
  ) {
    this.seen = new Uint8Array((file.pageCount >> 3) + 1);
    this.overflowPage = new Uint8Array(file.pageSize);
  }

  /** Walks from `root`; false when `visit` stopped it. */
  run(root: number, visit: () => boolean): boolean {
    this.walk(this.fresh([root], 0, 0), 0, visit);
    return !this.stop;
  }

  private pageOffset(n: number): number {
    return (n - 1) * this.file.pageSize;
  }

  /** Pages that exist and were not seen before (each marked seen). */
  private fresh(pages: number[], from: number, at: number): number[] {
    const out: number[] = [];
    for (const n of pages) {
      if (n < 1 || n > this.file.pageCount) this.problem(at, `page ${from}: child page ${n} is outside the file's ${this.file.pageCount} pages`);
      else if (this.seen[n >> 3]! & (1 << (n & 7))) this.problem(at, `page ${from}: child page ${n} was reached before (a loop in the b-tree): not read again`);
      else {
        this.seen[n >> 3]! |= 1 << (n & 7);
        out.push(n);
      }
    }
    return out;
  }

  private walk(pages: number[], depth: number, visit: () => boolean): void {
    if (depth >= MAX_DEPTH) {
      this.problem(this.pageOffset(pages[0] ?? 1), `b-tree deeper than ${MAX_DEPTH} levels: pages below not read`);
      return;
    }
    const size = this.file.pageSize;
    const buf = (this.runs[depth] ??= new Uint8Array(RUN_PAGES * size));
    for (let i = 0; i < pages.length && !this.stop;) {
      let j = i + 1;
      while (j < pages.length && j - i < RUN_PAGES && pages[j] === pages[i]! + (j - i)) j++;
      try {
        this.file.read(pages[i]!, j - i, buf);
        this.progress?.((this.readBytes += (j - i) * size));
      } catch (err) {
        this.problem(this.pageOffset(pages[i]!), `pages ${pages[i]}-${pages[j - 1]}: ${err instanceof FormatError ? err.detail : String(err)}`);
        i = j;
        continue;
      }
      for (let p = i; p < j && !this.stop; p++) this.page(pages[p]!, buf, (p - i) * size, depth, visit);
      i = j;
    }
  }

  private page(n: number, b: Uint8Array, base: number, depth: number, visit: () => boolean): void {
    const h = base + (n === 1 ? PAGE1_HEADER : 0), end = base + this.file.usable;
    const type = b[h]!, cells = u16(b, h + CELL_COUNT_AT);
    const header = type === TABLE_LEAF ? LEAF_HEADER : INTERIOR_HEADER;
    const at = this.pageOffset(n);
    if (type !== TABLE_LEAF && type !== TABLE_INTERIOR) return this.problem(at + h - base, `page ${n}: type 0x${type.toString(16)} is not a table b-tree page`);
    if (h + header + 2 * cells > end) return this.problem(at + h - base + CELL_COUNT_AT, `page ${n}: ${cells} cells do not fit the page`);
    const cellMin = h + header + 2 * cells;
    if (type === TABLE_INTERIOR) {
      const kids: number[] = [];
      for (let i = 0; i < cells; i++) {
        const c = base + u16(b, h + header + 2 * i);
        if (c < cellMin || c + 4 > end) this.problem(at + h - base + header + 2 * i, `page ${n}: cell ${i} at 0x${(c - base).toString(16)} is outside the page`);
        else kids.push(u32(b, c));
      }
      kids.push(u32(b, h + RIGHT_CHILD_AT));
      return this.walk(this.fresh(kids, n, at), depth + 1, visit);
    }
    for (let i = 0; i < cells && !this.stop; i++) {
      const c = base + u16(b, h + header + 2 * i);
      const why = c < cellMin || c >= end ? 'is outside the page' : this.cell(b, c, end);
      if (why) this.problem(at + c - base, `page ${n}: cell ${i}: ${why}`);
      else if (!visit()) this.stop = true;
    }
  }

  /** A varint (§1.6) at o, all of it before `limit`; sets this.next, or this.bad. */
  private varint(b: Uint8Array, o: number, limit: number): number {
    let v = 0;
    for (let i = 0; i < 9; i++) {
      if (o + i >= limit) { this.bad = true; return 0; }
      const c = b[o + i]!;
      if (i === 8) { this.next = o + 9; return v * 256 + c; }
      v = v * 128 + (c & 0x7f);
      if (c < 0x80) { this.next = o + i + 1; return v; }
    }
    return v;
  }

  /** Fills the row from the leaf cell at c; a reason when the cell is damaged. */
  private cell(b: Uint8Array, c: number, end: number): string | undefined {
    this.bad = false;
    const p = this.varint(b, c, end);
    const rowid = this.varint(b, this.next, end);
    if (this.bad) return 'its header runs past the page';
    const start = this.next, local = localPayload(p, this.file.usable);
    if (start + local > end || (local < p && start + local + 4 > end)) return `its ${local}-byte payload runs past the page`;
    let buf = b, from = start;
    if (local < p) {
      const why = this.assemble(b, start, local, p, u32(b, start + local));
      if (why) return why;
      buf = this.scratch;
      from = 0;
    }
    this.row.rowid = rowid;
    return this.fields(buf, from, p);
  }

  /** The payload of p bytes, `local` of them at b[start..], the rest from overflow pages. */
  private assemble(b: Uint8Array, start: number, local: number, p: number, first: number): string | undefined {
    if (p > MAX_PAYLOAD) return `its payload of ${p} bytes is over crashlog's limit of ${MAX_PAYLOAD}`;
    if (this.scratch.length < p) this.scratch = new Uint8Array(Math.max(p, 2 * this.scratch.length));
    this.scratch.set(b.subarray(start, start + local), 0);
    const room = this.file.usable - 4;
    let have = local;
    for (let next = first; have < p; ) {
      if (next < 1 || next > this.file.pageCount) return `overflow page ${next} is outside the file`;
      try {
        this.file.read(next, 1, this.overflowPage);
      } catch (err) {
        return err instanceof FormatError ? err.detail : String(err);
      }
      const take = Math.min(room, p - have);
      this.scratch.set(this.overflowPage.subarray(4, 4 + take), have);
      have += take;
      next = u32(this.overflowPage, 0);
    }
    return undefined;
  }

  /** §2.1: the record header's serial types, up to the last slot asked for. */
  private fields(b: Uint8Array, start: number, len: number): string | undefined {
    const row = this.row, slotOf = this.slotOf, end = start + len;
    row.buf = b;
    row.st.fill(-1);
    const hs = this.varint(b, start, end);
    if (this.bad || hs < 1 || start + hs > end) return `record header of ${hs} bytes runs past its ${len}-byte payload`;
    let o = this.next, body = start + hs;
    const hend = start + hs;
    const st = row.st, off = row.off;
    for (let s = 0; s < slotOf.length && o < hend; s++) {
      // Serial types below 128 (numbers, texts of up to 57 bytes) are one byte.
      let t = b[o]!;
      if (t < 0x80) o++;
      else {
        t = this.varint(b, o, hend);
        if (this.bad) return 'record header is cut';
        o = this.next;
      }
      const size = t >= 12 ? Math.floor((t - 12) / 2) : SERIAL_SIZE[t]!;
      if (size < 0) return `serial type ${t} is reserved`;
      const k = slotOf[s]!;
      if (k >= 0) {
        if (body + size > end) return `column ${s} runs past its ${len}-byte payload`;
        st[k] = t;
        off[k] = body;
      }
      body += size;
    }
    return undefined;
  }
}
