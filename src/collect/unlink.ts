// The destructive step, last: a record leaves its source only when a complete copy is in the
// archive (written and synced by this run, or read back now and its sha256 checked), or when
// `keep` pruned its entry on purpose (then its hash is remembered in .pruned).
import { errnoOf, readNoFollow, type FsOps } from './fsops.js';
import { sha256 } from './names.js';
import type { SourceNote, SourceRecord } from './sources.js';
import { messageOf } from '../util/errors.js';

export interface Archived {
  /** Hashes of the records this run wrote (and fsync'd) itself. */
  written: Set<string>;
  /** Hash -> the archive copy of a record that an earlier run wrote. */
  earlier: Map<string, string>;
  /** Hashes of records whose entry was pruned. */
  pruned: Set<string>;
}

/** Why the archive copy of `r` cannot be trusted, or undefined when it can. */
function copyProblem(f: FsOps, r: SourceRecord, a: Archived): string | undefined {
  if (a.written.has(r.sha256) || a.pruned.has(r.sha256)) return undefined;
  const copy = a.earlier.get(r.sha256);
  if (copy === undefined) return 'not archived';
  try {
    if (sha256(readNoFollow(f, copy).bytes) === r.sha256) return undefined;
    return `its archived copy ${copy} does not match its sha256`;
  } catch (err) {
    return `its archived copy cannot be read (${messageOf(err)})`;
  }
}

export function unlinkArchived(f: FsOps, records: SourceRecord[], a: Archived, notes: SourceNote[]): string[] {
  const done: string[] = [];
  for (const r of records) {
    if (r.kind === 'bert') continue; // a firmware table, not ours to remove
    const problem = copyProblem(f, r, a);
    if (problem === 'not archived') continue;
    if (problem) {
      notes.push({ path: r.path, message: `${r.path}: ${problem}; left in place`, error: true });
      continue;
    }
    try {
      // Remove only the very file that was archived: same inode, size and time as when read.
      const now = f.lstatSync(r.path);
      if (!now.isFile() || now.ino !== r.stat.ino || now.size !== r.stat.size || now.mtimeMs !== r.stat.mtimeMs) {
        notes.push({ path: r.path, message: `${r.path} changed since it was read; left in place`, error: false });
        continue;
      }
      f.unlinkSync(r.path);
      done.push(r.path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') continue; // erased already (an efi record removed through pstore)
      notes.push({ path: r.path, message: `cannot remove ${r.path} after archiving it: ${messageOf(err)}`, error: true });
    }
  }
  return done;
}
