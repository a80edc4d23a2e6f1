// What the previous boot left behind: pstore records, efivarfs dump-type0 variables
// (drivers/firmware/efi/efi-pstore.c names them "dump-type0-<part>-<count>-<time>..."),
// the ACPI BERT error region (/sys/firmware/acpi/tables/data/BERT, drivers/acpi/apei/bert.c),
// and the records systemd-pstore.service already moved out of pstore into its own archive.
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, readNoFollow, type FsOps } from './fsops.js';
import { sha256, unsafeNameReason } from './names.js';
import { messageOf } from '../util/errors.js';
import { isPstoreMount } from '../pstore/mount.js';
import { readEdacSource } from './edac-source.js';

export type SourceKind = 'pstore' | 'efivars' | 'bert' | 'dmi' | 'edac' | 'systemd-pstore';
export const SOURCE_KINDS: SourceKind[] = ['pstore', 'efivars', 'bert', 'dmi', 'edac', 'systemd-pstore'];

/**
 * Sources that describe the machine rather than a crash: the SMBIOS tables
 * (drivers/firmware/dmi_scan.c exports them as /sys/firmware/dmi/tables/{DMI,smbios_entry_point})
 * and EDAC's sysfs tables (edac-source.ts: the DIMM labels the operator set), which name the
 * DIMM behind a memory error. They are copied into every new entry, are never a reason for
 * one, and are never removed from where they were read.
 */
export const CONTEXT_KINDS: ReadonlySet<SourceKind> = new Set(['dmi', 'edac']);
const DMI_FILES = new Set(['DMI', 'smbios_entry_point']);

/**
 * Sources crashlog reads but never removes from: a firmware table, and systemd-pstore's
 * archive (its copies, not pstore's space; systemd-pstore itself frees pstore).
 */
export const NEVER_REMOVED: ReadonlySet<SourceKind> = new Set(['bert', 'dmi', 'edac', 'systemd-pstore']);

/**
 * systemd-pstore (src/pstore/pstore.c, Storage=external, the default) moves each record to
 * /var/lib/systemd/pstore: an EFI dmesg part to <base id>/<count>/, an ERST one to
 * <first id>/, anything else to the top; beside a dmesg group it writes dmesg.txt, the parts
 * joined, which the parts themselves already hold. With Storage=journal the records are in
 * the journal only, and with Storage=none they stay in pstore: then this folder is empty.
 */
const SYSTEMD_PSTORE_DEPTH = 2;
const SYSTEMD_PSTORE_JOINED = 'dmesg.txt';

/** Where each kind is read by default (a path that is not there is quietly skipped). */
export const DEFAULT_SOURCES: Record<SourceKind, string> = {
  pstore: '/sys/fs/pstore',
  efivars: '/sys/firmware/efi/efivars',
  bert: '/sys/firmware/acpi/tables/data/BERT',
  dmi: '/sys/firmware/dmi/tables',
  edac: '/sys/devices/system/edac/mc',
  'systemd-pstore': '/var/lib/systemd/pstore',
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
  size: number;
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

/** Each record read, with its bytes: the taker keeps what it needs of them (collect.ts copies a new one at once). */
export type TakeRecord = (r: SourceRecord, bytes: Buffer) => void;

function readOne(f: FsOps, spec: SourceSpec, path: string, name: string, take: TakeRecord, notes: SourceNote[], live = false): void {
  let read;
  try {
    read = readNoFollow(f, path);
  } catch (err) {
    readable(err, path, { ...spec, explicit: true }, notes);
    return;
  }
  const { bytes, stat } = read;
  const r: SourceRecord = { kind: spec.kind, path, name, size: bytes.length, sha256: sha256(bytes), stat };
  if (live && stat.mtimeMs > 0) r.recordTime = new Date(stat.mtimeMs);
  take(r, bytes); // outside the try: an error in the taker (a full archive) is not a read error
}

/** Read every record of one source. Nothing here writes or deletes. */
export function readSource(f: FsOps, spec: SourceSpec, take: TakeRecord, notes: SourceNote[]): void {
  if (spec.kind === 'systemd-pstore') return readSystemdPstore(f, spec, take, notes);
  if (spec.kind === 'edac') return readEdacSource(f, spec, take, notes);
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
    readOne(f, spec, spec.path, 'BERT', take, notes);
    return;
  }
  // The listing says each entry's type (d_type): no lstat per record among thousands. The
  // open that reads a record refuses a link or a non-file all the same (readNoFollow).
  let entries: Dirent[];
  try {
    entries = (f.readdirSync(spec.path, { withFileTypes: true }) as Dirent[]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    readable(err, spec.path, { ...spec, explicit: true }, notes);
    return;
  }
  if (entries.length > MAX_SOURCE_ENTRIES) {
    notes.push({ path: spec.path, message: `${entries.length} entries; only the first ${MAX_SOURCE_ENTRIES} collected this time`, error: true });
    entries = entries.slice(0, MAX_SOURCE_ENTRIES);
  }
  const live = spec.kind === 'pstore' && isPstoreMount(spec.path);
  for (const e of entries) {
    const name = e.name;
    if (spec.kind === 'efivars' && !EFI_DUMP.test(name)) continue;
    if (spec.kind === 'dmi' && !DMI_FILES.has(name)) continue;
    const unsafe = unsafeNameReason(name);
    if (unsafe) {
      notes.push({ path: `${spec.path}/${name}`, message: `${spec.path}/${name}: ${unsafe}; left in place, not archived`, error: true });
      continue;
    }
    const path = join(spec.path, name);
    if (e.isSymbolicLink()) {
      notes.push({ path, message: `${path} is a symbolic link; not followed, left in place`, error: true });
      continue;
    }
    if (!e.isFile()) {
      notes.push({ path, message: `${path} is not a regular file; skipped`, error: false });
      continue;
    }
    readOne(f, spec, path, name, take, notes, live);
  }
}

/**
 * systemd-pstore's archive: its record files down to SYSTEMD_PSTORE_DEPTH folders, each
 * folder read as readSource reads a pstore folder (links and odd names refused), the
 * records under their own names; its dmesg.txt copies are left out, and a name met twice
 * is kept once.
 */
function readSystemdPstore(f: FsOps, spec: SourceSpec, take: TakeRecord, notes: SourceNote[]): void {
  const seen = new Set<string>();
  const walk = (dir: string, depth: number, explicit: boolean): void => {
    const here: SourceNote[] = [];
    readSource(f, { ...spec, kind: 'pstore', path: dir, explicit }, (r, bytes) => {
      if (r.name === SYSTEMD_PSTORE_JOINED) return;
      if (seen.has(r.name)) return void notes.push({ path: r.path, message: `${r.path}: a second record named ${r.name}; the first one found is archived`, error: false });
      seen.add(r.name);
      const { recordTime: _none, ...rest } = r; // these files' times are systemd-pstore's copies'
      take({ ...rest, kind: 'systemd-pstore' }, bytes);
    }, here);
    let folders: string[] = [];
    if (depth < SYSTEMD_PSTORE_DEPTH) {
      try {
        folders = (f.readdirSync(dir, { withFileTypes: true }) as Dirent[]).filter((e) => e.isDirectory() && !unsafeNameReason(e.name)).map((e) => join(dir, e.name)).sort();
      } catch {
        folders = []; // readSource noted why
      }
    }
    // A folder is read in turn, not noted as "not a regular file".
    for (const n of here) if (!folders.includes(n.path)) notes.push(n);
    for (const d of folders) walk(d, depth + 1, true);
  };
  walk(spec.path, 0, spec.explicit);
}
