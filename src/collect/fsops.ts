// The filesystem seam of the collector. Every call collect makes to the filesystem goes
// through an `FsOps`, so tests can inject a full disk or a failing rename, and the fault
// test can slow each step down. Synchronous on purpose: collect is a short batch job at
// boot, and a synchronous step is never half-issued when the process is killed.
import * as fs from 'node:fs';
import { dirname } from 'node:path';

export type FsOps = Pick<
  typeof fs,
  | 'openSync' | 'closeSync' | 'readSync' | 'writeSync' | 'fsyncSync' | 'fstatSync' | 'lstatSync'
  | 'readdirSync' | 'mkdirSync' | 'renameSync' | 'unlinkSync' | 'rmdirSync' | 'fchmodSync' | 'ftruncateSync'
  | 'open' | 'fsync' | 'close'
>;

export const realFs: FsOps = fs;

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_DIRECTORY, O_NONBLOCK } = fs.constants;

/** Largest file collect copies (a pstore record, an EFI variable, the BERT table). */
export const MAX_COPY_BYTES = 64 * 1024 * 1024;
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Bytes read at a time. One buffer serves every read: records are a few KiB each and come
 * by the thousand, and a fresh 64 KiB buffer per file was most of what collect allocated. */
const READ_CHUNK = 64 * 1024;
const scratch = Buffer.allocUnsafe(READ_CHUNK);

/** An error with an errno code (ENOENT, EACCES, ...), or undefined. */
export function errnoOf(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * Read a regular file whole, never through a symbolic link (O_NOFOLLOW), refusing
 * anything that is not a regular file or is larger than `max`. O_NONBLOCK: a FIFO or a
 * device planted under a file's name opens at once (instead of waiting for a writer
 * forever) and is then refused by what fstat says of the open descriptor.
 */
export function readNoFollow(f: FsOps, path: string, max = MAX_COPY_BYTES): { bytes: Buffer; stat: fs.Stats } {
  const fd = f.openSync(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  try {
    const stat = f.fstatSync(fd);
    if (!stat.isFile()) throw Object.assign(new Error(`${path}: not a regular file`), { code: 'EINVAL' });
    if (stat.size > max) throw Object.assign(new Error(`${path}: larger than ${max} bytes`), { code: 'EFBIG' });
    // sysfs/efivarfs files may report a size that is not their length: read to EOF, bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const room = Math.min(READ_CHUNK, max + 1 - total);
      if (room === 0) throw Object.assign(new Error(`${path}: larger than ${max} bytes`), { code: 'EFBIG' });
      const n = f.readSync(fd, scratch, 0, room, total);
      if (n === 0) break;
      chunks.push(Buffer.from(scratch.subarray(0, n)));
      total += n;
    }
    return { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total), stat };
  } finally {
    f.closeSync(fd);
  }
}

/** fsync a directory, so the names created or removed in it are on disk. */
export function fsyncDir(f: FsOps, dir: string): void {
  const fd = f.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    f.fsyncSync(fd);
  } finally {
    f.closeSync(fd);
  }
}

/** Write `bytes` to a new file `path` (O_EXCL, O_NOFOLLOW, 0600), not yet synced. A failed write removes it. */
export function writeExclusive(f: FsOps, path: string, bytes: Uint8Array): void {
  const fd = f.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, FILE_MODE);
  try {
    f.fchmodSync(fd, FILE_MODE); // the umask may have taken bits away, never added: still set it
    let off = 0;
    while (off < bytes.length) off += f.writeSync(fd, bytes, off, bytes.length - off);
  } catch (err) {
    f.closeSync(fd);
    try {
      f.unlinkSync(path);
    } catch {
      /* the write error is the one to report */
    }
    throw err;
  }
  f.closeSync(fd);
}

/** Write `bytes` under a new temporary name beside `path` (see writeExclusive); returns that name. */
export function writeTemp(f: FsOps, path: string, bytes: Uint8Array): string {
  const tmp = `${dirname(path)}/.tmp-${process.pid}-${path.slice(dirname(path).length + 1)}`;
  writeExclusive(f, tmp, bytes);
  return tmp;
}

/** Write `bytes` to `path` durably: temporary name, fsync, rename. The caller fsyncs the folder. */
export function writeDurable(f: FsOps, path: string, bytes: Uint8Array): void {
  const tmp = writeTemp(f, path, bytes);
  const fd = f.openSync(tmp, O_RDONLY | O_NOFOLLOW);
  try {
    f.fsyncSync(fd);
  } finally {
    f.closeSync(fd);
  }
  f.renameSync(tmp, path);
}

/** Files fsync'd at once in fsyncAll: a journaling filesystem commits them together. */
const FSYNC_PARALLEL = 16;

/** fsync many files, several at a time (10,000 one by one take seconds). */
export async function fsyncAll(f: FsOps, paths: string[]): Promise<void> {
  const one = (path: string) =>
    new Promise<void>((resolve, reject) => {
      f.open(path, O_RDONLY | O_NOFOLLOW, (err, fd) => {
        if (err) return reject(err);
        f.fsync(fd, (syncErr) => f.close(fd, (closeErr) => (syncErr || closeErr ? reject(syncErr ?? closeErr) : resolve())));
      });
    });
  let next = 0;
  const worker = async () => {
    while (next < paths.length) await one(paths[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(FSYNC_PARALLEL, paths.length) }, worker));
}

/**
 * mkdir 0700 whatever the umask: under umask 0777 a folder made 0000 could not even be
 * opened by a user to chmod it, so the umask is 0077 for the one call (where a worker
 * thread may not set it, the chmod after is what makes it 0700).
 */
export function mkdirMode(f: FsOps, path: string): void {
  let old: number | undefined;
  try {
    old = process.umask(0o077);
  } catch {
    /* not settable here */
  }
  try {
    f.mkdirSync(path, { mode: DIR_MODE });
  } finally {
    if (old !== undefined) process.umask(old);
  }
}

/**
 * mkdir with 0700 that fails on anything already there (a symlink planted in its place
 * included), then chmod 0700 on the open folder: the umask may have taken bits away.
 */
export function mkdirPrivate(f: FsOps, path: string): void {
  mkdirMode(f, path);
  const fd = f.openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    f.fchmodSync(fd, DIR_MODE);
  } finally {
    f.closeSync(fd);
  }
}

/** Write a new small file (O_EXCL, O_NOFOLLOW, 0600) in one write: a kill leaves it whole or empty. */
export function writeNew(f: FsOps, path: string, text: string): void {
  const fd = f.openSync(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, FILE_MODE);
  try {
    f.fchmodSync(fd, FILE_MODE);
    f.writeSync(fd, text);
    f.fsyncSync(fd);
  } finally {
    f.closeSync(fd);
  }
}
