// Datagrams on their way from the receiving thread to the log writer: copied one after
// another into a reused buffer, each behind a fixed header, and handed over whole (an
// ArrayBuffer moved to the writer's thread, not copied). No object per datagram.
//
//   u32 sender id | u32 payload length | u32 ms since the batch began | payload
//
// What else crosses with a batch (new senders' names, drop counts) is in `BatchMessage`.

export const ENTRY_HEADER = 12;
/** A batch's size: a 5 ms batch at 200,000 datagrams/s of ~130 bytes is 140 KB; a UDP
 * payload is at most 65,535 bytes, so any datagram fits an empty batch. */
export const BATCH_BYTES = 1 << 20;

export interface BatchMessage {
  type: 'batch';
  buf: ArrayBuffer;
  /** Bytes of `buf` in use. */
  used: number;
  /** Wall clock (ms) the batch began at; entries count from it. */
  t0: number;
  /** Bytes the batch counts against the receiver's queue (payloads and entry headers): what
   * the writer acknowledges once they are written. */
  queued: number;
  /** Names of the senders with ids `firstId`, `firstId + 1`, ... first seen in this batch. */
  firstId: number;
  names: string[];
  /** [sender id, datagrams] dropped since the last batch because the write queue was full. */
  drops: [number, number][];
}

/** Fills a batch buffer with datagrams. */
export class BatchBuilder {
  buf: Buffer;
  used = 0;
  queued = 0;
  t0 = 0;

  constructor(readonly ab: ArrayBuffer) {
    this.buf = Buffer.from(ab);
  }

  /** False when the datagram does not fit: hand the batch over and start another. */
  add(id: number, now: number, msg: Uint8Array): boolean {
    const end = this.used + ENTRY_HEADER + msg.length;
    if (end > this.buf.length) return false;
    if (this.used === 0) this.t0 = now;
    const b = this.buf;
    const u = this.used;
    b.writeUInt32LE(id, u);
    b.writeUInt32LE(msg.length, u + 4);
    b.writeUInt32LE(Math.min(0xffffffff, now - this.t0), u + 8);
    b.set(msg, u + ENTRY_HEADER);
    this.queued += end - this.used;
    this.used = end;
    return true;
  }
}

/** Each entry of a received batch, in order (`payload` views the batch buffer, valid until
 * the buffer is given back); a header that runs past `used` ends the walk. */
export function forEachEntry(m: Pick<BatchMessage, 'buf' | 'used' | 't0'>, f: (id: number, at: number, payload: Buffer) => void): void {
  const b = Buffer.from(m.buf, 0, m.used);
  for (let off = 0; off + ENTRY_HEADER <= m.used; ) {
    const len = b.readUInt32LE(off + 4);
    const start = off + ENTRY_HEADER;
    if (len > m.used - start) return;
    f(b.readUInt32LE(off), m.t0 + b.readUInt32LE(off + 8), b.subarray(start, start + len));
    off = start + len;
  }
}
