// `crashlog collect` as a library function: read what the previous boot left, archive the
// records not yet archived, one entry per boot, write each verdict, and only then (when asked)
// remove the archived records from pstore/efivars. Safe to kill at any moment: a record is
// always still in its source, or complete in the archive, and the next run finishes the job.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../analyze.js';
import { renderText } from '../report/text.js';
import { stringifyJson, toJsonReport } from '../report/json.js';
import type { Incident } from '../model/index.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import { cleanLeftovers, entryInputs, entriesToPrune, openArchive, removeEntries, scanArchive, writeEntry, writeEntryFile } from './archive.js';
import { removeOwnFolder, stagingName } from './leftovers.js';
import { errnoOf, realFs, type FsOps } from './fsops.js';
import { acquireLock } from './lock.js';
import { REPORT_JSON, REPORT_TXT, type Manifest } from './manifest.js';
import { entryId } from './names.js';
import { CONTEXT_KINDS, readSource, type SourceNote, type SourceRecord, type SourceSpec } from './sources.js';
import { incidentSignature } from './signature.js';
import { groupByBoot } from './boots.js';
import { readPruned, writePruned } from './pruned.js';
import { unlinkArchived, type Archived } from './unlink.js';

export interface CollectOptions {
  archive: string;
  sources: SourceSpec[];
  unlink: boolean;
  /** Newest N entries kept (0: all). */
  keep: number;
  fs?: FsOps;
  host?: string;
  now?: Date;
}

export interface NewEntry {
  id: string;
  dir: string;
  records: number;
  reportText: string;
  incidents: (Incident & { signature: string })[];
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

const VERSION = '0.1.0';

/** analyze() the archived copies and write report.txt and report.json into the entry. */
async function writeReports(f: FsOps, dir: string, id: string, notes: SourceNote[]): Promise<Pick<NewEntry, 'reportText' | 'incidents'>> {
  try {
    const a = await analyze(entryInputs(f, dir));
    const reportText = renderText(a);
    // report.json last: an entry with it has both (see the repair in collect()).
    writeEntryFile(f, dir, REPORT_TXT, reportText);
    writeEntryFile(f, dir, REPORT_JSON, stringifyJson(toJsonReport(a)) + '\n');
    return { reportText, incidents: a.incidents.map((i) => ({ ...i, signature: i.signature ?? incidentSignature(i.cause, i.title) })) };
  } catch (err) {
    // The records are safe in the archive already; only the verdict is missing.
    notes.push({ path: dir, message: `archive entry ${id}: the report could not be written: ${messageOf(err)} (the next collect writes it; crashlog report --archive ${id} shows it meanwhile)`, error: true });
    return { reportText: '', incidents: [] };
  }
}

/** Write one entry (records + manifest), durably; on failure nothing of it stays. */
async function archiveGroup(f: FsOps, o: CollectOptions, archive: string, fresh: SourceRecord[]): Promise<{ id: string; dir: string; records: number }> {
  const newest = Math.max(...fresh.map((r) => r.stat.mtimeMs));
  const id = entryId(new Date(Number.isFinite(newest) && newest > 0 ? newest : 0), fresh.map((r) => r.sha256));
  const manifest: Manifest = {
    version: 1,
    id,
    host: o.host ?? hostname(),
    collectedAt: (o.now ?? new Date()).toISOString(),
    collector: `crashlog ${VERSION}`,
    records: fresh.map((r) => ({
      source: r.kind,
      path: r.path,
      file: `${r.kind}/${r.name}`,
      size: r.bytes.length,
      sha256: r.sha256,
      mtime: new Date(r.stat.mtimeMs).toISOString(),
      ...(r.recordTime ? { recordTime: r.recordTime.toISOString() } : {}),
    })),
  };
  try {
    return { id, dir: await writeEntry(f, archive, manifest, fresh), records: fresh.length };
  } catch (err) {
    // Our own staging folder, made by this run: nobody else can write in a trusted archive.
    if (errnoOf(err) !== 'EEXIST') {
      try {
        removeOwnFolder(f, join(archive, stagingName('entry', id)));
      } catch {
        /* the write error is the one to report; the next run tidies it */
      }
    }
    throw new ApplicationError(`cannot write archive entry ${join(archive, id)}: ${messageOf(err)}; nothing was removed from the sources`, 1);
  }
}

function hasFile(f: FsOps, path: string): boolean {
  try {
    return f.lstatSync(path).isFile();
  } catch {
    return false;
  }
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

    const records: SourceRecord[] = [];
    for (const spec of o.sources) readSource(f, spec, records, result.notes);

    // Where each record's copy is: "<entry>/<kind>/<safe name>", as a valid manifest names it.
    const archived: Archived = { copies: new Map(), pruned };
    const hashesOf = new Map<string, string[]>();
    for (const e of scan.entries) {
      hashesOf.set(e.id, e.manifest.records.map((r) => r.sha256));
      for (const r of e.manifest.records) archived.copies.set(r.sha256, join(e.dir, r.file));
    }
    // The machine's own tables go with every new entry (sources.ts CONTEXT_KINDS); only crash
    // records make one, and only they are ever unlinked.
    const context = records.filter((r) => CONTEXT_KINDS.has(r.kind));
    const crash = records.filter((r) => !CONTEXT_KINDS.has(r.kind));
    const fresh = crash.filter((r) => !archived.copies.has(r.sha256) && !pruned.has(r.sha256));
    result.alreadyArchived = crash.length - fresh.length;

    for (const crashGroup of fresh.length ? await groupByBoot(fresh, o.sources) : []) {
      const group = [...crashGroup, ...context];
      const entry = await archiveGroup(f, o, archive, group);
      for (const r of group) archived.copies.set(r.sha256, join(entry.dir, r.kind, r.name));
      hashesOf.set(entry.id, group.map((r) => r.sha256));
      result.entries.push({ ...entry, ...(await writeReports(f, entry.dir, entry.id, result.notes)) });
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
