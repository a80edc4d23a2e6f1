// Lines of a text file of any size, read by position in chunks, each with its byte
// offset. A line longer than MAX_LINE_BYTES is cut there (flagged `cut`), the rest skipped.
// Lines come in batches, the lines each chunk completes: one async step per line was most
// of the time of a 500 MB log.
import { isAscii } from 'node:buffer';
import { InputFile } from './file.js';

export const CHUNK_BYTES = 1 << 20;
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

export async function* readLines(path: string): AsyncGenerator<Line[]> {
  const f = await InputFile.open(path);
  try {
    let parts: Buffer[] = [];
    let partBytes = 0;
    let over = false;
    let lineStart = 0;
    for (let pos = 0; pos < f.size; ) {
      const got = await f.read(pos, CHUNK_BYTES);
      const chunk = Buffer.from(got.buffer, got.byteOffset, got.byteLength);
      if (chunk.length === 0) break;
      // An ASCII chunk is decoded once and its lines sliced from it (a character's index is
      // then its byte offset); any other chunk line by line as UTF-8.
      const ascii = isAscii(chunk) ? chunk.toString('latin1') : undefined;
      let start = 0;
      const batch: Line[] = [];
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        if (partBytes) batch.push(finish(Buffer.concat([...parts, chunk.subarray(start, nl)]), lineStart, over));
        else if (ascii === undefined) batch.push(finish(chunk.subarray(start, nl), lineStart, false));
        else {
          const end = nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
          const line: Line = { text: ascii.slice(start, Math.min(end, start + MAX_LINE_BYTES)), offset: lineStart };
          if (end - start > MAX_LINE_BYTES) line.cut = true;
          batch.push(line);
        }
        parts = [];
        partBytes = 0;
        over = false;
        start = nl + 1;
        lineStart = pos + start;
      }
      if (batch.length) yield batch;
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
    await f.close();
  }
}
