// The codeword check that spares most blocks the Reed-Solomon decoder agrees with the
// decoder's syndromes: clean blocks, blocks with a symbol or more damaged, in data or parity.
import { describe, expect, it } from 'vitest';
import { ReedSolomon } from '../../backends/ramoops/reed-solomon.js';

describe('ReedSolomon.isCodewordAt', () => {
  it.each([6, 8, 16, 32, 64])('agrees with decode() for nroots %i', (nroots) => {
    const rs = new ReedSolomon(8, 0x11d, nroots);
    let seed = nroots;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let t = 0; t < 200; t++) {
      const len = [128, 127, 12, 1, 100][t % 5]!;
      if (len > 255 - nroots) continue;
      const data = Uint8Array.from({ length: len }, () => rand(256));
      const buf = new Uint8Array(7 + len + nroots);
      buf.set(data, 7);
      buf.set(rs.encode(data), 7 + len);
      // a third clean, the rest with 1..3 bytes changed anywhere in data or parity
      for (let k = t % 3 === 0 ? 0 : 1 + rand(3); k > 0; k--) buf[7 + rand(len + nroots)]! ^= 1 + rand(255);
      const clean = rs.decode(buf.slice(7, 7 + len), buf.slice(7 + len)) === 0;
      expect(rs.isCodewordAt(buf, 7, len, 7 + len)).toBe(clean);
    }
  });

  it('is false where decode() refuses: a block longer than the code, parity cut off', () => {
    const rs = new ReedSolomon(8, 0x11d, 128);
    const data = new Uint8Array(128);
    const buf = new Uint8Array(256);
    expect(rs.decode(data, new Uint8Array(128))).toBe(-1);
    expect(rs.isCodewordAt(buf, 0, 128, 128)).toBe(false);
    expect(new ReedSolomon(8, 0x11d, 16).isCodewordAt(buf, 0, 128, 250)).toBe(false);
  });
});
