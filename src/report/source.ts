// How a SourceRef reads in human output: "pstore/dmesg-erst-12+0x1f0 (part 2)".
import { relative } from 'node:path';
import type { SourceRef } from '../model/index.js';

export function formatSource(s: SourceRef, cwd = process.cwd()): string {
  const rel = relative(cwd, s.path);
  const path = rel.startsWith('..') && rel.split('/').filter((p) => p === '..').length > 2 ? s.path : rel || s.path;
  let out = path;
  if (s.offset !== undefined) out += `+0x${s.offset.toString(16)}`;
  if (s.part !== undefined) out += ` part ${s.part}`;
  return out;
}
