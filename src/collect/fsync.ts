// The fsync of a new entry's record copies, started as soon as they are written and waited
// for just before the entry is renamed into place. Durability stays per file: every copy is
// fsync'd and its error seen before the entry appears and before any source is removed.
// (syncfs(2) would flush them all in one call, but it reports a write-back error only from
// Linux 5.8, commit 735e4ae5ba28 "vfs: track per-sb writeback errors and report them to
// syncfs"; before that a failed write would pass unseen, and the source be deleted.)
//
// What changes is when they run. Meanwhile this thread is busy reading the staged copies for
// the verdict and seldom returns to its event loop, so fsyncs chained from here would wait for
// it; a worker thread chains them on its own loop, FSYNC_PARALLEL at a time (a journaling
// filesystem commits concurrent fsyncs together). The worker is plain JavaScript given as
// text, so it runs the same from tsc's output and from the one-file bundle. With an injected
// FsOps (the tests' faults, the kill test's slow steps) or a few files, they run here.
import { Worker } from 'node:worker_threads';
import { constants } from 'node:fs';
import { fsyncAll, realFs, type FsOps } from './fsops.js';

/** Files fsync'd at once: enough to keep libuv's 4 threads busy. */
const FSYNC_PARALLEL = 16;
/** Fewer files than this are fsync'd on this thread (a worker costs ~20 ms and ~10 MB to start). */
const WORKER_MIN_FILES = 256;

const WORKER_SOURCE = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const { paths, parallel, flags } = workerData;
let next = 0;
let failed = null;
const fail = (path, err) => { failed ??= { path, code: err.code, message: err.message }; };
const one = (path) => new Promise((done) => fs.open(path, flags, (err, fd) => {
  if (err) { fail(path, err); return done(); }
  fs.fsync(fd, (syncErr) => fs.close(fd, (closeErr) => { if (syncErr || closeErr) fail(path, syncErr || closeErr); done(); }));
}));
const lane = async () => { while (failed === null && next < paths.length) await one(paths[next++]); };
Promise.all(Array.from({ length: Math.min(parallel, paths.length) }, lane)).then(() => parentPort.postMessage(failed));
`;

/** fsync every file; resolves to the first error (with its errno code), or undefined. Never rejects. */
export function fsyncInBackground(f: FsOps, paths: string[]): Promise<Error | undefined> {
  if (f !== realFs || paths.length < WORKER_MIN_FILES) return here(f, paths);
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { paths, parallel: FSYNC_PARALLEL, flags: constants.O_RDONLY | constants.O_NOFOLLOW } });
  } catch {
    return here(f, paths); // no worker threads here (resource limits): the same fsyncs, on this thread
  }
  return new Promise((resolve) => {
    worker.once('message', (m: { path: string; code?: string; message: string } | null) => {
      resolve(m ? Object.assign(new Error(m.message), { code: m.code, path: m.path }) : undefined);
    });
    worker.once('error', (err) => resolve(err));
    worker.once('exit', (code) => resolve(new Error(`the fsync worker stopped (exit ${code}) before it was done`)));
  });
}

function here(f: FsOps, paths: string[]): Promise<Error | undefined> {
  return fsyncAll(f, paths).then(
    () => undefined,
    (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
  );
}
