// What a backend's probe sees: a snapshot of an input (its first bytes, or its directory
// listing). Probing consumes nothing; the backend's read opens the path itself.
import { lstat, readdir, stat } from 'node:fs/promises';
import { withInput } from './file.js';
import { streamInput, streamProbe } from './stream.js';

/** 64 KiB and a page: a format whose first header may sit one 64 KiB zone in (pstore/zone
 * with its pmsg zone unwritten) is still seen. */
export const PROBE_HEAD_BYTES = 68 * 1024;
export const PROBE_MAX_ENTRIES = 10_000;

export interface Probe {
  path: string;
  isDirectory: boolean;
  size: number;
  /** First PROBE_HEAD_BYTES of a file (empty for a directory). */
  head: Uint8Array;
  /** Names in a directory (at most PROBE_MAX_ENTRIES), empty for a file. */
  entries: string[];
}

/** `follow`: a path named on the command line is followed when it is a symlink (as
 * `find -H` does); one met inside a directory is not. */
export async function makeProbe(path: string, follow = false): Promise<Probe> {
  const stream = streamInput(path);
  if (stream) {
    const { head, ended } = await stream.head(PROBE_HEAD_BYTES);
    return streamProbe(path, head, ended);
  }
  const st = follow ? await stat(path) : await lstat(path);
  if (st.isDirectory()) {
    const entries: string[] = [];
    for (const name of await readdir(path)) {
      if (entries.length >= PROBE_MAX_ENTRIES) break;
      entries.push(name);
    }
    return { path, isDirectory: true, size: 0, head: new Uint8Array(0), entries: entries.sort() };
  }
  const head = st.isFile() ? await withInput(path, (f) => f.read(0, PROBE_HEAD_BYTES)) : new Uint8Array(0);
  return { path, isDirectory: false, size: st.size, head, entries: [] };
}

/** The head as latin1 text (every byte one char), for text sniffing. */
export function headText(p: Probe, max = PROBE_HEAD_BYTES): string {
  return Buffer.from(p.head.buffer, p.head.byteOffset, Math.min(max, p.head.length)).toString('latin1');
}
