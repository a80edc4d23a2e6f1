// One collector at a time per archive: an flock(2) on "<archive>/.lock". The kernel holds
// the lock for the open file, so a collector that dies (kill -9, power cut) releases it; a
// pid written in a file can be forged or reused (a ".lock" naming pid 1 with its start time
// looked alive forever), a lock the kernel holds cannot. The file's content is only for
// the message a second collector prints.
//
// Node has no flock(), so the helper flock(1) (util-linux, busybox) takes it on our own
// descriptor, inherited as its fd 3: a flock belongs to the open file description, which
// the helper shares with us, so the lock stays ours after the helper exits and goes when
// this process closes the file or dies.
//
// The lock file is removed on release. A second collector that opened the old file before
// the removal may then lock an unlinked file: so the lock counts only when the name still
// leads to the very file locked (same device and inode), else it is taken again.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, FILE_MODE, type FsOps } from './fsops.js';
import { ApplicationError, messageOf } from '../util/errors.js';

export const LOCK_NAME = '.lock';
const { O_RDWR, O_CREAT, O_NOFOLLOW, O_NONBLOCK } = constants;
/** Tries before giving up on a held lock: a killed collector's helper may hold it for a moment. */
const ATTEMPTS = 5;
const RETRY_MS = 100;
const MAX_LOCK_CONTENT = 256;
/** Times the lock file may be replaced under us before giving up (each replacement is a finished run). */
const MAX_REOPEN = 20;

export interface HeldLock {
  release(): void;
}

/** Try flock(LOCK_EX|LOCK_NB) on `fd`: true taken, false held by another. */
function tryFlock(fd: number, path: string): boolean {
  const r = spawnSync('flock', ['-n', '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], timeout: 10_000 });
  if (r.error) {
    const why = errnoOf(r.error) === 'ENOENT' ? 'flock(1) (util-linux or busybox) is not on PATH' : messageOf(r.error);
    throw new ApplicationError(`cannot lock ${path}: ${why}`, 1);
  }
  if (r.status === 0) return true;
  if (r.status === 1) return false;
  throw new ApplicationError(`cannot lock ${path}: flock(1) exited ${r.status ?? r.signal}: ${String(r.stderr).trim()}`, 1);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** What the holder wrote ("pid N"), for the message; nothing when unreadable. */
function holderOf(f: FsOps, fd: number): string {
  try {
    const buf = Buffer.alloc(MAX_LOCK_CONTENT);
    const n = f.readSync(fd, buf, 0, buf.length, 0);
    const pid = /^(\d{1,10})\s/.exec(buf.subarray(0, n).toString('latin1'))?.[1];
    return pid ? ` (pid ${pid})` : '';
  } catch {
    return '';
  }
}

function sameFile(f: FsOps, fd: number, path: string): boolean {
  try {
    const a = f.fstatSync(fd);
    const b = f.lstatSync(path);
    return a.dev === b.dev && a.ino === b.ino;
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return false;
    throw err;
  }
}

export function acquireLock(f: FsOps, archiveDir: string): HeldLock {
  const path = join(archiveDir, LOCK_NAME);
  for (let attempt = 1, reopened = 0; reopened < MAX_REOPEN; attempt++) {
    let fd: number;
    try {
      fd = f.openSync(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK, FILE_MODE);
    } catch (err) {
      if (errnoOf(err) === 'ELOOP') throw new ApplicationError(`the lock ${path} is not a plain file (a symbolic link); remove it by hand`, 1);
      const hint = errnoOf(err) === 'EACCES' && process.geteuid?.() !== 0 ? ' (this archive is not yours to write: run collect as its owner, or name a folder of your own with --archive)' : '';
      throw new ApplicationError(`cannot create the lock ${path}: ${messageOf(err)}${hint}`, 1);
    }
    let held = false;
    try {
      if (!f.fstatSync(fd).isFile()) throw new ApplicationError(`the lock ${path} is not a plain file; remove it by hand`, 1);
      if (!tryFlock(fd, path)) {
        if (attempt < ATTEMPTS) {
          reopened = 0;
          sleep(RETRY_MS);
          continue;
        }
        throw new ApplicationError(`another crashlog collect${holderOf(f, fd)} is running on ${archiveDir}`, 75);
      }
      if (!sameFile(f, fd, path)) {
        reopened++; // released and removed meanwhile: lock the new file
        continue;
      }
      try {
        f.fchmodSync(fd, FILE_MODE);
        f.ftruncateSync(fd, 0);
        f.writeSync(fd, `${process.pid}\n`, 0);
      } catch (err) {
        f.unlinkSync(path); // ours, and locked: nobody else is using it
        throw new ApplicationError(`cannot create the lock ${path}: ${messageOf(err)}`, 1);
      }
      held = true;
      const lockFd = fd;
      return {
        release() {
          try {
            f.unlinkSync(path); // while still locked: the next collector makes a new one
          } catch {
            /* already gone: nothing to remove */
          }
          f.closeSync(lockFd);
        },
      };
    } finally {
      if (!held) f.closeSync(fd);
    }
  }
  throw new ApplicationError(`could not take the lock ${path}: it was replaced ${MAX_REOPEN} times while taking it`, 75);
}
