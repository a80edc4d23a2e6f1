// `crashlog list`: the archived incidents, newest last, from each entry's report.json; and
// the inputs of `crashlog report --archive [ID]`.
import { join, resolve } from 'node:path';
import type { JsonReport } from '../model/index.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import { archiveInputs, entryInputs, openArchive, scanArchive } from './archive.js';
import { readNoFollow, realFs, type FsOps } from './fsops.js';
import { MANIFEST, MAX_MANIFEST_BYTES, REPORT_JSON } from './manifest.js';
import { incidentSignature } from './signature.js';

export interface ListedIncident {
  id: string;
  /** Time of the incident, or of the newest record when the report has none. */
  time: string;
  cause: string;
  kind: string;
  title: string;
  signature: string;
  records: number;
}

export function listArchive(archiveDir: string, f: FsOps = realFs): { rows: ListedIncident[]; notes: string[] } {
  const rows: ListedIncident[] = [];
  const dir = openArchive(f, archiveDir, false);
  if (!dir) return { rows, notes: [`no archive at ${archiveDir} yet`] };
  const scan = scanArchive(f, dir);
  for (const e of scan.entries) {
    const recordTime = e.manifest.records.map((r) => r.mtime).sort().pop() ?? e.manifest.collectedAt;
    const base = { id: e.id, records: e.manifest.records.length };
    let report: Partial<JsonReport>;
    try {
      report = JSON.parse(readNoFollow(f, join(e.dir, REPORT_JSON), MAX_MANIFEST_BYTES).bytes.toString('utf8')) as Partial<JsonReport>;
      if (typeof report !== 'object' || report === null || (report.incidents !== undefined && !Array.isArray(report.incidents))) throw new Error('not a crashlog report');
    } catch (err) {
      scan.notes.push(`${e.id}: no report (${messageOf(err)}); crashlog report --archive ${e.id}`);
      rows.push({ ...base, time: recordTime, cause: '-', kind: '-', title: '(not analyzed)', signature: '' });
      continue;
    }
    if (!report.incidents?.length) rows.push({ ...base, time: recordTime, cause: '-', kind: '-', title: '(no crash found in the records)', signature: '' });
    for (const i of report.incidents ?? []) {
      const [cause, kind, title] = [text(i?.cause), text(i?.kind), text(i?.title)];
      // The report's own signature (title and guilty frames); an older report.json has none.
      const sig = typeof i?.signature === 'string' && /^[0-9a-f]{64}$/.test(i.signature) ? i.signature : incidentSignature(cause, title);
      rows.push({ ...base, time: typeof i?.time === 'string' ? i.time : recordTime, cause, kind, title, signature: sig });
    }
  }
  return { rows, notes: scan.notes };
}

/** One bug as `crashlog list` shows it by default: the incidents that share a signature. */
export interface ListedGroup {
  signature: string;
  count: number;
  first: string;
  last: string;
  cause: string;
  kind: string;
  title: string;
  /** Entry ids, oldest first. */
  ids: string[];
}

/**
 * Archived incidents grouped by signature, as ABRT counts a repeated crash: how many, first
 * and last seen, newest group last. Entries with no analysed incident stay rows of their own.
 */
export function groupBySignature(rows: readonly ListedIncident[]): ListedGroup[] {
  const groups = new Map<string, ListedGroup>();
  for (const r of [...rows].sort((a, b) => a.time.localeCompare(b.time))) {
    const key = r.signature || `entry:${r.id}`;
    const g = groups.get(key);
    if (!g) { groups.set(key, { signature: r.signature, count: 1, first: r.time, last: r.time, cause: r.cause, kind: r.kind, title: r.title, ids: [r.id] }); continue; }
    g.count++;
    g.last = r.time;
    if (!g.ids.includes(r.id)) g.ids.push(r.id);
  }
  return [...groups.values()].sort((a, b) => a.last.localeCompare(b.last));
}

/**
 * Inputs for `crashlog report --archive [ID]`: every entry of the configured archive
 * (`spec` true), the entry ID (or a unique prefix of it), or a path: an entry folder
 * (it holds a manifest) or another archive folder (a disk brought back from a dead machine).
 */
export async function reportInputs(spec: string | true, archiveDir: () => string, f: FsOps = realFs): Promise<string[]> {
  if (spec === true) return archiveInputs(archiveDir(), undefined, f);
  if (!spec.includes('/')) return archiveInputs(archiveDir(), spec, f);
  const dir = resolve(spec);
  if (openArchive(f, dir, false) && isFile(f, join(dir, MANIFEST))) {
    const inputs = entryInputs(f, dir);
    if (inputs.length === 0) throw new ApplicationError(`${dir}: an archive entry without records`, 1);
    return inputs;
  }
  return archiveInputs(dir, undefined, f);
}

/** A field of report.json as text ("-" when it is not a string: the file is not trusted to be well-formed). */
function text(v: unknown): string {
  return typeof v === 'string' ? v : '-';
}

function isFile(f: FsOps, path: string): boolean {
  try {
    return f.lstatSync(path).isFile();
  } catch {
    return false;
  }
}
