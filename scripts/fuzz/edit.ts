// Edits of one case's input file, by position: every write keeps the bytes it replaced,
// so a large seed (a real vmcore of 17-270 MB) is changed in place and put back after the
// case instead of copied for each one; the writes made are what a finding keeps.
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export interface Patch { at: number; hex: string }

export class FileEdit {
  private readonly undo: { at: number; before: Buffer }[] = [];
  readonly done: Patch[] = [];
  constructor(readonly path: string) {}

  get size(): number {
    const fd = openSync(this.path, 'r');
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  }

  /** Up to `length` bytes at `at` (fewer at the end of the file). */
  read(at: number, length: number): Buffer {
    const fd = openSync(this.path, 'r');
    try {
      const b = Buffer.alloc(Math.max(0, Math.min(length, fstatSync(fd).size - at)));
      readSync(fd, b, 0, b.length, at);
      return b;
    } finally {
      closeSync(fd);
    }
  }

  /** Overwrite bytes inside the file (never past its end: the file keeps its size). */
  write(at: number, bytes: Uint8Array): void {
    const size = this.size;
    if (at < 0 || at >= size) return;
    const b = Buffer.from(bytes.subarray(0, size - at));
    this.undo.push({ at, before: this.read(at, b.length) });
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, b, 0, b.length, at);
    } finally {
      closeSync(fd);
    }
    this.done.push({ at, hex: b.toString('hex') });
  }

  u32(at: number, v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.write(at, b);
  }

  u64(at: number, v: bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, v));
    this.write(at, b);
  }

  u16(at: number, v: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v & 0xffff);
    this.write(at, b);
  }

  /** Put every byte back, newest write first. */
  revert(): void {
    const fd = openSync(this.path, 'r+');
    try {
      for (const u of this.undo.reverse()) writeSync(fd, u.before, 0, u.before.length, u.at);
    } finally {
      closeSync(fd);
    }
    this.undo.length = 0;
    this.done.length = 0;
  }
}

/** Apply kept patches to a copy of the seed (a finding's replay). */
export function applyPatches(path: string, patches: readonly Patch[]): void {
  const fd = openSync(path, 'r+');
  try {
    for (const p of patches) {
      const b = Buffer.from(p.hex, 'hex');
      writeSync(fd, b, 0, b.length, p.at);
    }
  } finally {
    closeSync(fd);
  }
}
