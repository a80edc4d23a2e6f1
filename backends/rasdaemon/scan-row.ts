// One row of a table scan, as the grouping reads it: a column's SQLite storage class, an
// INTEGER as two 32-bit halves, a TEXT as a small number (equal texts, equal numbers), and
// only when a record is made, the value as node-sqlite3-wasm gives it (an integer a number
// when safe, else a bigint). Two sources fill it: the b-tree reader (record.ts, straight
// from the page bytes) and SQLite itself (ValuesRow, the fallback).

/** SQLite's storage classes (https://www.sqlite.org/datatype3.html §2). */
export const NULL = 0, INTEGER = 1, REAL = 2, TEXT = 3, BLOB = 4;

export interface ScanRow {
  /** The storage class of column k (of the columns the scan was asked for). */
  kind(k: number): number;
  /** An INTEGER column's high 32 bits (signed) and low 32 bits (as an int32 bit pattern). */
  hi(k: number): number;
  lo(k: number): number;
  /** A TEXT column as a number standing for its text, or -1 past the limit of distinct texts. */
  textId(k: number): number;
  /** The text a textId stands for. */
  textOf(id: number): string;
  /** A TEXT column of the form "2026-11-22 19:32:17 +0000" as Unix seconds, else NaN. */
  stampSeconds(k: number): number;
  /** The value of column k: null, number, bigint, string or Uint8Array. */
  value(k: number): unknown;
  /**
   * Integer columns as key words from out[at]: the first `wide` of `ks` as two words each,
   * the others as one (an integer that needs more: -1). A NULL is zero words and a bit in
   * the mask returned; a column of another class returns -1.
   */
  keyInts(ks: Int32Array, wide: number, out: Int32Array, at: number): number;
}

/** keyInts() for a row that has kind(), hi() and lo(). */
export function keyIntsOf(row: ScanRow, ks: Int32Array, wide: number, out: Int32Array, at: number): number {
  let nulls = 0;
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]!, kind = row.kind(k);
    if (kind === NULL) {
      nulls |= 1 << i;
      out[at++] = 0;
      if (i < wide) out[at++] = 0;
      continue;
    }
    if (kind !== INTEGER) return -1;
    const hi = row.hi(k), lo = row.lo(k);
    if (i < wide) out[at++] = hi;
    else if (hi !== lo >> 31) return -1;
    out[at++] = lo;
  }
  return nulls;
}

/** Distinct texts one scan tells apart; past it a row is grouped without its texts. */
export const MAX_TEXTS = 65_536;

const STAMP_LEN = 25;
const digits = (c: ArrayLike<number>, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = c[i]! - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};
const at = (c: ArrayLike<number>, i: number, ch: string): boolean => c[i] === ch.charCodeAt(0);

/** rasdaemon's "%Y-%m-%d %H:%M:%S %z" (time.ts parses the same text; this one reads bytes,
 * exactly that form, fields in range and years from 1970: anything else is NaN and the row is
 * read alone, by parseRasTimestamp). Date.UTC rolls a day past the month's end over as
 * Date's own ISO parsing does. */
export function parseStamp(c: ArrayLike<number>, start: number, len: number): number {
  if (len !== STAMP_LEN) return NaN;
  const s = start;
  if (!at(c, s + 4, '-') || !at(c, s + 7, '-') || !at(c, s + 10, ' ') || !at(c, s + 13, ':') || !at(c, s + 16, ':') || !at(c, s + 19, ' ')) return NaN;
  const sign = at(c, s + 20, '+') ? 1 : at(c, s + 20, '-') ? -1 : 0;
  const y = digits(c, s, 4), mo = digits(c, s + 5, 2), d = digits(c, s + 8, 2);
  const h = digits(c, s + 11, 2), mi = digits(c, s + 14, 2), sec = digits(c, s + 17, 2);
  const zh = digits(c, s + 21, 2), zm = digits(c, s + 23, 2);
  if (!sign || !(y >= 1970) || !(mo >= 1 && mo <= 12) || !(d >= 1 && d <= 31) || !(h <= 23) || !(mi <= 59) || !(sec <= 59) || !(zh <= 23) || !(zm <= 59)) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 - sign * (zh * 3600 + zm * 60);
}

/** Texts to numbers, for a source that hands out strings. */
export class StringInterner {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.texts.length >= MAX_TEXTS) return -1;
      id = this.texts.length;
      this.texts.push(s);
      this.ids.set(s, id);
    }
    return id;
  }
  text(id: number): string {
    return this.texts[id] ?? '';
  }
}

const TWO32 = 2 ** 32;
const halves = (v: unknown): [number, number] => {
  if (typeof v === 'bigint') return [Number(BigInt.asIntN(32, v >> 32n)), Number(BigInt.asIntN(32, v))];
  const n = v as number;
  return [Math.floor(n / TWO32) | 0, n % TWO32 | 0];
};

/** A row SQLite returned (values in the scan's column order): the fallback source. A safe
 * integral number counts as INTEGER (SQLite hands a REAL 3.0 out as 3 too). */
export class ValuesRow implements ScanRow {
  values: unknown[] = [];
  private readonly texts = new StringInterner();
  private readonly codes = new Uint16Array(STAMP_LEN);

  kind(k: number): number {
    const v = this.values[k];
    if (v === null || v === undefined) return NULL;
    if (typeof v === 'bigint') return INTEGER;
    if (typeof v === 'number') return Number.isSafeInteger(v) ? INTEGER : REAL;
    return typeof v === 'string' ? TEXT : BLOB;
  }
  hi(k: number): number {
    return halves(this.values[k])[0];
  }
  lo(k: number): number {
    return halves(this.values[k])[1];
  }
  textId(k: number): number {
    return this.texts.id(this.values[k] as string);
  }
  textOf(id: number): string {
    return this.texts.text(id);
  }
  stampSeconds(k: number): number {
    const s = this.values[k];
    if (typeof s !== 'string' || s.length !== STAMP_LEN) return NaN;
    for (let i = 0; i < STAMP_LEN; i++) this.codes[i] = s.charCodeAt(i);
    return parseStamp(this.codes, 0, STAMP_LEN);
  }
  value(k: number): unknown {
    return this.values[k];
  }
  keyInts(ks: Int32Array, wide: number, out: Int32Array, at: number): number {
    return keyIntsOf(this, ks, wide, out, at);
  }
}
