// Reed-Solomon decoding as lib/reed_solomon/decode_rs.c does it (Phil Karn's decoder), for
// the parameters fs/pstore/ram_core.c uses: init_rs(symsize 8, poly 0x11d, fcr 0, prim 1,
// nroots = ecc_size); blocks shorter than nn - nroots are shortened codes (leading zeros).
import { CodewordCheck } from './rs-check.js';

export class ReedSolomon {
  readonly nn: number;
  private readonly alphaTo: Uint16Array;
  private readonly indexOf: Uint16Array;

  constructor(
    readonly symSize: number,
    poly: number,
    readonly nroots: number,
    readonly fcr = 0,
    readonly prim = 1,
  ) {
    this.nn = (1 << symSize) - 1;
    this.alphaTo = new Uint16Array(this.nn + 1);
    this.indexOf = new Uint16Array(this.nn + 1);
    this.indexOf[0] = this.nn;
    this.alphaTo[this.nn] = 0;
    let sr = 1;
    for (let i = 0; i < this.nn; i++) {
      this.indexOf[sr] = i;
      this.alphaTo[i] = sr;
      sr <<= 1;
      if (sr & (1 << symSize)) sr ^= poly;
      sr &= this.nn;
    }
    if (prim !== 1) throw new Error('only prim 1 is supported');
  }

  private genpoly?: Uint16Array;
  private check?: CodewordCheck;
  /** Per root r, x -> x * alpha^r for every symbol x: one lookup per Horner step. */
  private rootMul?: Uint16Array[];

  /**
   * The syndromes of data + par (polynomial form), evaluated by Horner's rule one root at a
   * time: the hot loop of reading an ECC region, so it is table lookups only.
   */
  private syndromes(data: Uint8Array, par: Uint8Array): number[] {
    const { nn, nroots, fcr, prim, alphaTo: A, indexOf: I } = this;
    const mul = (this.rootMul ??= Array.from({ length: nroots }, (_, i) =>
      Uint16Array.from({ length: nn + 1 }, (_, x) => (x === 0 ? 0 : A[this.mod(I[x]! + (fcr + i) * prim)]!)),
    ));
    const s = new Array<number>(nroots);
    let i = 0;
    // four roots per pass: independent chains the CPU runs side by side
    for (; i + 4 <= nroots; i += 4) {
      const m0 = mul[i]!, m1 = mul[i + 1]!, m2 = mul[i + 2]!, m3 = mul[i + 3]!;
      let x0 = 0, x1 = 0, x2 = 0, x3 = 0;
      for (let j = 0; j < data.length; j++) {
        const v = data[j]!;
        x0 = v ^ m0[x0]!;
        x1 = v ^ m1[x1]!;
        x2 = v ^ m2[x2]!;
        x3 = v ^ m3[x3]!;
      }
      for (let j = 0; j < nroots; j++) {
        const v = par[j]!;
        x0 = v ^ m0[x0]!;
        x1 = v ^ m1[x1]!;
        x2 = v ^ m2[x2]!;
        x3 = v ^ m3[x3]!;
      }
      s[i] = x0;
      s[i + 1] = x1;
      s[i + 2] = x2;
      s[i + 3] = x3;
    }
    for (; i < nroots; i++) {
      const m = mul[i]!;
      let x = 0;
      for (let j = 0; j < data.length; j++) x = data[j]! ^ m[x]!;
      for (let j = 0; j < nroots; j++) x = par[j]! ^ m[x]!;
      s[i] = x;
    }
    return s;
  }

  /** encode_rs8(): the parity of `data` (lib/reed_solomon/encode_rs.c), for building images. */
  encode(data: Uint8Array): Uint8Array {
    const { nn, nroots, alphaTo: A, indexOf: I } = this;
    const g = (this.genpoly ??= this.makeGenpoly());
    const par = new Uint8Array(nroots);
    for (let i = 0; i < data.length; i++) {
      const fb = I[data[i]! ^ par[0]!]!;
      if (fb !== nn) for (let j = 1; j < nroots; j++) par[j] = par[j]! ^ A[this.mod(fb + g[nroots - j]!)]!;
      par.copyWithin(0, 1);
      par[nroots - 1] = fb !== nn ? A[this.mod(fb + g[0]!)]! : 0;
    }
    return par;
  }

  /**
   * Whether buf[from, from + length) with its parity at buf[parAt, parAt + nroots) is a
   * codeword (every syndrome 0): almost every block of a region is, and CodewordCheck says
   * so at a quarter of the syndromes' cost, when nroots is a multiple of 4 (else the
   * syndromes decide). decode() is then needed only for the blocks that are not.
   */
  isCodewordAt(buf: Uint8Array, from: number, length: number, parAt: number): boolean {
    const { nn, nroots, alphaTo: A, indexOf: I } = this;
    // what decode() refuses (longer than the code, parity cut off) is no codeword either
    if (length > nn - nroots || from + length > buf.length || parAt + nroots > buf.length) return false;
    if (nroots % 4 !== 0 || this.symSize !== 8) return this.syndromes(buf.subarray(from, from + length), buf.subarray(parAt, parAt + nroots)).every((x) => x === 0);
    if (!this.check) {
      const g = (this.genpoly ??= this.makeGenpoly());
      this.check = new CodewordCheck(nroots, (v, j) => (v === 0 || I[v] === nn ? 0 : A[this.mod(I[v]! + g[nroots - 1 - j]!)]!));
    }
    return this.check.isCodeword(buf, from, length, parAt);
  }

