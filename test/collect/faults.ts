// An fs seam that fails on purpose: a full disk, a read-only archive, a listing with
// names no real filesystem would give, a source only root may read.
import * as fs from 'node:fs';
import type { FsOps } from '../../src/collect/index.js';

const errno = (code: string, msg: string) => Object.assign(new Error(`${code}: ${msg}`), { code });

/** Writes fail with ENOSPC once `budget` bytes were written. */
export function fullDisk(budget: number): FsOps {
  let left = budget;
  return {
    ...fs,
    writeSync: ((fd: number, buf: Uint8Array | string, ...rest: unknown[]) => {
      const n = typeof buf === 'string' ? Buffer.byteLength(buf) : ((rest[1] as number | undefined) ?? buf.length);
      if (n > left) throw errno('ENOSPC', 'no space left on device, write');
      left -= n;
      return (fs.writeSync as (...a: unknown[]) => number)(fd, buf, ...rest);
    }) as FsOps['writeSync'],
  };
}

/** Anything that creates a file or folder under `root` fails with EROFS. */
export function readOnly(root: string): FsOps {
  const under = (p: fs.PathLike) => String(p).startsWith(root);
  return {
    ...fs,
    openSync: ((p: fs.PathLike, flags: number, mode?: number) => {
      if (under(p) && typeof flags === 'number' && flags & fs.constants.O_CREAT) throw errno('EROFS', `read-only file system, open '${p}'`);
      return fs.openSync(p, flags, mode);
    }) as FsOps['openSync'],
    mkdirSync: ((p: fs.PathLike, o?: fs.MakeDirectoryOptions) => {
      if (under(p)) throw errno('EROFS', `read-only file system, mkdir '${p}'`);
      return fs.mkdirSync(p, o);
    }) as FsOps['mkdirSync'],
  };
}

/** readdir of `dir` also lists `extra` names (which a real filesystem could not hold), as regular files. */
export function extraNames(dir: string, extra: string[]): FsOps {
  return {
    ...fs,
    readdirSync: ((p: fs.PathLike, o?: { withFileTypes?: boolean }) => {
      const names = (fs.readdirSync as (p: fs.PathLike, o?: unknown) => unknown[])(p, o);
      if (String(p) !== dir) return names;
      const more = o?.withFileTypes ? extra.map((name) => ({ name, isFile: () => true, isSymbolicLink: () => false, isDirectory: () => false })) : extra;
      return [...names, ...more];
    }) as FsOps['readdirSync'],
  };
}

/** `dir` and what is in it answer EACCES, as /sys/fs/pstore does to a user. */
export function noAccess(dir: string): FsOps {
  const denied = (p: fs.PathLike) => String(p) === dir || String(p).startsWith(dir + '/');
  const wrap = <K extends 'lstatSync' | 'readdirSync' | 'openSync'>(k: K) =>
    ((p: fs.PathLike, ...rest: unknown[]) => {
      if (denied(p)) throw errno('EACCES', `permission denied, ${k} '${p}'`);
      return (fs[k] as (...a: unknown[]) => unknown)(p, ...rest);
    }) as unknown as FsOps[K];
  return { ...fs, lstatSync: wrap('lstatSync'), readdirSync: wrap('readdirSync'), openSync: wrap('openSync') };
}
