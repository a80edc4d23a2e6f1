// pstore's compressed records (fs/pstore/platform.c): deflate, written raw (negative
// windowBits) by current kernels and zlib-wrapped by some older ones and other tools.
//
// Node's zlib has no incremental synchronous inflate, but a prefix of a deflate stream
// inflates with Z_SYNC_FLUSH to the prefix of its output, and both the output's length and
// the failure of a damaged stream grow with the prefix: the longest prefix that inflates
// within the cap is found by bisection. So damage keeps what came before it, and a bomb
// stops at its cap without ever making more than the cap.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * The kernel decompresses a record into at most three times its buffer
 * (fs/pstore/platform.c: max_uncompressed_size = 3 * psinfo->bufsize; before 6.6 the
 * worst-case buffer was bufsize * 100 / 42, less), and compresses only what fits that
 * buffer: an honest record never inflates past 3x the buffer it was written to.
 */
export const PSTORE_INFLATE_RATIO = 3;

export interface InflateProblem {
  message: string;
  /** Byte offset in the compressed data near which the stream stopped. */
  offset: number;
}

type Result = { out: Buffer } | { error: Error };

function attempt(data: Uint8Array, n: number, cap: number, raw: boolean): Result {
  try {
    return { out: (raw ? inflateRawSync : inflateSync)(data.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: cap }) };
  } catch (err) {
    return { error: err instanceof Error ? err : new Error(String(err)) };
  }
}

/** The longest prefix of `data` that inflates within `cap`, and why the next byte did not. */
function longestPrefix(data: Uint8Array, cap: number, raw: boolean, whole: Result): { out: Buffer; at: number; error: Error } {
  let lo = 0;
  let hi = data.length;
  let best: Buffer = Buffer.alloc(0);
  let why = 'error' in whole ? whole.error : new Error('stopped');
  // Invariant: prefix lo inflates (the empty one does), prefix hi does not.
  for (let guard = 0; hi - lo > 1 && guard < 64; guard++) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const r = attempt(data, mid, cap, raw);
    if ('out' in r) { lo = mid; best = r.out; } else { hi = mid; why = r.error; }
  }
  return { out: best, at: lo, error: why };
}

const tooLarge = (e: Error): boolean => (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;

/**
 * Inflate a compressed record, raw deflate first, then zlib; at most `cap` bytes. A stream
 * cut short (a torn record) gives what it holds, quietly. A stream that breaks after some
 * output gives that output, and `problem` says where it broke; one that reaches `cap`
 * stops there and `problem` says so. Throws when neither form gives a byte.
 */
export function inflateRecord(data: Uint8Array, cap: number, problem?: (p: InflateProblem) => void): Buffer {
  let raw = true;
  let whole = attempt(data, data.length, cap, true);
  if ('error' in whole && !tooLarge(whole.error)) {
    const z = attempt(data, data.length, cap, false);
    if ('out' in z || tooLarge(z.error)) { raw = false; whole = z; }
  }
  if ('out' in whole) return whole.out;
  const p = longestPrefix(data, cap, raw, whole);
  if (p.out.length === 0 && !tooLarge(p.error)) throw whole.error;
  if (tooLarge(p.error)) problem?.({ message: `inflates past ${cap} bytes (the most such a record can hold); stopped there`, offset: p.at });
  else problem?.({ message: `compressed data damaged after ${p.out.length} bytes of output (${p.error.message}); the text before it is kept`, offset: p.at });
  return p.out;
}