  /**
   * Of `count` blocks of `blockSize` bytes from buf[from] (the last cut at from + span), with
   * their parity one after another from buf[parFrom], those that are not codewords: what
   * persistent_ram_ecc_old() has to decode. Usually none.
   */
  blocksToDecode(buf: Uint8Array, from: number, span: number, blockSize: number, count: number, parFrom: number): number[] {
    const out: number[] = [];
    for (let b = 0, at = 0; b < count; b++, at += blockSize) {
      if (!this.isCodewordAt(buf, from + at, Math.min(blockSize, span - at), parFrom + b * this.nroots)) out.push(b);
    }
    return out;
  }

  private makeGenpoly(): Uint16Array {
    const { nroots, alphaTo: A, indexOf: I } = this;
    const g = new Uint16Array(nroots + 1);
    g[0] = 1;
    for (let i = 0, root = this.fcr * this.prim; i < nroots; i++, root += this.prim) {
      g[i + 1] = 1;
      for (let j = i; j > 0; j--) g[j] = g[j] !== 0 ? g[j - 1]! ^ A[this.mod(I[g[j]!]! + root)]! : g[j - 1]!;
      g[0] = A[this.mod(I[g[0]!]! + root)]!;
    }
    for (let i = 0; i <= nroots; i++) g[i] = I[g[i]!]!;
    return g;
  }

  private mod(x: number): number {
    while (x >= this.nn) {
      x -= this.nn;
      x = (x >> this.symSize) + (x & this.nn);
    }
    return x;
  }

  /**
   * Correct `data` (and `par`) in place. Returns the number of corrected symbols, or -1
   * when the block cannot be corrected (decode_rs8 returns -EBADMSG).
   */
  decode(data: Uint8Array, par: Uint8Array): number {
    const { nn, nroots, alphaTo: A, indexOf: I, fcr } = this;
    const len = data.length;
    const pad = nn - nroots - len;
    if (pad < 0 || par.length < nroots) return -1;
    const s = this.syndromes(data, par);
    let syn = 0;
    for (let i = 0; i < nroots; i++) {
      syn |= s[i]!;
      s[i] = I[s[i]!]!;
    }
    if (!syn) return 0;

    const lambda = new Array<number>(nroots + 1).fill(0);
    lambda[0] = 1;
    let b = lambda.map((x) => I[x]!);
    const t = new Array<number>(nroots + 1).fill(0);
    let el = 0;
    for (let r = 1; r <= nroots; r++) {
      let discr = 0;
      for (let i = 0; i < r; i++) {
        if (lambda[i] !== 0 && s[r - i - 1] !== nn) discr ^= A[this.mod(I[lambda[i]!]! + s[r - i - 1]!)]!;
      }
      discr = I[discr]!;
      if (discr === nn) {
        b = [nn, ...b.slice(0, nroots)];
      } else {
        t[0] = lambda[0]!;
        for (let i = 0; i < nroots; i++) t[i + 1] = b[i] !== nn ? lambda[i + 1]! ^ A[this.mod(discr + b[i]!)]! : lambda[i + 1]!;
        if (2 * el <= r - 1) {
          el = r - el;
          b = lambda.map((x) => (x === 0 ? nn : this.mod(I[x]! - discr + nn)));
        } else {
          b = [nn, ...b.slice(0, nroots)];
        }
        for (let i = 0; i <= nroots; i++) lambda[i] = t[i]!;
      }
    }
    let degLambda = 0;
    for (let i = 0; i <= nroots; i++) {
      lambda[i] = I[lambda[i]!]!;
      if (lambda[i] !== nn) degLambda = i;
    }
    if (degLambda === 0) return -1;

    // Chien search for the roots of lambda
    const reg = lambda.slice();
    const root: number[] = [];
    const loc: number[] = [];
    for (let i = 1, k = 0; i <= nn; i++, k = this.mod(k + 1)) {
      let q = 1;
      for (let j = degLambda; j > 0; j--) {
        if (reg[j] !== nn) {
          reg[j] = this.mod(reg[j]! + j);
          q ^= A[reg[j]!]!;
        }
      }
      if (q !== 0) continue;
      if (k < pad) return -1;
      root.push(i);
      loc.push(k);
      if (root.length === degLambda) break;
    }
    if (root.length !== degLambda) return -1;

    // omega(x) = s(x) * lambda(x) mod x^nroots, then Forney
    const degOmega = degLambda - 1;
    const omega: number[] = [];
    for (let i = 0; i <= degOmega; i++) {
      let tmp = 0;
      for (let j = i; j >= 0; j--) if (s[i - j] !== nn && lambda[j] !== nn) tmp ^= A[this.mod(s[i - j]! + lambda[j]!)]!;
      omega.push(I[tmp]!);
    }
    const fix: number[] = [];
    for (let j = 0; j < root.length; j++) {
      let num1 = 0;
      for (let i = degOmega; i >= 0; i--) if (omega[i] !== nn) num1 ^= A[this.mod(omega[i]! + i * root[j]!)]!;
      if (num1 === 0) {
        fix.push(0);
        continue;
      }
      const num2 = A[this.mod(root[j]! * (fcr - 1) + nn)]!;
      let den = 0;
      for (let i = Math.min(degLambda, nroots - 1) & ~1; i >= 0; i -= 2) {
        if (lambda[i + 1] !== nn) den ^= A[this.mod(lambda[i + 1]! + i * root[j]!)]!;
      }
      fix.push(A[this.mod(I[num1]! + I[num2]! + nn - I[den]!)]!);
    }
    let count = 0;
    for (let i = 0; i < root.length; i++) {
      count++;
      if (!fix[i]) continue;
      const at = loc[i]! - pad;
      if (at < len) data[at] = data[at]! ^ fix[i]!;
      else par[at - len] = par[at - len]! ^ fix[i]!;
    }
    return count;
  }
}
