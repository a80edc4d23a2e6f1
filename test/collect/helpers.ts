// Shared by the collect tests: writable copies of real pstore sets, and what a folder holds.
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fixture } from '../corpus.js';

/** Every real pstore set in fixtures/pstore (copies of ../shared/corpus/<item>/pstore). */
export const ITEMS = readdirSync(fixture('pstore')).filter((n) => existsSync(fixture('pstore', n, 'pstore'))).sort();

export function tempDir(tag = 'collect'): string {
  return mkdtempSync(join(tmpdir(), `crashlog-${tag}-`));
}

/** A writable copy of fixtures/pstore/<item>/pstore (the fixtures are read-only, as pstore is). */
export function copyPstore(item: string, into = tempDir(item)): string {
  const dst = join(into, 'pstore');
  cpSync(fixture('pstore', item, 'pstore'), dst, { recursive: true });
  chmodSync(dst, 0o755);
  for (const n of readdirSync(dst)) chmodSync(join(dst, n), 0o644);
  return dst;
}

export function sha(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** name -> sha256 of each file in a folder. */
export function hashes(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((n) => [n, sha(readFileSync(join(dir, n)))]));
}

/** Every path under `root` (relative), folders with a trailing "/". */
export function walk(root: string): string[] {
  const out: string[] = [];
  const go = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      const st = lstatSync(p);
      out.push(relative(root, p) + (st.isDirectory() ? '/' : ''));
      if (st.isDirectory()) go(p);
    }
  };
  go(root);
  return out;
}

/** Entry folders of an archive. */
export function entries(archive: string): string[] {
  return readdirSync(archive).filter((n) => /^\d{8}T\d{6}Z-[0-9a-f]{8}$/.test(n)).sort();
}
