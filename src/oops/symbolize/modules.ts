// Finding a module's .ko under --modules DIR (a /lib/modules/<release> tree, a build folder):
// by file name, "-" and "_" alike (kernel/module: module names use "_", file names either).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const MAX_DEPTH = 8;
const MAX_ENTRIES = 200_000;
const KO = /^(.+)\.ko(\.xz|\.zst|\.gz)?$/;

export const moduleKey = (name: string): string => name.replace(/-/g, '_');

/** module name -> path of its .ko (compressed ones too: the caller says they must be unpacked). */
export async function indexModules(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let seen = 0;
  const walk = async (d: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || seen > MAX_ENTRIES) return;
    let entries;
    try { entries = await readdir(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      const p = join(d, e.name);
      if (e.isDirectory()) { await walk(p, depth + 1); continue; }
      const m = KO.exec(e.name);
      if (!m) continue;
      const key = moduleKey(m[1]!);
      // An uncompressed .ko wins over a compressed one of the same module.
      if (!out.has(key) || (m[2] === undefined && KO.exec(out.get(key)!)?.[2] !== undefined)) out.set(key, p);
    }
  };
  await walk(dir, 0);
  return out;
}
