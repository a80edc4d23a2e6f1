// Inputs that cannot be read by position: "-" (standard input), a pipe or a socket
// (`crashlog report <(journalctl -k -b -1 -o json)` names /dev/fd/63). Their first bytes
// are read and probed like a file's head; a backend that reads a file front to back
// (text, journal, mcelog) then reads the stream itself, under its own name, and nothing
// is written anywhere. Any other format needs random access: the stream is copied to a
// private temporary file (sparse, removed at exit and on SIGINT/SIGTERM) read instead.
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import type { Backend } from '../backend.js';
import type { Spilled } from '../vmcore/spill.js';
import { FormatError } from '../util/errors.js';
import { PROBE_HEAD_BYTES, type Probe } from './probe.js';

/** Backends whose reader only walks the input front to back (readLines). */
export const STREAMING_BACKENDS: ReadonlySet<string> = new Set(['text', 'journal', 'mcelog']);

/** A stream read once, front to back, with the bytes not yet consumed held in a window. */
export class StreamInput {
  private window: Buffer = Buffer.alloc(0);
  /** Offset in the stream of window[0]. */
  private base = 0;
  private ended = false;

  private constructor(
    readonly path: string,
    private readonly chunks: AsyncIterator<Buffer>,
    private readonly source: Readable,
  ) {}

  static open(path: string): StreamInput {
    const source = path === '-' ? process.stdin : createReadStream(path);
    return new StreamInput(path, source[Symbol.asyncIterator]() as AsyncIterator<Buffer>, source);
  }

  /** Read until the window reaches stream offset `end`, or the stream ends. */
  private async fill(end: number): Promise<void> {
    const parts = [this.window];
    let have = this.base + this.window.length;
    while (!this.ended && have < end) {
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    if (parts.length > 1) this.window = Buffer.concat(parts);
  }

  /** The stream's first `n` bytes (only before anything is consumed). */
  async head(n: number): Promise<{ head: Uint8Array; ended: boolean }> {
    await this.fill(n);
    return { head: this.window.subarray(0, n), ended: this.ended && this.window.length <= n };
  }

  /** Up to `length` bytes at `position`; forward only, bytes before the last read are gone. */
  async read(position: number, length: number): Promise<Uint8Array> {
    if (position < this.base) throw new FormatError(this.path, position, 'this input is a stream, read once: it cannot be read again from an earlier place');
    await this.fill(position + length);
    const from = Math.min(position - this.base, this.window.length);
    const out = this.window.subarray(from, from + length);
    // Keep only what was not yet handed out: the reader moves forward.
    this.base += from;
    this.window = this.window.subarray(from);
    return Buffer.from(out);
  }

  /** Everything from the start (nothing consumed yet), as a Readable, for spilling. */
  rest(): Readable {
    const self = this;
    return Readable.from((async function* () {
      if (self.window.length) yield self.window;
      self.window = Buffer.alloc(0);
      for (;;) {
        const next = await self.chunks.next();
        if (next.done) return;
        yield next.value;
      }
    })());
  }

  /** Stop reading: the stream (stdin too) is closed, so nothing keeps the process alive. */
  close(): void {
    void this.chunks.return?.();
    this.source.destroy();
  }
}

const streams = new Map<string, StreamInput>();

/** The stream registered under this input name, if it is one. */
export function streamInput(path: string): StreamInput | undefined {
  return streams.get(path);
}

/** "-", or a path that is a pipe or a socket (after following links: /dev/fd/N, /dev/stdin). */
export function isStreamPath(path: string): boolean {
  if (path === '-') return true;
  try {
    const st = statSync(path);
    return st.isFIFO() || st.isSocket();
  } catch {
    return false;
  }
}

/** A probe of a stream's head; its size is unknown (the largest number) unless it ended. */
export function streamProbe(path: string, head: Uint8Array, ended: boolean): Probe {
  return { path, isDirectory: false, size: ended ? head.length : Number.MAX_SAFE_INTEGER, head, entries: [] };
}

export interface PreparedInputs {
  /** The inputs to read: streams by their own name, spilled ones by their temporary file. */
  paths: string[];
  /** Close streams and remove temporary files (also done at exit). */
  dispose(): Promise<void>;
}

/**
 * Make every stream among `paths` readable by the backends: probe its head, register it
 * for a streaming backend, or spill it to a temporary file for any other.
 */
export async function prepareInputs(paths: string[], as?: string): Promise<PreparedInputs> {
  const out: string[] = [];
  if (!paths.some(isStreamPath)) return { paths, dispose: async () => {} };
  // Loaded only when a stream is among the inputs: every other run starts without them.
  const [{ backendById, backends }, { spill }] = await Promise.all([import('../../backends/index.js'), import('../vmcore/spill.js')]);
  const spills: Spilled[] = [];
  const opened: StreamInput[] = [];
  for (const path of paths) {
    if (!isStreamPath(path) || streams.has(path)) {
      out.push(path);
      continue;
    }
    const s = StreamInput.open(path);
    opened.push(s);
    const { head, ended } = await s.head(PROBE_HEAD_BYTES);
    const chosen = as !== undefined ? backendById(as)?.id : bestBackend(backends, streamProbe(path, head, ended));
    if (chosen && STREAMING_BACKENDS.has(chosen)) {
      streams.set(path, s);
      out.push(path);
    } else {
      const tag = path === '-' ? 'stdin' : basename(path).replace(/[^\w.-]/g, '_');
      const sp = await spill(s.rest(), tag);
      spills.push(sp);
      s.close();
      out.push(sp.path);
    }
  }
  return {
    paths: out,
    dispose: async () => {
      for (const s of opened) {
        s.close();
        streams.delete(s.path);
      }
      for (const sp of spills) await sp.dispose();
    },
  };
}

function bestBackend(backends: readonly Backend[], p: Probe): string | undefined {
  let best: { id: string; c: number } | undefined;
  for (const b of backends) {
    let c = 0;
    try {
      c = b.probe(p);
    } catch {
      c = 0;
    }
    if (c > 0 && (!best || c > best.c)) best = { id: b.id, c };
  }
  return best?.id;
}
