// Which backend reads each input: every backend probes it, the most confident wins.
// A directory no backend claims is looked into, and each entry is resolved in turn
// (only confident readings count there, so notes and manifests beside the data are left).
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { backendById, backends } from '../../backends/index.js';
import type { Backend } from '../backend.js';
import type { Problem } from '../model/index.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import { makeProbe } from './probe.js';
import { streamInput } from './stream.js';

export interface ResolvedInput {
  path: string;
  backend: Backend;
  confidence: number;
}

/** Least confidence for a file named on the command line, and for one found in a directory. */
const MIN_NAMED = 0.05;
const MIN_FOUND = 0.3;
const MAX_DEPTH = 4;
const MAX_DIR_ENTRIES = 10_000;

function best(scores: { backend: Backend; confidence: number }[]) {
  return scores.reduce<(typeof scores)[number] | undefined>((a, b) => (!a || b.confidence > a.confidence ? b : a), undefined);
}

async function resolveOne(path: string, depth: number, out: ResolvedInput[], problems: Problem[]): Promise<void> {
  const probe = await makeProbe(path, depth === 0);
  const scores = backends.map((backend) => {
    try {
      return { backend, confidence: backend.probe(probe) };
    } catch (err) {
      problems.push({ path, message: `${backend.id} probe failed: ${messageOf(err)}` });
      return { backend, confidence: 0 };
    }
  });
  const top = best(scores);
  const min = depth === 0 ? MIN_NAMED : MIN_FOUND;
  if (top && top.confidence >= min) {
    out.push({ path, backend: top.backend, confidence: top.confidence });
    return;
  }
  if (probe.isDirectory && depth < MAX_DEPTH) {
    const names = (await readdir(path)).sort().slice(0, MAX_DIR_ENTRIES);
    const before = out.length;
    for (const n of names) await resolveOne(join(path, n), depth + 1, out, problems);
    if (depth === 0 && out.length === before) problems.push({ path, message: 'no input crashlog can read in this directory' });
    return;
  }
  if (depth === 0) problems.push({ path, message: 'not a format crashlog reads (try --as BACKEND)' });
}

/** Characters every fast-glob pattern has one of (wildcards, sets, braces, extglobs). */
const GLOB_CHARS = /[*?[\]{}()!@+]/;

/** Paths a glob may stand for, at most (a fleet's /var/crash holds many dumps, not millions). */
const MAX_GLOB_MATCHES = 10_000;

/**
 * A path that does not exist but holds glob characters (`'/var/crash/2026-*'`, quoted so the
 * shell left it) is expanded with fast-glob, sorted, symlinks not followed; one that
 * matches nothing is a problem of its own. A path that exists is taken as it is.
 */
async function expandGlobs(paths: readonly string[], problems: Problem[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    // fast-glob loads only for a path that could be a pattern (none of its special characters: not one).
    const fg = GLOB_CHARS.test(p) && !streamInput(p) ? (await import('fast-glob')).default : undefined;
    if (!fg || !fg.isDynamicPattern(p) || (await lstat(p).then(() => true, () => false))) { out.push(p); continue; }
    const found = (await fg(p, { onlyFiles: false, followSymbolicLinks: false, dot: true, unique: true, suppressErrors: true })).sort();
    if (found.length === 0) problems.push({ path: p, message: 'no file matches this pattern' });
    if (found.length > MAX_GLOB_MATCHES) problems.push({ path: p, message: `${found.length} matches; only the first ${MAX_GLOB_MATCHES} read` });
    out.push(...found.slice(0, MAX_GLOB_MATCHES));
  }
  return out;
}

export async function resolveInputs(paths: string[], as?: string): Promise<{ inputs: ResolvedInput[]; problems: Problem[] }> {
  const inputs: ResolvedInput[] = [];
  const problems: Problem[] = [];
  const forced = as === undefined ? undefined : backendById(as);
  if (as !== undefined && !forced) {
    throw new ApplicationError(`--as ${as}: no such backend (one of: ${backends.map((b) => b.id).join(', ')})`, 2);
  }
  for (const path of await expandGlobs(paths, problems)) {
    try {
      // A symlink named on the command line is followed (readers look at what they are given
      // with lstat, so they get its target); one met inside a directory is not.
      // A stream (stdin, a pipe: src/input/stream.ts) is read under the name it was given.
      const given = streamInput(path) || !(await lstat(path)).isSymbolicLink() ? path : await realpath(path);
      if (forced) inputs.push({ path: given, backend: forced, confidence: 1 });
      else await resolveOne(given, 0, inputs, problems);
    } catch (err) {
      problems.push({ path, message: `cannot read: ${messageOf(err)}` });
    }
  }
  return { inputs, problems };
}
