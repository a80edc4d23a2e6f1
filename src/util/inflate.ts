// pstore's compressed records (fs/pstore/platform.c): deflate, written raw (negative
// windowBits) by current kernels and zlib-wrapped by some older ones and other tools.
import { constants, inflateRawSync, inflateSync } from 'node:zlib';

/**
 * Inflate a compressed pstore record, raw deflate first, then zlib; at most `maxOutput`
 * bytes. A stream cut short (a torn record) gives what it holds. Throws the raw-deflate
 * error when neither form reads.
 */
export function inflateRecord(data: Uint8Array, maxOutput: number): Buffer {
  const opts = { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxOutput };
  try {
    return inflateRawSync(data, opts);
  } catch (err) {
    try {
      return inflateSync(data, opts);
    } catch {
      throw err;
    }
  }
}
