// Lines of a big file, read in chunks: every line once, with its byte offset, whatever the
// chunk boundaries cut (a line across two or three chunks, CRLF, UTF-8, over-long lines).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHUNK_BYTES, MAX_LINE_BYTES, readLines, type Line } from '../../src/input/lines.js';

/** The same lines by the simplest means: split the whole buffer. */
function reference(buf: Buffer): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start < buf.length) {
    let nl = buf.indexOf(0x0a, start);
    const last = nl < 0;
    if (last) nl = buf.length;
    let end = nl;
    const over = end - start > MAX_LINE_BYTES + 1;
    if (!over && end > start && buf[end - 1] === 0x0d) end--;
    const line: Line = { text: buf.toString('utf8', start, Math.min(end, start + MAX_LINE_BYTES)), offset: start };
    if (end - start > MAX_LINE_BYTES) line.cut = true;
    out.push(line);
    start = nl + 1;
  }
  return out;
}

/** Seeded lines: short and long, ASCII chunks and UTF-8 ones, LF and CRLF, a few longer than the cap. */
function content(seed: number): Buffer {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
  const lines: string[] = [];
  let bytes = 0;
  while (bytes < 3.5 * CHUNK_BYTES) {
    const kind = rand(100);
    const len = kind < 2 ? MAX_LINE_BYTES + rand(3 * CHUNK_BYTES) : kind < 10 ? rand(20_000) : rand(200);
    let l = `[${String(rand(99999)).padStart(5)}.${String(rand(999999)).padStart(6, '0')}] ` + 'x'.repeat(len);
    // UTF-8 only in the second chunk or so: the others are read as ASCII chunks.
    if (kind % 7 === 0 && bytes > 1.2 * CHUNK_BYTES && bytes < 2.2 * CHUNK_BYTES) l = l.replace(/x/g, (c, i: number) => (i % 13 === 0 ? '\u00e9' : c));
    if (kind % 5 === 0) l += '\r';
    lines.push(l);
    bytes += Buffer.byteLength(l) + 1;
  }
  return Buffer.from(lines.join('\n') + (seed % 2 ? '\n' : ''), 'utf8');
}

describe('readLines', () => {
  for (const seed of [1, 2, 3]) {
    it(`gives every line of a ${3.5}-chunk file once, at its byte offset (seed ${seed})`, async () => {
      const buf = content(seed);
      const path = join(mkdtempSync(join(tmpdir(), 'crashlog-lines-')), 'log');
      writeFileSync(path, buf);
      const got: Line[] = [];
      for await (const batch of readLines(path)) got.push(...batch);
      const want = reference(buf);
      expect(got.length).toBe(want.length);
      expect(got.some((l) => l.cut)).toBe(true);
      expect(got.some((l) => l.text.includes('\u00e9'))).toBe(true);
      for (let i = 0; i < want.length; i++) expect(got[i]).toEqual(want[i]);
    });
  }
});
