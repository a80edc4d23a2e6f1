// What a stopped collector leaves in the archive, and how the next one (holding the lock)
// tidies it. A leftover is known by what it holds, never by its name alone: a staging folder
// carries a marker naming this tool, its purpose, its entry id and the writer's pid. Only a
// folder whose marker matches its own name is removed, and then without recursion through
// anything unexpected: regular files, the record folders of an entry, nothing else. Any
// other ".tmp-*" thing (an entry renamed by hand, a stranger's file) is moved aside into
// "moved-aside/" and reported, never deleted.
import { join } from 'node:path';
import { errnoOf, mkdirPrivate, readNoFollow, type FsOps } from './fsops.js';
import { SOURCE_KINDS } from './sources.js';
import type { SourceNote } from './sources.js';
import { messageOf } from '../util/errors.js';

export const STAGING = '.tmp-';
export const MARKER = '.crashlog-staging';
export const MOVED_ASIDE = 'moved-aside';
const MAX_MARKER_BYTES = 256;
const MARKER_TEXT = /^crashlog staging (entry|pruned) (\d{8}T\d{6}Z-[0-9a-f]{8}) pid (\d+)\n$/;
/** Temporary files of writeDurable (".tmp-<pid>-<name>") that may be left inside an entry or beside it. */
const TEMP_FILE = /^\.tmp-\d+-(report\.txt|report\.json|\.pruned|\.crashlog-staging)$/;

export type StagingPurpose = 'entry' | 'pruned';

export function markerText(purpose: StagingPurpose, id: string): string {
  return `crashlog staging ${purpose} ${id} pid ${process.pid}\n`;
}

/** The folder name a marker belongs in. */
export function stagingName(purpose: StagingPurpose, id: string): string {
  return purpose === 'entry' ? `${STAGING}${id}` : `${STAGING}pruned-${id}`;
}

export interface Leftover {
  path: string;
  name: string;
  /** Inside an entry (a temporary file or a marker), rather than beside the entries. */
  inEntry: boolean;
}

/** A leftover's marker: "pid N" when it is a valid marker for `name`, '' when empty, undefined otherwise. */
function markerOf(f: FsOps, dir: string, name: string): string | undefined {
  let text: string;
  try {
    text = readNoFollow(f, join(dir, MARKER), MAX_MARKER_BYTES).bytes.toString('latin1');
  } catch {
    return undefined;
  }
  if (text === '') return ''; // killed between creating the marker and its one write
  const m = MARKER_TEXT.exec(text);
  return m && stagingName(m[1] as StagingPurpose, m[2]!) === name ? `pid ${m[3]}` : undefined;
}

/**
 * Remove a folder this tool made: regular files (or stray links, removed as links) and its
 * record folders, one level down; anything else stops it (the caller then moves it aside).
 */
export function removeOwnFolder(f: FsOps, dir: string): void {
  for (const name of f.readdirSync(dir) as string[]) {
    const p = join(dir, name);
    if (f.lstatSync(p).isDirectory()) {
      if (!(SOURCE_KINDS as string[]).includes(name)) throw new Error(`${p}: a folder collect does not make`);
      for (const inner of f.readdirSync(p) as string[]) {
        if (f.lstatSync(join(p, inner)).isDirectory()) throw new Error(`${join(p, inner)}: a folder collect does not make`);
        f.unlinkSync(join(p, inner));
      }
      f.rmdirSync(p);
    } else {
      f.unlinkSync(p);
    }
  }
  f.rmdirSync(dir);
}

function moveAside(f: FsOps, archiveDir: string, l: Leftover, why: string, notes: SourceNote[]): void {
  const aside = join(archiveDir, MOVED_ASIDE);
  try {
    try {
      mkdirPrivate(f, aside);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST' || !f.lstatSync(aside).isDirectory()) throw err;
    }
    const to = join(aside, `${l.name.slice(1)}-${Date.now()}`);
    f.renameSync(l.path, to);
    notes.push({ path: l.path, message: `${l.path}: ${why}; moved aside to ${to}, not deleted (look at it, then remove it by hand)`, error: true });
  } catch (err) {
    notes.push({ path: l.path, message: `${l.path}: ${why}; left in place (cannot move it aside: ${messageOf(err)})`, error: true });
  }
}

/** Tidy the leftovers of stopped collectors. The caller holds the lock. */
export function cleanLeftovers(f: FsOps, archiveDir: string, leftovers: Leftover[], notes: SourceNote[]): void {
  for (const l of leftovers) {
    let st;
    try {
      st = f.lstatSync(l.path);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') continue;
      throw err;
    }
    try {
      if (st.isFile() && (TEMP_FILE.test(l.name) || (l.inEntry && l.name === MARKER))) {
        f.unlinkSync(l.path); // one file of our own making, half written or no longer needed
        continue;
      }
      if (l.inEntry) {
        notes.push({ path: l.path, message: `${l.path}: not a file collect makes; left in place`, error: false });
        continue;
      }
      if (st.isDirectory()) {
        const names = f.readdirSync(l.path) as string[];
        if (names.length === 0) {
          f.rmdirSync(l.path); // killed between making the folder and marking it
          continue;
        }
        const marker = markerOf(f, l.path, l.name);
        if (marker !== undefined && (marker !== '' || (names.length === 1 && names[0] === MARKER))) {
          try {
            removeOwnFolder(f, l.path);
            if (!l.name.startsWith(`${STAGING}pruned-`)) {
              notes.push({ path: l.path, message: `removed ${l.path}, an unfinished entry of a stopped collect${marker ? ` (${marker})` : ''}; its records are still in their sources`, error: false });
            }
          } catch (err) {
            moveAside(f, archiveDir, l, `an unfinished entry with unexpected content (${messageOf(err)})`, notes);
          }
          continue;
        }
      }
      moveAside(f, archiveDir, l, `named like collect's staging but not marked as collect's own`, notes);
    } catch (err) {
      notes.push({ path: l.path, message: `${l.path}: cannot tidy this leftover: ${messageOf(err)}`, error: true });
    }
  }
}
