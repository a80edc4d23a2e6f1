// Lines of a text file of any size, read by position in chunks, each with its byte
// offset. A line longer than MAX_LINE_BYTES is cut there (flagged `cut`), the rest skipped.
// Lines come in batches, the lines each chunk completes: one async step per line was most
// of the time of a 500 MB log.
import { isAscii } from 'node:buffer';
import { InputFile } from './file.js';

export const CHUNK_BYTES = 1 << 20;
/** An ASCII chunk is decoded in pieces of about 64 KiB, whole lines each: a piece's string stays
 * under V8's large-object size (128 KiB) and dies young with the lines read from it (1 MiB
 * strings cost a third more CPU and half again the RSS on a 200 MB log: bench/textlog.ts). */
const PIECE_BYTES = 1 << 16;
export const MAX_LINE_BYTES = 64 * 1024;

export interface Line {
  /** The line without "\n" (and without a trailing "\r"), decoded as UTF-8. */
  text: string;
  offset: number;
  cut?: boolean;
}

function finish(bytes: Buffer, offset: number, over: boolean): Line {
  let end = bytes.length;
  if (!over && end > 0 && bytes[end - 1] === 0x0d) end--;
  const line: Line = { text: bytes.toString('utf8', 0, Math.min(end, MAX_LINE_BYTES)), offset };
  if (over || end > MAX_LINE_BYTES) line.cut = true;
  return line;
}

/**
 * The lines of an ASCII chunk, without a string per line: line k < n is
 * `text.slice(starts[k], ends[k])` (its "\r" already left out), at byte `base + starts[k]`
 * of the file. Lines longer than MAX_LINE_BYTES are ended there and listed in `cut`.
 */
export interface LineRanges {
  text: string;
  base: number;
  n: number;
  starts: Int32Array;
  ends: Int32Array;
  cut?: number[];
}

/** A chunk's lines as ranges of its string, from `start` (the first whole line) on. */
function ranges(text: string, base: number, start: number): { r: LineRanges; next: number } {
  let cap = 1024;
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let n = 0;
  let cut: number[] | undefined;
  for (let nl = text.indexOf('\n', start); nl >= 0; nl = text.indexOf('\n', start)) {
    if (n === cap) {
      cap *= 2;
      const s2 = new Int32Array(cap); s2.set(starts); starts = s2;
      const e2 = new Int32Array(cap); e2.set(ends); ends = e2;
    }
    const end = nl > start && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    if (end - start > MAX_LINE_BYTES) (cut ??= []).push(n);
    starts[n] = start;
    ends[n++] = Math.min(end, start + MAX_LINE_BYTES);
    start = nl + 1;
  }
  const r: LineRanges = { text, base, n, starts, ends };
  if (cut) r.cut = cut;
  return { r, next: start };
}

/** Batches of lines: an ASCII chunk's as ranges of its one decoded string, any other as Lines. */
export async function* readLineBatches(path: string): AsyncGenerator<Line[] | LineRanges> {
  const f = await InputFile.open(path);
  let ahead: Promise<number> | undefined;
  try {
    let parts: Buffer[] = [];
    let partBytes = 0;
    let over = false;
    let lineStart = 0;
    // Two buffers: the next chunk is read while this one is split. What outlives a chunk is
    // copied out of it (its decoded strings, a partial line's bytes).
    const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
    let which = 0;
    ahead = f.readInto(bufs[0]!, 0, CHUNK_BYTES);
    for (let pos = 0; pos < f.size && ahead; ) {
      const buf = bufs[which]!;
      const chunk = buf.subarray(0, await ahead);
      if (chunk.length === 0) break;
      which ^= 1;
      ahead = pos + chunk.length < f.size ? f.readInto(bufs[which]!, pos + chunk.length, CHUNK_BYTES) : undefined;
      let start = 0;
      // A line begun in an earlier chunk ends at this chunk's first newline.
      if (partBytes) {
        const nl = chunk.indexOf(0x0a);
        if (nl >= 0) {
          yield [finish(Buffer.concat([...parts, chunk.subarray(0, nl)]), lineStart, over)];
          parts = [];
          partBytes = 0;
          over = false;
          start = nl + 1;
          lineStart = pos + start;
        }
      }
      if (!partBytes) {
        // An ASCII chunk is decoded once ('ascii': ten times 'latin1' here, the same text once
        // isAscii holds) and its lines are ranges of it; any other chunk line by line as UTF-8.
        if (isAscii(chunk)) {
          for (;;) {
            // A piece ends after the last newline within PIECE_BYTES (or the first after, for a long line).
            let end = start + PIECE_BYTES < chunk.length ? chunk.lastIndexOf(0x0a, start + PIECE_BYTES - 1) : chunk.lastIndexOf(0x0a);
            if (end < start) end = chunk.indexOf(0x0a, start);
            if (end < start) break;
            const { r } = ranges(chunk.toString('ascii', start, end + 1), pos + start, 0);
            start = end + 1;
            if (r.n) yield r;
          }
        } else {
          const batch: Line[] = [];
          for (let nl = chunk.indexOf(0x0a, start); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
            batch.push(finish(chunk.subarray(start, nl), pos + start, false));
            start = nl + 1;
          }
          if (batch.length) yield batch;
        }
        lineStart = pos + start;
      }
      const rest = chunk.subarray(start);
      if (partBytes + rest.length > MAX_LINE_BYTES + 1) {
        over = true;
        const room = MAX_LINE_BYTES + 1 - partBytes;
        if (room > 0) parts.push(Buffer.from(rest.subarray(0, room)));
        partBytes = Math.min(MAX_LINE_BYTES + 1, partBytes + rest.length);
      } else if (rest.length) {
        parts.push(Buffer.from(rest));
        partBytes += rest.length;
      }
      pos += chunk.length;
    }
    if (partBytes) yield [finish(Buffer.concat(parts), lineStart, over)];
  } finally {
    // A read ahead still in flight when the consumer stopped: let it end before the file closes.
    await ahead?.catch(() => 0);
    await f.close();
  }
}

export async function* readLines(path: string): AsyncGenerator<Line[]> {
  for await (const b of readLineBatches(path)) {
    if (Array.isArray(b)) { yield b; continue; }
    const out: Line[] = new Array(b.n);
    for (let k = 0; k < b.n; k++) out[k] = { text: b.text.slice(b.starts[k], b.ends[k]), offset: b.base + b.starts[k]! };
    for (const k of b.cut ?? []) out[k]!.cut = true;
    yield out;
  }
}
