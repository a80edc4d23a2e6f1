// Names that collect writes into the archive. Record names come from directories the
// kernel fills (pstore, efivarfs), but a copy or a hostile mount can hold anything, so a
// name is used only when it is plainly safe; anything else stays where it is.
import { createHash } from 'node:crypto';

/** Longest record name kept (leaves room for ".tmp-<pid>-" within NAME_MAX 255). */
export const MAX_NAME_BYTES = 200;
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.,:+=@-]*$/;

/** Why a name from the input cannot be used as an archive file name, or undefined if it can. */
export function unsafeNameReason(name: string): string | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0) return 'empty name';
  if (bytes > MAX_NAME_BYTES) return `name is ${bytes} bytes (at most ${MAX_NAME_BYTES})`;
  if (name.includes('/') || name.includes('\0')) return 'name holds a path separator';
  if (name === '.' || name === '..' || name.includes('..')) return 'name holds ".."';
  if (!SAFE_NAME.test(name)) return 'name holds characters outside [A-Za-z0-9_.,:+=@-]';
  return undefined;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Entry ids: "20261122T234500Z-1a2b3c4d" (UTC time of the newest record, then a content hash). */
export const ENTRY_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/**
 * A stable, sortable id for an archive entry: the same records always give the same id,
 * and ids sort by the time the records were written.
 */
export function entryId(time: Date, recordHashes: string[]): string {
  const t = time.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${t}-${sha256([...recordHashes].sort().join('\n')).slice(0, 8)}`;
}
