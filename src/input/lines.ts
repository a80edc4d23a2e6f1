// Lines of a text file of any size, read by position in chunks, each with its byte
// offset. A line longer than MAX_LINE_BYTES is cut there (flagged `cut`), the rest skipped.
import { InputFile } from './file.js';

export const CHUNK_BYTES = 1 << 20;
export const MAX_LINE_BYTES = 64 * 1024;

export interface Line {
  /** The line's bytes without "\n" (and without a trailing "\r"). */
  bytes: Buffer;
  offset: number;
  cut?: boolean;
}

function finish(bytes: Buffer, offset: number, over: boolean): Line {
  let end = bytes.length;
  if (!over && end > 0 && bytes[end - 1] === 0x0d) end--;
  const cut = over || end > MAX_LINE_BYTES;
  const line: Line = { bytes: bytes.subarray(0, Math.min(end, MAX_LINE_BYTES)), offset };
  if (cut) line.cut = true;
  return line;
}

export async function* readLines(path: string): AsyncGenerator<Line> {
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
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        const tail = chunk.subarray(start, nl);
        const bytes = partBytes ? Buffer.concat([...parts, tail]) : tail;
        yield finish(bytes, lineStart, over);
        parts = [];
        partBytes = 0;
        over = false;
        start = nl + 1;
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
    if (partBytes) yield finish(Buffer.concat(parts), lineStart, over);
  } finally {
    await f.close();
  }
}
