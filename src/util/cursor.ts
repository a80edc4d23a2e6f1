// One bounds-checked cursor over bytes for all binary reading. Byte order is fixed when
// the cursor is made; `last` remembers where the previous read started so an error can
// point at the bad value, not at where reading stopped.
import { FormatError } from './errors.js';

export class Cursor {
  private readonly view: DataView;
  pos = 0;
  last = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly path: string,
    /** Offset of bytes[0] in the file, so errors carry file offsets. */
    readonly base = 0,
    readonly littleEndian = true,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  /** File offset of the current position. */
  get fileOffset(): number {
    return this.base + this.pos;
  }

  /** An error at the start of the previous read (or at `at`, a cursor position). */
  error(message: string, at = this.last): FormatError {
    return new FormatError(this.path, this.base + at, message);
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.bytes.length) {
      throw new FormatError(this.path, this.base + this.pos, `expected ${n} bytes, have ${Math.max(0, this.remaining)}`);
    }
  }

  seek(pos: number): this {
    if (pos < 0 || pos > this.bytes.length) throw this.error(`seek to 0x${pos.toString(16)} outside 0x${this.bytes.length.toString(16)} bytes`, this.pos);
    this.pos = pos;
    return this;
  }

  skip(n: number): this {
    this.need(n);
    this.pos += n;
    return this;
  }

  private take(n: number): number {
    this.need(n);
    this.last = this.pos;
    this.pos += n;
    return this.last;
  }

  u8(): number {
    return this.view.getUint8(this.take(1));
  }
  u16(): number {
    return this.view.getUint16(this.take(2), this.littleEndian);
  }
  u32(): number {
    return this.view.getUint32(this.take(4), this.littleEndian);
  }
  i32(): number {
    return this.view.getInt32(this.take(4), this.littleEndian);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.take(8), this.littleEndian);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.take(8), this.littleEndian);
  }
  /** A view (no copy) of the next n bytes. */
  bytesView(n: number): Uint8Array {
    const at = this.take(n);
    return this.bytes.subarray(at, at + n);
  }
  /** Fixed-size string field, cut at the first NUL. */
  cstring(n: number): string {
    const b = this.bytesView(n);
    const nul = b.indexOf(0);
    return Buffer.from(b.buffer, b.byteOffset, nul < 0 ? n : nul).toString('latin1');
  }
  /** A cursor over the next n bytes, sharing the path and file offsets. */
  sub(n: number): Cursor {
    const at = this.take(n);
    return new Cursor(this.bytes.subarray(at, at + n), this.path, this.base + at, this.littleEndian);
  }
}
