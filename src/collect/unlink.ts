// The destructive step, last: a record leaves its source only when its copy in this archive
// (in an entry this run wrote, or one an earlier run wrote and a valid manifest names as
// "<kind>/<safe name>" inside that entry) reads back now as a regular file with the same
// sha256, and is not the source file itself; or when `keep` pruned its entry on purpose
// (then its hash is remembered in .pruned, a file only collect writes in a trusted archive).
import { errnoOf, readNoFollow, type FsOps } from './fsops.js';
import { sha256 } from './names.js';
import { NEVER_REMOVED, type SourceNote, type SourceRecord } from './sources.js';
import { messageOf } from '../util/errors.js';

export interface Archived {
  /** Hash -> the record's copy inside an entry of this archive. */
  copies: Map<string, string>;
  /** Hashes of records whose entry was pruned. */
  pruned: Set<string>;
}

/** Why the archive copy of `r` cannot be trusted, or undefined when it can. */
function copyProblem(f: FsOps, r: SourceRecord, a: Archived): string | undefined {
  const copy = a.copies.get(r.sha256);
  if (copy === undefined) return a.pruned.has(r.sha256) ? undefined : 'not archived';
  try {
    const { bytes, stat } = readNoFollow(f, copy);
    if (stat.dev === r.stat.dev && stat.ino === r.stat.ino) return `its archived copy ${copy} is the source file itself`;
    if (sha256(bytes) === r.sha256) return undefined;
    return `its archived copy ${copy} does not match its sha256`;
  } catch (err) {
    return `its archived copy cannot be read (${messageOf(err)})`;
  }
}

export function unlinkArchived(f: FsOps, records: SourceRecord[], a: Archived, notes: SourceNote[]): string[] {
  const done: string[] = [];
  for (const r of records) {
    if (NEVER_REMOVED.has(r.kind)) continue; // a firmware table, systemd-pstore's archive: not ours to remove
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
