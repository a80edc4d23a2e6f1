// The running kernel's log, record by record: /dev/kmsg (Documentation/ABI/testing/dev-kmsg:
// one record per read(2), "pri,seq,usec,flag[,more];text\n" then " KEY=value\n" lines;
// EPIPE when the reader fell behind and records were overwritten), or a file of such
// records (a saved `cat /dev/kmsg`, or one a test appends to), followed as it grows.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** The longest /dev/kmsg record (printk's CONSOLE_EXT_LOG_MAX is 8 KiB). */
const RECORD_BYTES = 16 * 1024;
const FILE_CHUNK = 64 * 1024;

export type KmsgEvent = { record: Buffer } | { lost: true } | { idle: true };

export interface KmsgSource {
  /** The next record, `lost` after an overrun, `idle` when nothing is there now. */
  next(): Promise<KmsgEvent>;
  close(): Promise<void>;
}

export async function openKmsg(path: string): Promise<KmsgSource> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const st = await fh.stat();
  return st.isCharacterDevice() ? deviceSource(fh) : fileSource(fh);
}

function deviceSource(fh: FileHandle): KmsgSource {
  const buf = Buffer.alloc(RECORD_BYTES);
  return {
    async next() {
      try {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        return bytesRead === 0 ? { idle: true } : { record: Buffer.from(buf.subarray(0, bytesRead)) };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return { idle: true };
        if (code === 'EPIPE') return { lost: true };
        throw err;
      }
    },
    close: () => fh.close(),
  };
}

/** A file of records, one per line plus its " KEY=value" lines; read as it grows. */
function fileSource(fh: FileHandle): KmsgSource {
  let pos = 0;
  let tail = '';
  const ready: string[] = [];
  let current: string | undefined;
  const take = (line: string) => {
    if (line.startsWith(' ') && current !== undefined) current += `\n${line}`;
    else {
      if (current !== undefined) ready.push(current);
      current = line;
    }
  };
  return {
    async next() {
      while (!ready.length) {
        const buf = Buffer.alloc(FILE_CHUNK);
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) {
          // A record is complete once the next one starts; at the end, once its line is.
          if (current !== undefined && !tail) {
            ready.push(current);
            current = undefined;
            break;
          }
          return { idle: true };
        }
        pos += bytesRead;
        // latin1: a chunk may end inside a UTF-8 character; the bytes are joined before decoding.
        const lines = (tail + buf.subarray(0, bytesRead).toString('latin1')).split('\n');
        tail = lines.pop()!;
        for (const l of lines) take(l);
      }
      return { record: Buffer.from(`${ready.shift()!}\n`, 'latin1') };
    },
    close: () => fh.close(),
  };
}
