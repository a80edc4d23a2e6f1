// New archive entries: the records not yet archived, copied into one pool as they are read,
// become one entry per crashed boot (boots.ts), each durable (staging.ts) before its verdict
// is written beside it. The pool is read once (verdict.ts): when its records make one entry
// (the usual case) the pool becomes that entry and the reading its verdict; else each group
// moves to an entry of its own, which is then read for its verdict.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { analyze, type Analysis } from '../analyze.js';
import type { Incident } from '../model/index.js';
import { stringifyJson, toJsonReport } from '../report/json.js';
import { renderText } from '../report/text.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import { entryInputs, writeEntryFile } from './archive.js';
import { errnoOf, type FsOps } from './fsops.js';
import { removeOwnFolder } from './leftovers.js';
import { REPORT_JSON, REPORT_TXT, type Manifest } from './manifest.js';
import { entryId } from './names.js';
import { incidentSignature } from './signature.js';
import type { SourceNote, SourceRecord } from './sources.js';
import { Staging } from './staging.js';
import { judgePool, VERDICT } from './verdict.js';

const VERSION = '0.1.0';

export interface NewEntry {
  id: string;
  dir: string;
  records: number;
  reportText: string;
  incidents: (Incident & { signature: string })[];
}

/** What an entry is written for: the host name and collection time its manifest says. */
export interface EntryOptions {
  host?: string;
  now?: Date;
}

/** Records read and not yet archived: the crash records copied into the pool, the machine's tables held. */
export interface Fresh {
  pool: Staging;
  crash: SourceRecord[];
  context: { r: SourceRecord; bytes: Buffer }[];
}

/** The error of a failed entry write: the run stops, and nothing was removed from the sources. */
export function entryError(archive: string, id: string | undefined, err: unknown): ApplicationError {
  const entry = id === undefined ? `in ${archive}` : join(archive, id);
  return new ApplicationError(`cannot write archive entry ${entry}: ${messageOf(err)}; nothing was removed from the sources`, 1);
}

/** Our own staging folder; one that cannot be made leaves nothing behind (unless it was there already: EEXIST). */
export function openStaging(f: FsOps, archive: string, id: string): Staging {
  try {
    return Staging.open(f, archive, id);
  } catch (err) {
    if (errnoOf(err) !== 'EEXIST') removeStaging(f, Staging.dirOf(archive, id));
    throw err;
  }
}

/** The pool: a staging folder with a name shaped like an entry id (leftovers.ts reads it so), never an entry's own. */
export function openPool(f: FsOps, archive: string): Staging {
  return openStaging(f, archive, entryId(new Date(), [`pool ${process.pid} ${randomUUID()}`]));
}

export function removeStaging(f: FsOps, dir: string): void {
  try {
    removeOwnFolder(f, dir);
  } catch {
    /* the write error is the one to report; the next run tidies it */
  }
}

/** The manifest of an entry of `records`; its id is theirs (names.ts entryId). */
function manifestOf(o: EntryOptions, records: SourceRecord[]): Manifest {
  const newest = records.reduce((t, r) => Math.max(t, r.stat.mtimeMs), -Infinity); // no spread: sources hold up to 100,000 records each
  return {
    version: 1,
    id: entryId(new Date(Number.isFinite(newest) && newest > 0 ? newest : 0), records.map((r) => r.sha256)),
    host: o.host ?? hostname(),
    collectedAt: (o.now ?? new Date()).toISOString(),
    collector: `crashlog ${VERSION}`,
    records: records.map((r) => ({
      source: r.kind,
      path: r.path,
      file: `${r.kind}/${r.name}`,
      size: r.size,
      sha256: r.sha256,
      mtime: new Date(r.stat.mtimeMs).toISOString(),
      ...(r.recordTime ? { recordTime: r.recordTime.toISOString() } : {}),
    })),
  };
}

/** Write report.txt and report.json into the entry: of `read`, or of the entry read now. */
export async function writeReports(f: FsOps, dir: string, id: string, notes: SourceNote[], read?: Analysis): Promise<Pick<NewEntry, 'reportText' | 'incidents'>> {
  try {
    const a = read ?? (await analyze(entryInputs(f, dir), VERDICT));
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

/** The fresh records as entries, each with the manifest it was written with. */
export async function archiveFresh(f: FsOps, o: EntryOptions, archive: string, fresh: Fresh, notes: SourceNote[]): Promise<{ entry: NewEntry; manifest: Manifest }[]> {
  const { pool, crash, context } = fresh;
  const tables = context.map((c) => c.r);
  let all: Manifest;
  try {
    for (const c of context) pool.add(c.r.kind, c.r.name, c.bytes);
    pool.sync(); // the copies are fsync'd while the pool is read
    all = manifestOf(o, [...crash, ...tables]);
    pool.draftManifest(all);
  } catch (err) {
    throw entryError(archive, undefined, err);
  }
  const judged = await judgePool(pool.inputs(), pool.dir, join(archive, all.id), crash);
  if (judged.groups.length === 1) {
    // The manifest lists the records in the grouping's order, as it always has.
    const manifest = { ...all, records: manifestOf(o, [...judged.groups[0]!, ...tables]).records };
    const dir = await pool.commit(manifest).catch((err: unknown) => Promise.reject(entryError(archive, manifest.id, err)));
    return [{ manifest, entry: { id: manifest.id, dir, records: manifest.records.length, ...(await writeReports(f, dir, manifest.id, notes, judged.analysis)) } }];
  }
  await pool.synced().catch((err: unknown) => Promise.reject(entryError(archive, undefined, err)));
  const made: { entry: NewEntry; manifest: Manifest }[] = [];
  for (const group of judged.groups) {
    const manifest = manifestOf(o, [...group, ...tables]);
    let dir: string;
    let s: Staging | undefined;
    try {
      s = openStaging(f, archive, manifest.id);
      for (const r of group) s.adopt(r.kind, r.name, pool.path(r.kind, r.name));
      for (const c of context) s.add(c.r.kind, c.r.name, c.bytes);
      dir = await s.commit(manifest);
    } catch (err) {
      if (s) removeStaging(f, s.dir);
      throw entryError(archive, manifest.id, err);
    }
    made.push({ manifest, entry: { id: manifest.id, dir, records: manifest.records.length, ...(await writeReports(f, dir, manifest.id, notes)) } });
  }
  removeStaging(f, pool.dir);
  return made;
}
