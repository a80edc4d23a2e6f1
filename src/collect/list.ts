// `crashlog list`: the archived incidents, newest last, from each entry's report.json.
import { join } from 'node:path';
import type { JsonReport } from '../model/index.js';
import { messageOf } from '../util/errors.js';
import { openArchive, scanArchive } from './archive.js';
import { readNoFollow, realFs, type FsOps } from './fsops.js';
import { MAX_MANIFEST_BYTES, REPORT_JSON } from './manifest.js';
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
  if (!openArchive(f, archiveDir, false)) return { rows, notes: [`no archive at ${archiveDir} yet`] };
  const scan = scanArchive(f, archiveDir);
  for (const e of scan.entries) {
    const recordTime = e.manifest.records.map((r) => r.mtime).sort().pop() ?? e.manifest.collectedAt;
    const base = { id: e.id, records: e.manifest.records.length };
    let report: JsonReport;
    try {
      report = JSON.parse(readNoFollow(f, join(e.dir, REPORT_JSON), MAX_MANIFEST_BYTES).bytes.toString('utf8')) as JsonReport;
    } catch (err) {
      scan.notes.push(`${e.id}: no report (${messageOf(err)}); crashlog report --archive ${e.id}`);
      rows.push({ ...base, time: recordTime, cause: '-', kind: '-', title: '(not analyzed)', signature: '' });
      continue;
    }
    if (!report.incidents?.length) rows.push({ ...base, time: recordTime, cause: '-', kind: '-', title: '(no crash found in the records)', signature: '' });
    for (const i of report.incidents ?? []) {
      rows.push({ ...base, time: i.time ?? recordTime, cause: i.cause, kind: i.kind, title: i.title, signature: incidentSignature(i.cause, i.title) });
    }
  }
  return { rows, notes: scan.notes };
}
