// What the previous boot left behind: pstore records, efivarfs dump-type0 variables
// (drivers/firmware/efi/efi-pstore.c names them "dump-type0-<part>-<count>-<time>..."),
// and the ACPI BERT error region (/sys/firmware/acpi/tables/data/BERT, drivers/acpi/apei/bert.c).
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, readNoFollow, type FsOps } from './fsops.js';
import { sha256, unsafeNameReason } from './names.js';
import { messageOf } from '../util/errors.js';
import { isPstoreMount } from '../pstore/mount.js';

export type SourceKind = 'pstore' | 'efivars' | 'bert' | 'dmi';
export const SOURCE_KINDS: SourceKind[] = ['pstore', 'efivars', 'bert', 'dmi'];

/**
 * Sources that describe the machine rather than a crash: the SMBIOS tables
 * (drivers/firmware/dmi_scan.c exports them as /sys/firmware/dmi/tables/{DMI,smbios_entry_point}),
 * which name the DIMM behind a memory error. They are copied into every new entry, are never
 * a reason for one, and are never removed from where they were read.
 */
export const CONTEXT_KINDS: ReadonlySet<SourceKind> = new Set(['dmi']);
const DMI_FILES = new Set(['DMI', 'smbios_entry_point']);

/** Where each kind is read by default (a path that is not there is quietly skipped). */
export const DEFAULT_SOURCES: Record<SourceKind, string> = {
  pstore: '/sys/fs/pstore',
  efivars: '/sys/firmware/efi/efivars',
  bert: '/sys/firmware/acpi/tables/data/BERT',
  dmi: '/sys/firmware/dmi/tables',
};
export const DEFAULT_PATHS = DEFAULT_SOURCES;

/** A source to read: its kind, its path, and whether the user named it (absence is then an error). */
export interface SourceSpec {
  kind: SourceKind;
  path: string;
  explicit: boolean;
}

export interface SourceRecord {
  kind: SourceKind;
  /** Where it was read. */
  path: string;
  /** File name in the archive entry's <kind>/ folder. */
  name: string;
  bytes: Buffer;
  sha256: string;
  stat: Stats;
  /** The record's time, when read from a live pstore mount (its mtime there; see isPstoreMount). */
  recordTime?: Date;
}

export interface SourceNote {
  path: string;
  message: string;
  /** An error (the run exits non-zero) rather than a remark. */
  error: boolean;
}

const MAX_SOURCE_ENTRIES = 100_000;
const EFI_DUMP = /^dump-type0-/;

function readable(err: unknown, path: string, spec: SourceSpec, notes: SourceNote[]): void {
  const code = errnoOf(err);
  if (code === 'ENOENT' && !spec.explicit) return; // no EFI, no BERT, no pstore: nothing left
  if (code === 'EACCES' || code === 'EPERM') {
    notes.push({ path, message: `cannot read ${path}: permission denied (collect must run as root)`, error: true });
  } else if (code === 'ELOOP') {
    notes.push({ path, message: `${path} is a symbolic link, not followed`, error: true });
  } else {
    notes.push({ path, message: `cannot read ${path}: ${messageOf(err)}`, error: true });
  }
}

function readOne(f: FsOps, spec: SourceSpec, path: string, name: string, out: SourceRecord[], notes: SourceNote[], live = false): void {
  try {
    const { bytes, stat } = readNoFollow(f, path);
    const r: SourceRecord = { kind: spec.kind, path, name, bytes, sha256: sha256(bytes), stat };
    if (live && stat.mtimeMs > 0) r.recordTime = new Date(stat.mtimeMs);
    out.push(r);
  } catch (err) {
    readable(err, path, { ...spec, explicit: true }, notes);
  }
}

/** Read every record of one source. Nothing here writes or deletes. */
export function readSource(f: FsOps, spec: SourceSpec, out: SourceRecord[], notes: SourceNote[]): void {
  let st: Stats;
  try {
    st = f.lstatSync(spec.path);
  } catch (err) {
    readable(err, spec.path, spec, notes);
    return;
  }
  if (st.isSymbolicLink()) {
    notes.push({ path: spec.path, message: `${spec.path} is a symbolic link, not followed (name the real path)`, error: true });
    return;
  }
  if (spec.kind === 'bert') {
    readOne(f, spec, spec.path, 'BERT', out, notes);
    return;
  }
  let names: string[];
  try {
    names = (f.readdirSync(spec.path) as string[]).sort();
  } catch (err) {
    readable(err, spec.path, { ...spec, explicit: true }, notes);
    return;
  }
  if (names.length > MAX_SOURCE_ENTRIES) {
    notes.push({ path: spec.path, message: `${names.length} entries; only the first ${MAX_SOURCE_ENTRIES} collected this time`, error: true });
    names = names.slice(0, MAX_SOURCE_ENTRIES);
  }
  const live = spec.kind === 'pstore' && isPstoreMount(spec.path);
  for (const name of names) {
    if (spec.kind === 'efivars' && !EFI_DUMP.test(name)) continue;
    if (spec.kind === 'dmi' && !DMI_FILES.has(name)) continue;
    const unsafe = unsafeNameReason(name);
    if (unsafe) {
      notes.push({ path: `${spec.path}/${name}`, message: `${spec.path}/${name}: ${unsafe}; left in place, not archived`, error: true });
      continue;
    }
    const path = join(spec.path, name);
    let ls: Stats;
    try {
      ls = f.lstatSync(path);
    } catch (err) {
      readable(err, path, { ...spec, explicit: true }, notes);
      continue;
    }
    if (ls.isSymbolicLink()) {
      notes.push({ path, message: `${path} is a symbolic link; not followed, left in place`, error: true });
      continue;
    }
    if (!ls.isFile()) {
      notes.push({ path, message: `${path} is not a regular file; skipped`, error: false });
      continue;
    }
    readOne(f, spec, path, name, out, notes, live);
  }
}
