// Records whose archive entry `keep` pruned while they were still in their source (collect
// ran without --unlink). Without this memory each boot would archive them anew, print their
// old verdict as a new crash, and prune them again. ".pruned" holds one sha256 a line and only
// the hashes still seen in a source, so it stays as small as the sources are.
import { join } from 'node:path';
import { errnoOf, fsyncDir, readNoFollow, writeDurable, type FsOps } from './fsops.js';
import { ApplicationError, messageOf } from '../util/errors.js';

export const PRUNED = '.pruned';
/** 100,000 hashes at 65 bytes. */
const MAX_PRUNED_BYTES = 6_500_000;
const HASH = /^[0-9a-f]{64}$/;

/** The remembered hashes; a missing file is none, a damaged line is skipped. */
export function readPruned(f: FsOps, archiveDir: string): Set<string> {
  try {
    const text = readNoFollow(f, join(archiveDir, PRUNED), MAX_PRUNED_BYTES).bytes.toString('latin1');
    return new Set(text.split('\n').filter((l) => HASH.test(l)));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return new Set();
    const what = errnoOf(err) === 'ELOOP' ? 'a symbolic link, not followed' : messageOf(err);
    throw new ApplicationError(`cannot read ${join(archiveDir, PRUNED)}: ${what} (remove it by hand: the pruned entries may then be archived once more)`, 1);
  }
}

/** Replace the file durably when its content changes; remove it when empty. */
export function writePruned(f: FsOps, archiveDir: string, before: Set<string>, after: Set<string>): void {
  if (before.size === after.size && [...after].every((h) => before.has(h))) return;
  const path = join(archiveDir, PRUNED);
  if (after.size === 0) {
    f.unlinkSync(path);
  } else {
    writeDurable(f, path, Buffer.from([...after].sort().join('\n') + '\n'));
  }
  fsyncDir(f, archiveDir);
}
