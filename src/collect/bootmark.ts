// The clean-shutdown mark: how `crashlog collect` tells a boot that was shut down from one
// that was reset. systemd keeps no such mark (systemd#11403 asks for one); ChromeOS's
// crash_reporter keeps one the same way: at boot, collect writes "<this boot> running"
// into the archive; when the unit stops at shutdown (ExecStop=crashlog collect
// --clean-shutdown) it writes "<this boot> clean". A mark still saying "running" for
// another boot at the next start means that boot never reached its shutdown: it was reset
// (power loss, a watchdog, a hang, a crash too quick to leave a record).
// Only that is claimed: a boot collect never ran in leaves no mark, and says nothing.
import { join } from 'node:path';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { errnoOf, fsyncDir, readNoFollow, writeDurable, type FsOps } from './fsops.js';
import { openArchive } from './archive.js';
import { messageOf } from '../util/errors.js';

/** The mark's file in the archive folder (a dot name: never taken for an entry or a leftover). */
export const BOOT_MARK = '.boot';
const MAX_MARK_BYTES = 1024;
/** The kernel's id of this boot (random at each boot; journalctl -b takes it too). */
export const BOOT_ID_PATH = '/proc/sys/kernel/random/boot_id';
const BOOT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface BootMark {
  /** /proc/sys/kernel/random/boot_id of the boot the mark is about. */
  boot: string;
  state: 'running' | 'clean';
  /** When collect first ran in that boot. */
  since: string;
  /** When its unit was stopped, for a clean mark. */
  stopped?: string;
}

export function currentBootId(path = BOOT_ID_PATH): string | undefined {
  try {
    const id = readFileSync(path, 'latin1').trim();
    return BOOT_ID.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The mark in a trusted archive: none (first run), a mark, or why it cannot be used. */
export function readBootMark(f: FsOps, archive: string): { mark?: BootMark; path: string; problem?: string } {
  const path = join(archive, BOOT_MARK);
  let text: string;
  try {
    text = readNoFollow(f, path, MAX_MARK_BYTES).bytes.toString('utf8');
  } catch (err) {
    return errnoOf(err) === 'ENOENT' ? { path } : { path, problem: `cannot read ${path}: ${messageOf(err)}` };
  }
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    const ok = typeof m.boot === 'string' && BOOT_ID.test(m.boot) && (m.state === 'running' || m.state === 'clean') &&
      typeof m.since === 'string' && !Number.isNaN(Date.parse(m.since)) && (m.stopped === undefined || (typeof m.stopped === 'string' && !Number.isNaN(Date.parse(m.stopped))));
    if (!ok) return { path, problem: `${path}: not a boot mark; the previous boot's end is not judged` };
    return { path, mark: m as unknown as BootMark };
  } catch {
    return { path, problem: `${path}: not JSON; the previous boot's end is not judged` };
  }
}

function writeMark(f: FsOps, archive: string, mark: BootMark): void {
  writeDurable(f, join(archive, BOOT_MARK), Buffer.from(`${JSON.stringify(mark)}\n`));
  fsyncDir(f, archive);
}

/** How the boot before this one ended, as far as the mark says. */
export interface PreviousEnd {
  /** "unclean": marked running and never marked clean; "clean": marked clean. */
  end: 'clean' | 'unclean';
  mark: BootMark;
  path: string;
}

/**
 * At collect's start: judge the mark left by an earlier boot, then mark this boot running.
 * A mark of this very boot (the unit restarted) judges nothing.
 */
export function startBoot(f: FsOps, archiveDir: string, boot: string, now: Date): { previous?: PreviousEnd; problem?: string } {
  const archive = openArchive(f, archiveDir, true)!;
  const r = readBootMark(f, archive);
  if (r.mark?.boot === boot) return r.problem ? { problem: r.problem } : {};
  writeMark(f, archive, { boot, state: 'running', since: now.toISOString() });
  if (!r.mark) return r.problem ? { problem: r.problem } : {};
  return { previous: { end: r.mark.state === 'running' ? 'unclean' : 'clean', mark: r.mark, path: r.path } };
}

/** At shutdown (the unit's ExecStop): this boot ended cleanly. */
export function markCleanShutdown(f: FsOps, archiveDir: string, boot: string, now: Date): void {
  const archive = openArchive(f, archiveDir, true)!;
  const r = readBootMark(f, archive);
  const since = r.mark?.boot === boot ? r.mark.since : now.toISOString();
  writeMark(f, archive, { boot, state: 'clean', since, stopped: now.toISOString() });
}

/** Where kdump saves a crashed boot's memory (kdump-tools, kexec-tools' kdump.conf "path"). */
export const KDUMP_DIR = '/var/crash';
const MAX_KDUMP_ENTRIES = 1000;

/**
 * Dumps kdump saved since `since` (entries of `dir` changed after it): a boot reset into the
 * capture kernel did leave a record, only not one collect reads.
 */
export function kdumpsSince(since: Date, dir = KDUMP_DIR): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort().slice(0, MAX_KDUMP_ENTRIES);
  } catch {
    return [];
  }
  return names.map((n) => join(dir, n)).filter((p) => {
    try {
      return lstatSync(p).mtimeMs > since.getTime();
    } catch {
      return false;
    }
  });
}
