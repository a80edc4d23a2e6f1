// manifest.json of an archive entry: which records it holds, where each came from, and
// their sha256; plus a short summary of the verdict for `crashlog list` and fleets.
import type { SourceKind } from './sources.js';

export const MANIFEST = 'manifest.json';
export const REPORT_TXT = 'report.txt';
export const REPORT_JSON = 'report.json';
/** Largest manifest read back (10,000s of records fit in a few MiB). */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export interface ManifestRecord {
  source: SourceKind;
  /** Where collect read it. */
  path: string;
  /** Path inside the entry: "<source>/<name>". */
  file: string;
  size: number;
  sha256: string;
  /** The source file's modification time. */
  mtime: string;
  /** The record's own time: its mtime on the live pstore mount it was collected from
   * (pstore_mkfile sets it from the record), which the archived copy cannot keep. */
  recordTime?: string;
}

export interface Manifest {
  version: 1;
  id: string;
  host: string;
  collectedAt: string;
  /** crashlog's version that collected it. */
  collector: string;
  records: ManifestRecord[];
}

export function parseManifest(text: string, where: string): Manifest {
  const m = JSON.parse(text) as Partial<Manifest>;
  if (m.version !== 1 || typeof m.id !== 'string' || !Array.isArray(m.records)) {
    throw new Error(`${where}: not a crashlog manifest (version 1)`);
  }
  for (const r of m.records) {
    if (typeof r?.sha256 !== 'string' || typeof r.file !== 'string') throw new Error(`${where}: a record without sha256/file`);
  }
  return m as Manifest;
}
