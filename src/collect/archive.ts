// The archive: /var/lib/crashlog/<id>/{pstore,efivars,bert}/<records>, manifest.json,
// report.txt, report.json. An entry appears whole or not at all: it is built in
// ".tmp-<id>", every file and folder fsync'd, then renamed into place and the archive
// folder fsync'd. Nothing is ever read or written through a symbolic link.
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { DIR_MODE, errnoOf, fsyncAll, fsyncDir, mkdirPrivate, readNoFollow, realFs, writeDurable, writeTemp, type FsOps } from './fsops.js';
import { ENTRY_ID } from './names.js';
import { MANIFEST, MAX_MANIFEST_BYTES, parseManifest, type Manifest } from './manifest.js';
import { SOURCE_KINDS, type SourceRecord } from './sources.js';
import { ApplicationError, messageOf } from '../util/errors.js';

export const DEFAULT_ARCHIVE = '/var/lib/crashlog';
const STAGING = '.tmp-';

export interface ArchiveEntry {
  id: string;
  dir: string;
  manifest: Manifest;
}

export interface ArchiveScan {
  entries: ArchiveEntry[];
  /** Leftovers of a collector that was stopped: staging folders and temporary files. */
  leftovers: string[];
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

/** Make sure the archive folder exists, is a real folder (not a symlink), and is private. */
export function openArchive(f: FsOps, dir: string, create: boolean): boolean {
  let st: Stats | undefined;
  try {
    st = lstatOrUndefined(f, dir);
    if (!st && create) {
      f.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
      st = f.lstatSync(dir);
    }
  } catch (err) {
    const hint = errnoOf(err) === 'EACCES' ? ' (collect runs as root; or name another folder with --archive)' : '';
    throw new ApplicationError(`cannot create the archive ${dir}: ${messageOf(err)}${hint}`, 1);
  }
  if (!st) return false;
  if (st.isSymbolicLink()) throw new ApplicationError(`the archive ${dir} is a symbolic link; not followed (name the real folder)`, 1);
  if (!st.isDirectory()) throw new ApplicationError(`the archive ${dir} is not a folder`, 1);
  return true;
}

export function scanArchive(f: FsOps, dir: string): ArchiveScan {
  const scan: ArchiveScan = { entries: [], leftovers: [], notes: [] };
  for (const name of (f.readdirSync(dir) as string[]).sort()) {
    const path = join(dir, name);
    if (name.startsWith(STAGING)) {
      scan.leftovers.push(path);
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
      scan.entries.push({ id: name, dir: path, manifest: parseManifest(text, join(path, MANIFEST)) });
      // A report file being rewritten when its collector was stopped.
      for (const inner of f.readdirSync(path) as string[]) if (inner.startsWith(STAGING)) scan.leftovers.push(join(path, inner));
    } catch (err) {
      scan.notes.push(`${path}: entry without a readable manifest (${messageOf(err)}); ignored`);
    }
  }
  return scan;
}

/** Remove a leftover staging folder or temporary file (the lock is held). */
export function removeLeftover(f: FsOps, path: string): void {
  const st = lstatOrUndefined(f, path);
  if (!st) return;
  if (st.isDirectory()) f.rmSync(path, { recursive: true, force: true });
  else f.unlinkSync(path);
}

/**
 * Write one entry and make it durable. Returns its folder. Throws (with nothing renamed
 * into place) on any write error: the caller must then delete nothing.
 */
export async function writeEntry(f: FsOps, archiveDir: string, manifest: Manifest, records: SourceRecord[]): Promise<string> {
  const staging = join(archiveDir, `${STAGING}${manifest.id}`);
  const final = join(archiveDir, manifest.id);
  removeLeftover(f, staging);
  mkdirPrivate(f, staging);
  const written: { tmp: string; path: string }[] = [];
  const subs: string[] = [];
  for (const kind of SOURCE_KINDS) {
    const mine = records.filter((r) => r.kind === kind);
    if (mine.length === 0) continue;
    const sub = join(staging, kind);
    mkdirPrivate(f, sub);
    subs.push(sub);
    for (const r of mine) written.push({ tmp: writeTemp(f, join(sub, r.name), r.bytes), path: join(sub, r.name) });
  }
  // Each record: temporary name, fsync, rename; then its folder fsync'd.
  await fsyncAll(f, written.map((w) => w.tmp));
  for (const w of written) f.renameSync(w.tmp, w.path);
  for (const sub of subs) fsyncDir(f, sub);
  writeDurable(f, join(staging, MANIFEST), Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  fsyncDir(f, staging);
  f.renameSync(staging, final);
  fsyncDir(f, archiveDir);
  return final;
}

/** Write (or rewrite) a file of an existing entry durably. */
export function writeEntryFile(f: FsOps, entryDir: string, name: string, text: string): void {
  writeDurable(f, join(entryDir, name), Buffer.from(text));
  fsyncDir(f, entryDir);
}

/** The record folders (and the BERT file) of one entry, as inputs for analyze(). */
export function entryInputs(f: FsOps, entryDir: string): string[] {
  const out: string[] = [];
  for (const kind of SOURCE_KINDS) {
    const p = kind === 'bert' ? join(entryDir, 'bert', 'BERT') : join(entryDir, kind);
    const st = lstatOrUndefined(f, p);
    if (st && (st.isDirectory() || st.isFile())) out.push(p);
  }
  return out;
}

/** The oldest entries beyond the newest `keep` (keep 0: keep all). */
export function entriesToPrune<E extends Pick<ArchiveEntry, 'id' | 'dir'>>(entries: E[], keep: number): E[] {
  if (keep <= 0 || entries.length <= keep) return [];
  return [...entries].sort((a, b) => a.id.localeCompare(b.id)).slice(0, entries.length - keep);
}

/**
 * Remove entries: each is first renamed to a staging name (one atomic step, so a kill never
 * leaves half an entry that still looks like one), then deleted; leftovers go on the next run.
 */
export function removeEntries(f: FsOps, archiveDir: string, old: Pick<ArchiveEntry, 'id' | 'dir'>[]): string[] {
  if (old.length === 0) return [];
  const doomed = old.map((e) => {
    const to = join(archiveDir, `${STAGING}pruned-${e.id}`);
    removeLeftover(f, to);
    f.renameSync(e.dir, to);
    return to;
  });
  fsyncDir(f, archiveDir);
  for (const d of doomed) f.rmSync(d, { recursive: true, force: true });
  return old.map((e) => e.id);
}

/**
 * Paths of the archived record folders, for `crashlog report --archive [ID]`: of the entry
 * `id` (or a unique prefix of it), or of every entry, oldest first.
 */
export async function archiveInputs(archiveDir: string, id?: string, f: FsOps = realFs): Promise<string[]> {
  if (!openArchive(f, archiveDir, false)) throw new ApplicationError(`no archive at ${archiveDir} (run crashlog collect first)`, 1);
  const { entries } = scanArchive(f, archiveDir);
  let chosen = entries;
  if (id !== undefined) {
    chosen = entries.filter((e) => e.id === id || e.id.startsWith(id));
    if (chosen.length === 0) throw new ApplicationError(`no archive entry ${id} in ${archiveDir} (see crashlog list)`, 1);
    if (chosen.length > 1 && !chosen.some((e) => e.id === id)) {
      throw new ApplicationError(`${id} names ${chosen.length} archive entries; give more of the id`, 2);
    }
    chosen = chosen.filter((e) => e.id === id).length ? chosen.filter((e) => e.id === id) : chosen;
  }
  return chosen.flatMap((e) => entryInputs(f, e.dir));
}
