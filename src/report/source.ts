// How a SourceRef reads in human output: "pstore/dmesg-erst-12+0x1f0 (part 2)".
import { relative } from 'node:path';
import type { SourceRef } from '../model/index.js';

/** Paths as shown, per working directory: a timeline shows one path on 400,000 lines. */
const shown = new Map<string, Map<string, string>>();

function showPath(path: string, cwd: string): string {
  let byPath = shown.get(cwd);
  if (!byPath) shown.set(cwd, (byPath = new Map()));
  let out = byPath.get(path);
  if (out === undefined) {
    // Relative to where the command runs, unless that is far away or the root (a service's
    // saved report.txt would say "var/lib/..."): then as given.
    const rel = relative(cwd, path);
    out = cwd === '/' || (rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 2) ? path : rel || path;
    byPath.set(path, out);
  }
  return out;
}

export function formatSource(s: SourceRef, cwd = process.cwd()): string {
  let out = showPath(s.path, cwd);
  if (s.offset !== undefined) out += `+0x${s.offset.toString(16)}`;
  if (s.part !== undefined) out += ` part ${s.part}`;
  return out;
}
