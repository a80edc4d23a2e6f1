// The archive: /var/lib/crashlog/<id>/{pstore,efivars,bert}/<records>, manifest.json,
// report.txt, report.json. An entry appears whole or not at all (staging.ts builds it).
// Nothing is ever read or written through a symbolic link.
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, fsyncDir, readNoFollow, realFs, writeDurable, type FsOps } from './fsops.js';
import { cleanLeftovers, MARKER, markerText, removeOwnFolder, STAGING, stagingName, type Leftover } from './leftovers.js';
import { ENTRY_ID } from './names.js';
import { MANIFEST, MAX_MANIFEST_BYTES, parseManifest, type Manifest } from './manifest.js';
import { SOURCE_KINDS, type SourceNote } from './sources.js';
import { openTrustedDir } from './trust.js';
import { ApplicationError, messageOf } from '../util/errors.js';

export const DEFAULT_ARCHIVE = '/var/lib/crashlog';

export interface ArchiveEntry {
  id: string;
  dir: string;
  manifest: Manifest;
}

export interface ArchiveScan {
  entries: ArchiveEntry[];
  /** Leftovers of a collector that was stopped: staging folders and temporary files. */
  leftovers: Leftover[];
  notes: string[];
}

function lstatOrUndefined(f: FsOps, path: string): Stats | undefined {
  try {
    return f.lstatSync(path);
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * The archive folder, resolved without following links and trusted (see trust.ts), made
 * (0700) when `create`; its absolute path, or undefined when there is none.
 */
export function openArchive(f: FsOps, dir: string, create: boolean): string | undefined {
  return openTrustedDir(f, dir, create);
}

export function scanArchive(f: FsOps, dir: string): ArchiveScan {
  const scan: ArchiveScan = { entries: [], leftovers: [], notes: [] };
  for (const name of (f.readdirSync(dir) as string[]).sort()) {
    const path = join(dir, name);
    if (name.startsWith(STAGING)) {
      scan.leftovers.push({ path, name, inEntry: false });
      continue;
    }
    if (!ENTRY_ID.test(name)) continue;
    const st = f.lstatSync(path);
    if (!st.isDirectory()) {
      scan.notes.push(`${path}: ${st.isSymbolicLink() ? 'a symbolic link' : 'not a folder'} where an entry should be; ignored`);
      continue;
    }
    try {
      const text = readNoFollow(f, join(path, MANIFEST), MAX_MANIFEST_BYTES).bytes.toString('utf8');
      scan.entries.push({ id: name, dir: path, manifest: parseManifest(text, join(path, MANIFEST), name) });
      // A report file being rewritten when its collector was stopped; a marker not yet removed.
      for (const inner of f.readdirSync(path) as string[]) {
        if (inner.startsWith(STAGING) || inner === MARKER) scan.leftovers.push({ path: join(path, inner), name: inner, inEntry: true });
      }
    } catch (err) {
      scan.notes.push(`${path}: entry without a valid manifest (${messageOf(err)}); ignored, nothing in it trusted or removed`);
    }
  }
  return scan;
}

export { cleanLeftovers };

/** Write (or rewrite) a file of an existing entry durably. */
export function writeEntryFile(f: FsOps, entryDir: string, name: string, text: string): void {
  writeDurable(f, join(entryDir, name), Buffer.from(text));
  fsyncDir(f, entryDir);
}

/**
 * The record folders (and the BERT file) of one entry, as inputs for analyze(). The readers
 * open what is in them: anything there that is not a regular file (a FIFO would hang them)
 * makes the entry refused.
 */
export function entryInputs(f: FsOps, entryDir: string): string[] {
  const out: string[] = [];
  for (const kind of SOURCE_KINDS) {
    const p = kind === 'bert' ? join(entryDir, 'bert', 'BERT') : join(entryDir, kind);
    const st = lstatOrUndefined(f, p);
    if (!st) continue;
    if (kind === 'bert' ? !st.isFile() : !st.isDirectory()) throw new ApplicationError(`${p}: not a ${kind === 'bert' ? 'regular file' : 'folder'}; the entry is not read`, 1);
    if (kind !== 'bert') {
      // Each entry's type as the directory says it (no lstat per record of a 10,000-record entry).
      for (const e of f.readdirSync(p, { withFileTypes: true })) {
        if (!e.isFile()) throw new ApplicationError(`${join(p, e.name)}: not a regular file; the entry is not read`, 1);
      }
    }
    out.push(p);
  }
  return out;
}

/** The oldest entries beyond the newest `keep` (keep 0: keep all). */
export function entriesToPrune<E extends Pick<ArchiveEntry, 'id' | 'dir'>>(entries: E[], keep: number): E[] {
  if (keep <= 0 || entries.length <= keep) return [];
  return [...entries].sort((a, b) => a.id.localeCompare(b.id)).slice(0, entries.length - keep);
}

/**
 * Remove entries: each is first marked as collect's own and renamed to a staging name (one
 * atomic step, so a kill never leaves half an entry that still looks like one), then
 * removed without recursion through anything collect does not make; leftovers go on the next run.
 */
export function removeEntries(f: FsOps, archiveDir: string, old: Pick<ArchiveEntry, 'id' | 'dir'>[], notes: SourceNote[]): string[] {
  if (old.length === 0) return [];
  const doomed = old.map((e) => {
    writeDurable(f, join(e.dir, MARKER), Buffer.from(markerText('pruned', e.id)));
    const to = join(archiveDir, stagingName('pruned', e.id));
    f.renameSync(e.dir, to);
    return to;
  });
  fsyncDir(f, archiveDir);
  for (const d of doomed) {
    try {
      removeOwnFolder(f, d);
    } catch (err) {
      notes.push({ path: d, message: `${d}: a pruned entry not wholly removed (${messageOf(err)}); the next collect moves it aside`, error: true });
    }
  }
  return old.map((e) => e.id);
}

/**
 * Paths of the archived record folders, for `crashlog report --archive [ID]`: of the entry
 * `id` (or a unique prefix of it), or of every entry, oldest first.
 */
export async function archiveInputs(archiveDir: string, id?: string, f: FsOps = realFs): Promise<string[]> {
  const dir = openArchive(f, archiveDir, false);
  if (!dir) throw new ApplicationError(`no archive at ${archiveDir} (run crashlog collect first)`, 1);
  const { entries } = scanArchive(f, dir);
  let chosen = entries;
  if (id !== undefined) {
    chosen = entries.filter((e) => e.id === id || e.id.startsWith(id));
    if (chosen.length === 0) throw new ApplicationError(`no archive entry ${id} in ${dir} (see crashlog list)`, 1);
    if (chosen.length > 1 && !chosen.some((e) => e.id === id)) {
      throw new ApplicationError(`${id} names ${chosen.length} archive entries; give more of the id`, 2);
    }
    chosen = chosen.filter((e) => e.id === id).length ? chosen.filter((e) => e.id === id) : chosen;
  }
  return chosen.flatMap((e) => entryInputs(f, e.dir));
}
