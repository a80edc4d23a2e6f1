// A long log as messages in batches: a 64 MiB console zone is not one array of a million
// messages, but batches of about BATCH_BYTES of text, each cut at a line's end, each the
// lines bytesToMessages gives for its bytes (same text, same byte offsets).
import type { KernelMessage, SourceRef } from '../model/index.js';
import { bytesToMessages } from './messages.js';

export const BATCH_BYTES = 256 * 1024;

const NL = 0x0a;

export function* messageBatches(bytes: Uint8Array, source: SourceRef, batch = BATCH_BYTES): Generator<KernelMessage[]> {
  for (let pos = 0; pos < bytes.length; ) {
    let end = Math.min(bytes.length, pos + batch);
    if (end < bytes.length) {
      const nl = bytes.indexOf(NL, end - 1);
      end = nl < 0 ? bytes.length : nl + 1;
    }
    // Without an offset every line shares the source, as in one call; with one, each line's is its own.
    yield bytesToMessages(bytes.subarray(pos, end), source.offset === undefined ? source : { ...source, offset: source.offset + pos });
    pos = end;
  }
}
