// manifest.json of an archive entry: which records it holds, where each came from, and
// their sha256; plus a short summary of the verdict for `crashlog list` and fleets.
import { ENTRY_ID, unsafeNameReason } from './names.js';
import { SOURCE_KINDS, type SourceKind } from './sources.js';

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

/** Most records one entry may name (pstore holds tens of thousands at most). */
const MAX_MANIFEST_RECORDS = 200_000;
const HASH = /^[0-9a-f]{64}$/;

/**
 * A manifest, checked field by field: it names the files that --unlink trusts, so a file
 * must be "<kind>/<safe name>" (no "..", no absolute path, no folder of its own) and a
 * hash 64 hex digits. Anything else throws: the entry is then reported, never used.
 */
export function parseManifest(text: string, where: string, expectedId?: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where}: not JSON (${(err as Error).message})`);
  }
  const bad = (what: string) => new Error(`${where}: ${what}`);
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad('not a crashlog manifest (version 1)');
  const o = m as Record<string, unknown>;
  if (o.version !== 1) throw bad('not a crashlog manifest (version 1)');
  if (typeof o.id !== 'string' || !ENTRY_ID.test(o.id)) throw bad('its id is not an entry id');
  if (expectedId !== undefined && o.id !== expectedId) throw bad(`its id ${o.id} is not its folder's name ${expectedId}`);
  for (const k of ['host', 'collectedAt', 'collector'] as const) if (typeof o[k] !== 'string') throw bad(`"${k}" is not a string`);
  if (!Array.isArray(o.records)) throw bad('"records" is not a list');
  if (o.records.length > MAX_MANIFEST_RECORDS) throw bad(`${o.records.length} records (at most ${MAX_MANIFEST_RECORDS})`);
  const files = new Set<string>();
  o.records.forEach((r: unknown, n: number) => {
    const at = `record ${n}`;
    if (typeof r !== 'object' || r === null) throw bad(`${at} is not an object`);
    const rec = r as Record<string, unknown>;
    if (typeof rec.source !== 'string' || !SOURCE_KINDS.includes(rec.source as SourceKind)) throw bad(`${at}: unknown source`);
    if (typeof rec.file !== 'string') throw bad(`${at}: "file" is not a string`);
    const slash = rec.file.indexOf('/');
    const kind = rec.file.slice(0, slash);
    const name = rec.file.slice(slash + 1);
    const unsafe = slash < 0 ? 'not "<kind>/<name>"' : kind !== rec.source ? `not in the folder of its source ${rec.source}` : unsafeNameReason(name);
    if (unsafe) throw bad(`${at}: file ${JSON.stringify(rec.file)}: ${unsafe}`);
    if (files.has(rec.file)) throw bad(`${at}: file ${rec.file} named twice`);
    files.add(rec.file);
    if (typeof rec.sha256 !== 'string' || !HASH.test(rec.sha256)) throw bad(`${at}: sha256 is not 64 hex digits`);
    if (typeof rec.size !== 'number' || !Number.isSafeInteger(rec.size) || rec.size < 0) throw bad(`${at}: size is not a count`);
    if (typeof rec.path !== 'string' || typeof rec.mtime !== 'string') throw bad(`${at}: "path" or "mtime" is not a string`);
    if (rec.recordTime !== undefined && typeof rec.recordTime !== 'string') throw bad(`${at}: "recordTime" is not a string`);
  });
  return o as unknown as Manifest;
}
