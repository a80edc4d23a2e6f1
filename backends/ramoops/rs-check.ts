// Whether a block is a Reed-Solomon codeword (every syndrome 0), the question asked of
// almost every 128-byte block of an ECC region, almost always answered yes. The parity
// encode_rs8 (lib/reed_solomon/encode_rs.c) gives for the data is compared with the parity
// stored: its shift register held four parity bytes to an int32, and run four data bytes a
// step. The register is linear over GF(2) in the bytes fed in, so four steps are one lookup
// per byte in tables of what a byte does four, three, two and one steps on (the method of
// slicing-by-4 CRCs): independent lookups, not a chain of sixteen.

/** Parity byte j's feedback term for feedback symbol v (encode_rs8: alpha^(index(v) + genpoly[nroots-1-j])). */
export type FeedbackTerm = (v: number, j: number) => number;

const BYTE = 256;

export class CodewordCheck {
  private readonly words: number;
  /** One step: word w of the term added for feedback v, at [w][v]. */
  private readonly step: Int32Array[];
  /**
   * Four steps, 16 roots only: word w of what byte k (0 = first) adds for value x, at
   * (k * 4 + w) * 256 + x. One flat table: measured twice as fast as sixteen small ones.
   */
  private readonly four?: Int32Array;
  /** A view of the last buffer checked: its blocks come one after another. */
  private view?: DataView;
  private viewOf?: Uint8Array;

  constructor(nroots: number, term: FeedbackTerm) {
    this.words = nroots / 4;
    this.step = Array.from({ length: this.words }, (_, w) =>
      Int32Array.from({ length: BYTE }, (_, v) => (term(v, 4 * w) << 24) | (term(v, 4 * w + 1) << 16) | (term(v, 4 * w + 2) << 8) | term(v, 4 * w + 3)),
    );
    if (this.words !== 4) return;
    this.four = new Int32Array(16 * BYTE);
    const data = new Uint8Array(4);
    for (let k = 0; k < 4; k++) {
      for (let x = 0; x < BYTE; x++) {
        data.fill(0);
        data[k] = x;
        const r = this.run(data, 0, 4, new Int32Array(4));
        for (let w = 0; w < 4; w++) this.four[(k * 4 + w) * BYTE + x] = r[w]!;
      }
    }
  }

  /** encode_rs8's register after buf[from, end), one byte a step. */
  private run(buf: Uint8Array, from: number, end: number, r: Int32Array): Int32Array {
    const n = this.words;
    const T = this.step;
    for (let j = from; j < end; j++) {
      const v = (buf[j]! ^ (r[0]! >>> 24)) & 0xff;
      for (let w = 0; w < n - 1; w++) r[w] = ((r[w]! << 8) | (r[w + 1]! >>> 24)) ^ T[w]![v]!;
      r[n - 1] = (r[n - 1]! << 8) ^ T[n - 1]![v]!;
    }
    return r;
  }

  /** Whether buf[parAt, parAt + nroots) is the parity of buf[from, from + length): offsets, no views made. */
  isCodeword(buf: Uint8Array, from: number, length: number, parAt: number): boolean {
    if (this.viewOf !== buf) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewOf = buf;
    }
    const view = this.view!;
    if (this.four && length % 4 === 0) return this.runFour(view, from, from + length, parAt);
    const r = this.run(buf, from, from + length, new Int32Array(this.words));
    for (let w = 0; w < this.words; w++) if (r[w] !== view.getInt32(parAt + 4 * w, false)) return false;
    return true;
  }

  /** isCodeword for 16 roots and a whole number of words. */
  private runFour(view: DataView, from: number, end: number, parAt: number): boolean {
    const T = this.four!;
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0;
    for (let j = from; j < end; j += 4) {
      // the four bytes fed in, each XORed with the register byte it meets
      const x = view.getInt32(j, false) ^ r0;
      const a = x >>> 24, b = 1024 + ((x >>> 16) & 0xff), c = 2048 + ((x >>> 8) & 0xff), d = 3072 + (x & 0xff);
      r0 = r1 ^ T[a]! ^ T[b]! ^ T[c]! ^ T[d]!;
      r1 = r2 ^ T[a + 256]! ^ T[b + 256]! ^ T[c + 256]! ^ T[d + 256]!;
      r2 = r3 ^ T[a + 512]! ^ T[b + 512]! ^ T[c + 512]! ^ T[d + 512]!;
      r3 = T[a + 768]! ^ T[b + 768]! ^ T[c + 768]! ^ T[d + 768]!;
    }
    return r0 === view.getInt32(parAt, false) && r1 === view.getInt32(parAt + 4, false) && r2 === view.getInt32(parAt + 8, false) && r3 === view.getInt32(parAt + 12, false);
  }
}
