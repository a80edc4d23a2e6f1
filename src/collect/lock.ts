// One collector at a time per archive: a lockfile ".lock" holding "pid starttime". It is
// written whole under a temporary name and hard-linked into place (link fails if the lock
// exists), so a lock is never seen half-written. The start time (field 22 of
// /proc/<pid>/stat) tells a live holder from a reused pid; a lock whose holder is gone
// (killed, power cut) is taken over.
import { constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, FILE_MODE, readNoFollow, type FsOps } from './fsops.js';
import { ApplicationError, messageOf } from '../util/errors.js';

export const LOCK_NAME = '.lock';
const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants;

function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // The command name (field 2) may hold spaces and parentheses: count from the last ")".
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function holderAlive(content: string): { pid: number; alive: boolean } {
  const [pidText, start] = content.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, alive: false };
  const now = startTime(pid);
  return { pid, alive: now !== undefined && (start === undefined || start === now) };
}

export interface HeldLock {
  release(): void;
}

/** The lock's content under a temporary name (".tmp-" leftovers are cleaned by the next holder). */
function writeCandidate(f: FsOps, archiveDir: string): string {
  const tmp = join(archiveDir, `.tmp-lock-${process.pid}`);
  try {
    f.unlinkSync(tmp);
  } catch {
    /* none left from an earlier life of this pid */
  }
  const fd = f.openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, FILE_MODE);
  try {
    f.writeSync(fd, `${process.pid} ${startTime(process.pid) ?? ''}\n`);
    f.fsyncSync(fd);
  } catch (err) {
    f.closeSync(fd);
    f.unlinkSync(tmp);
    throw err;
  }
  f.closeSync(fd);
  return tmp;
}

export function acquireLock(f: FsOps, archiveDir: string): HeldLock {
  const path = join(archiveDir, LOCK_NAME);
  let tmp: string;
  try {
    tmp = writeCandidate(f, archiveDir);
  } catch (err) {
    const hint = errnoOf(err) === 'EACCES' ? ' (collect runs as root; or name another folder with --archive)' : '';
    throw new ApplicationError(`cannot create the lock ${path}: ${messageOf(err)}${hint}`, 1);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        f.linkSync(tmp, path);
        return {
          release() {
            try {
              f.unlinkSync(path);
            } catch {
              /* already gone: nothing to release */
            }
          },
        };
      } catch (err) {
        if (errnoOf(err) !== 'EEXIST') throw new ApplicationError(`cannot create the lock ${path}: ${messageOf(err)}`, 1);
      }
      let content: string;
      try {
        content = readNoFollow(f, path, 4096).bytes.toString('latin1');
      } catch (err) {
        if (errnoOf(err) === 'ENOENT') continue; // released meanwhile: try again
        throw new ApplicationError(`the lock ${path} is not a plain file (${messageOf(err)}); remove it by hand`, 1);
      }
      const holder = holderAlive(content);
      if (holder.alive && holder.pid !== process.pid) {
        throw new ApplicationError(`another crashlog collect (pid ${holder.pid}) is running on ${archiveDir}`, 75);
      }
      // Stale: its holder is gone. Remove it and try once more to link ours.
      try {
        f.unlinkSync(path);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw new ApplicationError(`cannot remove the stale lock ${path}: ${messageOf(err)}`, 1);
      }
    }
    throw new ApplicationError(`could not take the lock ${path}`, 75);
  } finally {
    try {
      f.unlinkSync(tmp);
    } catch {
      /* the lock itself is what matters */
    }
  }
}
