// Where a record came from, as the page shows it: the path relative to the report's own
// folder (a bundle) or as given (a page printed to stdout has no folder), byte offset,
// record id and part. Never relative to where the command ran: the page travels.
import type { SourceRef } from '../../model/index.js';

export type PathOf = (path: string) => string;

export const asGiven: PathOf = (p) => p;

export function sourceText(s: SourceRef, pathOf: PathOf): string {
  let out = pathOf(s.path);
  if (s.offset !== undefined) out += ` +0x${s.offset.toString(16)}`;
  if (s.id !== undefined && s.id !== '') out += ` id ${s.id}`;
  if (s.part !== undefined) out += ` part ${s.part}`;
  return `${out} (${s.backend})`;
}

/** The same record: path and backend, and each of offset, id, part where both say. */
export function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.path === b.path && a.backend === b.backend &&
    (a.offset === undefined || b.offset === undefined || a.offset === b.offset) &&
    (a.id === undefined || b.id === undefined || a.id === b.id) &&
    (a.part === undefined || b.part === undefined || a.part === b.part);
}
