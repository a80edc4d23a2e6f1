// EDAC's sysfs tables (/sys/devices/system/edac/mc, drivers/edac/edac_mc_sysfs.c) as a
// context source: the machine's DIMM labels, copied into every new entry like the SMBIOS
// tables. Only the small text files the edac backend reads (backends/edac/layout.ts) are
// taken, from mcN/ and its dimmN/, rankN/, csrowN/ folders; links (sysfs "subsystem",
// "device", "power") are never followed; each file at most a page, the whole bounded.
// Archive names are flat, the path's parts joined by ':' ("mc0:dimm3:dimm_label"), which
// the edac backend reads back. Absent on most machines (no EDAC driver): quietly skipped.
import type { Dirent } from 'node:fs';
import { join } from 'node:path';
import { errnoOf, readNoFollow, type FsOps } from './fsops.js';
import { sha256 } from './names.js';
import type { SourceNote, SourceSpec, TakeRecord } from './sources.js';
import { messageOf } from '../util/errors.js';
import { DIMM_DIR, FLAT_SEPARATOR, MAX_FILE_BYTES, MC_DIR, isEdacFile } from '../../backends/edac/layout.js';

/** Files and bytes taken at most: a large 8-socket machine has a few hundred DIMMs of 8 files. */
export const MAX_EDAC_FILES = 8192;
export const MAX_EDAC_BYTES = 4 * 1024 * 1024;
/** The largest size stat may claim for a sysfs attribute (a 64 KiB page). */
const SYSFS_STAT_BYTES = 64 * 1024;
/** Entries looked at in one folder. */
const MAX_LISTED = 10_000;

function list(f: FsOps, dir: string): Dirent[] {
  return (f.readdirSync(dir, { withFileTypes: true }) as Dirent[]).slice(0, MAX_LISTED).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readEdacSource(f: FsOps, spec: SourceSpec, take: TakeRecord, notes: SourceNote[]): void {
  const remark = (path: string, message: string): void => void notes.push({ path, message, error: false });
  let root = spec.path;
  let top: Dirent[];
  try {
    if (f.lstatSync(root).isSymbolicLink()) return void notes.push({ path: root, message: `${root} is a symbolic link, not followed (name the real path)`, error: true });
    top = list(f, root);
    // The parent /sys/devices/system/edac named instead of its mc folder.
    if (!top.some((e) => MC_DIR.test(e.name)) && top.some((e) => e.name === 'mc' && e.isDirectory())) top = list(f, (root = join(root, 'mc')));
  } catch (err) {
    if (errnoOf(err) === 'ENOENT' && !spec.explicit) return; // no EDAC driver loaded: nothing to copy
    return void notes.push({ path: root, message: `cannot read ${root}: ${messageOf(err)}`, error: spec.explicit });
  }
  let files = 0;
  let bytes = 0;
  let full = false;
  const copy = (path: string, name: string): void => {
    if (full) return;
    if (files >= MAX_EDAC_FILES || bytes >= MAX_EDAC_BYTES) {
      full = true;
      return remark(root, `${root}: more than ${MAX_EDAC_FILES} files or ${MAX_EDAC_BYTES} bytes; the rest not copied`);
    }
    try {
      // sysfs gives an attribute the size of a page whatever it holds (64 KiB on some
      // kernels): the bound is on what is read, not on what stat says.
      const read = readNoFollow(f, path, SYSFS_STAT_BYTES);
      if (read.bytes.length > MAX_FILE_BYTES) return remark(path, `${path}: ${read.bytes.length} bytes, more than a sysfs attribute holds (${MAX_FILE_BYTES}); not copied`);
      files++;
      bytes += read.bytes.length;
      take({ kind: 'edac', path, name, size: read.bytes.length, sha256: sha256(read.bytes), stat: read.stat }, read.bytes);
    } catch (err) {
      remark(path, `${path}: not copied (${messageOf(err)})`);
    }
  };
  for (const mc of top) {
    if (!MC_DIR.test(mc.name) || !mc.isDirectory()) continue;
    const mcDir = join(root, mc.name);
    let inner: Dirent[];
    try {
      inner = list(f, mcDir);
    } catch (err) {
      remark(mcDir, `cannot read ${mcDir}: ${messageOf(err)}`);
      continue;
    }
    for (const e of inner) {
      if (e.isFile() && isEdacFile('mc', e.name)) copy(join(mcDir, e.name), [mc.name, e.name].join(FLAT_SEPARATOR));
      const d = DIMM_DIR.exec(e.name);
      if (!d || !e.isDirectory()) continue;
      const dir = join(mcDir, e.name);
      try {
        for (const a of list(f, dir)) if (a.isFile() && isEdacFile(d[1] as 'dimm', a.name)) copy(join(dir, a.name), [mc.name, e.name, a.name].join(FLAT_SEPARATOR));
      } catch (err) {
        remark(dir, `cannot read ${dir}: ${messageOf(err)}`);
      }
    }
  }
}
