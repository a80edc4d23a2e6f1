// `crashlog collect` as a library function: read what the previous boot left, archive the
// records not yet archived, one entry per boot, write each verdict, and only then (when asked)
// remove the archived records from pstore/efivars. Safe to kill at any moment: a record is
// always still in its source, or complete in the archive, and the next run finishes the job.
import { join } from 'node:path';
import { messageOf } from '../util/errors.js';
import { cleanLeftovers, entriesToPrune, openArchive, removeEntries, scanArchive } from './archive.js';
import { archiveFresh, entryError, openPool, removeStaging, writeReports, type EntryOptions, type Fresh, type NewEntry } from './entries.js';
import { realFs, type FsOps } from './fsops.js';
import { acquireLock } from './lock.js';
import { REPORT_JSON } from './manifest.js';
import { CONTEXT_KINDS, readSource, type SourceNote, type SourceRecord, type SourceSpec } from './sources.js';
import { readPruned, writePruned } from './pruned.js';
import { unlinkArchived, type Archived } from './unlink.js';

export type { NewEntry } from './entries.js';

export interface CollectOptions extends EntryOptions {
  archive: string;
  sources: SourceSpec[];
  unlink: boolean;
  /** Newest N entries kept (0: all). */
  keep: number;
  fs?: FsOps;
}

export interface CollectResult {
  entries: NewEntry[];
  /** Records seen that were already in the archive. */
  alreadyArchived: number;
  unlinked: string[];
  pruned: string[];
  notes: SourceNote[];
  /** Anything went wrong (a source unreadable, a record left behind, a report not written). */
  failed: boolean;
}

function hasFile(f: FsOps, path: string): boolean {
  try {
    return f.lstatSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Read every source. A crash record not yet archived is copied into the pool as it is read,
 * so no record's bytes are held past its copy. The machine's own tables (sources.ts
 * CONTEXT_KINDS) are held: they go with every new entry, but only crash records make one
 * (and only they are ever unlinked).
 */
function readSources(f: FsOps, o: CollectOptions, archive: string, known: (sha: string) => boolean, notes: SourceNote[]): { crash: SourceRecord[]; fresh?: Fresh } {
  const crash: SourceRecord[] = [];
  const context: Fresh['context'] = [];
  let fresh: Fresh | undefined;
  try {
    for (const spec of o.sources) {
      readSource(f, spec, (r, bytes) => {
        if (CONTEXT_KINDS.has(r.kind)) return void context.push({ r, bytes });
        crash.push(r);
        if (known(r.sha256)) return;
        fresh ??= { pool: openPool(f, archive), crash: [], context };
        fresh.pool.add(r.kind, r.name, bytes);
        fresh.crash.push(r);
      }, notes);
    }
  } catch (err) {
    if (fresh) removeStaging(f, fresh.pool.dir);
    throw entryError(archive, undefined, err);
  }
  return fresh ? { crash, fresh } : { crash };
}

export async function collect(o: CollectOptions): Promise<CollectResult> {
  const f = o.fs ?? realFs;
  const result: CollectResult = { entries: [], alreadyArchived: 0, unlinked: [], pruned: [], notes: [], failed: false };
  const archive = openArchive(f, o.archive, true)!;
  const lock = acquireLock(f, archive);
  try {
    const scan = scanArchive(f, archive);
    for (const n of scan.notes) result.notes.push({ path: archive, message: n, error: false });
    cleanLeftovers(f, archive, scan.leftovers, result.notes);

    const pruned = readPruned(f, archive);

    // Where each record's copy is: "<entry>/<kind>/<safe name>", as a valid manifest names it.
    const archived: Archived = { copies: new Map(), pruned };
    const hashesOf = new Map<string, string[]>();
    for (const e of scan.entries) {
      hashesOf.set(e.id, e.manifest.records.map((r) => r.sha256));
      for (const r of e.manifest.records) archived.copies.set(r.sha256, join(e.dir, r.file));
    }
    const { crash, fresh } = readSources(f, o, archive, (sha) => archived.copies.has(sha) || pruned.has(sha), result.notes);
    result.alreadyArchived = crash.length - (fresh?.crash.length ?? 0);
    if (fresh) {
      try {
        for (const { entry, manifest } of await archiveFresh(f, o, archive, fresh, result.notes)) {
          for (const r of manifest.records) archived.copies.set(r.sha256, join(entry.dir, r.file));
          hashesOf.set(entry.id, manifest.records.map((r) => r.sha256));
          result.entries.push(entry);
        }
      } catch (err) {
        removeStaging(f, fresh.pool.dir); // nothing to remove once it became an entry
        throw err;
      }
    }

    if (o.unlink) result.unlinked = unlinkArchived(f, crash, archived, result.notes);
    // An entry whose collector was stopped before its verdict was written gets it now.
    for (const e of scan.entries) {
      if (!hasFile(f, join(e.dir, REPORT_JSON))) await writeReports(f, e.dir, e.id, result.notes);
    }

    // Prune; first remember which pruned records are still in a source, so that they are
    // not archived again next time (an unreadable source this run forgets nothing).
    const old = entriesToPrune([...scan.entries, ...result.entries], o.keep);
    const gone = new Set(result.unlinked);
    const present = new Set(crash.filter((r) => !gone.has(r.path)).map((r) => r.sha256));
    const sourceTrouble = result.notes.some((n) => n.error);
    const remember = new Set([...pruned, ...old.flatMap((e) => hashesOf.get(e.id) ?? [])].filter((h) => sourceTrouble || present.has(h)));
    try {
      writePruned(f, archive, pruned, remember);
      result.pruned = removeEntries(f, archive, old, result.notes);
    } catch (err) {
      result.notes.push({ path: archive, message: `cannot prune old archive entries: ${messageOf(err)}`, error: true });
    }
  } finally {
    lock.release();
  }
  result.failed = result.notes.some((n) => n.error);
  return result;
}
