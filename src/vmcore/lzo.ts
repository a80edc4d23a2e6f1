// LZO1X decompression (the format of lib/lzo/lzo1x_decompress_safe.c, which makedumpfile's
// -l pages use via liblzo2's lzo1x_decompress_safe). npm has no well-kept decoder for Node:
// `lzo` is a native binding (node-gyp), `lzo-decompress` a little-used port (~500
// downloads a month), `lzo-wasm` FFmpeg's decoder built for browsers (0.0.x). So this is
// the safe decoder, by hand: every input and output position is bounds-checked; output
// never exceeds `maxOut`; tested on pages makedumpfile -l wrote (test/vmcore/lzo-pages).

export class LzoError extends Error {
  override name = 'LzoError';
}

const M2_MAX_OFFSET = 0x0800;

export function lzo1xDecompress(src: Uint8Array, maxOut: number): Uint8Array {
  const out = new Uint8Array(maxOut);
  let ip = 0;
  let op = 0;
  let state = 0;
  let t = 0;
  let next = 0;
  const byte = (): number => {
    if (ip >= src.length) throw new LzoError('input overrun');
    return src[ip++]!;
  };
  const run = (base: number): number => { // a zero-run length extension
    let n = 0;
    while (ip < src.length && src[ip] === 0) { n += 255; ip++; if (n > maxOut) throw new LzoError('length overrun'); }
    return n + base + byte();
  };
  const literals = (n: number) => {
    if (ip + n > src.length) throw new LzoError('input overrun');
    if (op + n > maxOut) throw new LzoError('output overrun');
    out.set(src.subarray(ip, ip + n), op);
    ip += n; op += n;
  };
  const match = (from: number, n: number) => {
    if (from < 0) throw new LzoError('lookbehind overrun');
    if (op + n > maxOut) throw new LzoError('output overrun');
    for (let i = 0; i < n; i++) out[op++] = out[from + i]!;
  };

  if (src.length > 0 && src[0]! > 17) {
    t = byte() - 17;
    if (t < 4) { state = t; literals(t); }
    else { literals(t); state = 4; }
  }
  for (;;) {
    t = byte();
    let from: number;
    if (t < 16) {
      if (state === 0) {
        if (t === 0) t = run(15);
        literals(t + 3);
        state = 4;
        continue;
      }
      next = t & 3;
      if (state !== 4) {
        from = op - 1 - (t >> 2) - (byte() << 2);
        match(from, 2);
        state = next; literals(next);
        continue;
      }
      from = op - (1 + M2_MAX_OFFSET) - (t >> 2) - (byte() << 2);
      t = 3;
    } else if (t >= 64) {
      next = t & 3;
      from = op - 1 - ((t >> 2) & 7) - (byte() << 3);
      t = (t >> 5) + 1;
    } else if (t >= 32) {
      t = (t & 31) + 2;
      if (t === 2) t = run(31) + 2;
      const le = byte() | (byte() << 8);
      from = op - 1 - (le >> 2);
      next = le & 3;
    } else {
      from = op - ((t & 8) << 11);
      t = (t & 7) + 2;
      if (t === 2) t = run(7) + 2;
      const le = byte() | (byte() << 8);
      from -= le >> 2;
      next = le & 3;
      if (from === op) {
        if (ip !== src.length) throw new LzoError('trailing input after the end marker');
        return out.subarray(0, op);
      }
      from -= 0x4000;
    }
    match(from, t);
    state = next;
    literals(next);
  }
}
