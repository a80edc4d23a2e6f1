// Bytes shaped like a dump's memory, from a seed: zero pages, text, random bytes, runs of one
// byte (what a compressor meets in a vmcore).

export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pages as a dump holds them: zeros, repeated text, random bytes, one byte repeated. */
export function memoryLike(pages: number, seed: number): Buffer {
  const r = rng(seed);
  const b = Buffer.alloc(pages * 4096);
  const words = ['kernel', 'panic', 'task_struct', ' ', '\n', 'ffff8880', 'RIP: 0010:', 'Call Trace:'];
  for (let p = 0; p < pages; p++) {
    const at = p * 4096;
    const kind = Math.floor(r() * 4);
    if (kind === 1) { let o = at; while (o < at + 4096) o += b.write(words[Math.floor(r() * words.length)]!, o, at + 4096 - o, 'latin1'); }
    else if (kind === 2) for (let i = 0; i < 4096; i++) b[at + i] = Math.floor(r() * 256);
    else if (kind === 3) b.fill(Math.floor(r() * 256), at, at + 4096);
  }
  return b;
}

