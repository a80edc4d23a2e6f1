// Whose archive is it? collect writes kernel logs into it as root and deletes pstore records
// on the strength of what it finds there, so it trusts a folder only when nobody but the
// effective user (or root) can change it or any folder above it, as sshd's StrictModes does
// for ~/.ssh: every component owned by the effective user or root and writable by no one
// else; a root-owned sticky folder (/tmp, /var/tmp) is fine above the archive, since there
// nobody may rename or remove what another owns. The path is walked from "/" one component at
// a time, each opened with O_NOFOLLOW|O_DIRECTORY and checked on the open descriptor, so no
// symbolic link is followed anywhere on the way. Once checked, the path cannot change under
// us: only the effective user or root could change it.
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { resolve } from 'node:path';
import { ApplicationError, messageOf } from '../util/errors.js';
import { DIR_MODE, errnoOf, mkdirMode, type FsOps } from './fsops.js';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW, O_NONBLOCK } = constants;
const S_ISVTX = 0o1000;

export function effectiveUid(): number {
  return process.geteuid?.() ?? 0;
}

/** Why `st` (a folder on the way, or the archive itself when `last`) cannot be trusted, or undefined. */
export function untrustedReason(st: Stats, euid: number, last: boolean): string | undefined {
  if (st.uid !== 0 && st.uid !== euid) return `owned by uid ${st.uid}, not by ${euid === 0 ? 'root' : `uid ${euid} or root`}`;
  if ((st.mode & 0o022) === 0) return undefined;
  if (!last && st.uid === 0 && (st.mode & S_ISVTX) !== 0) return undefined;
  return `writable by ${(st.mode & 0o002) !== 0 ? 'others' : 'its group'} (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`;
}

function openDir(f: FsOps, path: string): number {
  return f.openSync(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK);
}

/** The error for a component that could not be opened as a folder. */
function openError(f: FsOps, what: string, path: string, err: unknown): ApplicationError {
  const code = errnoOf(err);
  if (code === 'ELOOP' || code === 'ENOTDIR') {
    let link = code === 'ELOOP';
    try {
      link = f.lstatSync(path).isSymbolicLink();
    } catch {
      /* keep the errno's word for it */
    }
    if (link) return new ApplicationError(`${what} ${path} is a symbolic link; not followed (name the real folder)`, 1);
    return new ApplicationError(`${what} ${path} is not a folder`, 1);
  }
  return new ApplicationError(`cannot open ${what} ${path}: ${messageOf(err)}`, 1);
}

function failedCreate(dir: string, err: unknown, euid: number): ApplicationError {
  const hint = errnoOf(err) === 'EACCES' || errnoOf(err) === 'EPERM'
    ? euid === 0 ? '' : ' (as a user, name a folder of your own with --archive)'
    : '';
  return new ApplicationError(`cannot create the archive ${dir}: ${messageOf(err)}${hint}`, 1);
}

/**
 * Resolve `dir` without following symbolic links and check that the effective user can
 * trust it. Returns the absolute path, or undefined when it does not exist and `create` is
 * false. With `create`, missing folders are made 0700 (whatever the umask); if that fails
 * half way, the ones made are removed again.
 */
export function openTrustedDir(f: FsOps, dir: string, create: boolean, euid = effectiveUid()): string | undefined {
  const abs = resolve(dir);
  const parts = abs.split('/').filter(Boolean);
  const made: string[] = [];
  let path = '/';
  try {
    for (let i = 0; i <= parts.length; i++) {
      if (i > 0) path = `${path === '/' ? '' : path}/${parts[i - 1]}`;
      const last = i === parts.length;
      const what = last ? 'the archive' : 'the folder above the archive';
      let fd: number;
      try {
        fd = openDir(f, path);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw openError(f, what, path, err);
        if (!create) return undefined;
        try {
          mkdirMode(f, path);
          made.push(path);
          fd = openDir(f, path);
          f.fchmodSync(fd, DIR_MODE); // the umask took bits away (0000 under umask 0777): set them
        } catch (mkErr) {
          if (errnoOf(mkErr) === 'EEXIST') {
            try {
              fd = openDir(f, path);
            } catch (again) {
              throw openError(f, what, path, again);
            }
          } else {
            throw failedCreate(abs, mkErr, euid);
          }
        }
      }
      try {
        const why = untrustedReason(f.fstatSync(fd), euid, last);
        if (why) {
          const whose = last ? `the archive ${abs}` : `${path}, a folder above the archive ${abs},`;
          throw new ApplicationError(`${whose} is ${why}: others could change what collect reads and deletes; not used (make it ${last ? '0700' : 'not writable by others'} and owned by ${euid === 0 ? 'root' : 'you'}, or name another folder with --archive)`, 1);
        }
      } finally {
        f.closeSync(fd);
      }
    }
  } catch (err) {
    for (const m of made.reverse()) {
      try {
        f.rmdirSync(m); // only ever an empty folder this call made
      } catch {
        break;
      }
    }
    throw err;
  }
  return abs;
}
