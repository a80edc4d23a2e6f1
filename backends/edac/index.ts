import { type Dirent, opendirSync } from 'node:fs';
import { join } from 'node:path';
import { lazyRead, type Backend } from '../../src/backend.js';
import { MC_DIR } from './layout.js';
import { shapeOf } from './tree.js';

/** Files only an EDAC controller folder (mcN) or its DIMM folders hold. */
const MC_MARKS = ['mc_name', 'ce_noinfo_count', 'seconds_since_reset'];
const DIMM_MARK = /^(?:dimm|rank|csrow)\d+$/;
/** Entries a probe looks at in a folder it was not given (any of them tells). */
const PROBE_LOOK = 256;

function peek(dir: string): Dirent[] {
  const d = opendirSync(dir);
  const out: Dirent[] = [];
  try {
    for (let e = d.readSync(); e && out.length < PROBE_LOOK; e = d.readSync()) out.push(e);
  } finally {
    d.closeSync();
  }
  return out;
}

/**
 * Does this `mc` folder hold an EDAC controller? A listing says only "mc0, mc1": one look
 * into the first mcN (a bounded readdir, links not followed) tells it from any folder that
 * happens to have such names.
 */
function holdsController(mcDir: string, names: readonly string[]): boolean {
  const first = names.find((n) => MC_DIR.test(n));
  if (!first) return false;
  try {
    const inner = peek(join(mcDir, first));
    return inner.some((e) => e.isFile() && MC_MARKS.includes(e.name)) || inner.some((e) => e.isDirectory() && DIMM_MARK.test(e.name));
  } catch {
    return false;
  }
}

export const edac: Backend = {
  id: 'edac',
  summary: "EDAC sysfs tables (/sys/devices/system/edac/mc, or a collect entry's copy): memory controllers, DIMMs, their labels, locations and error counts",
  probe(p) {
    if (!p.isDirectory) return 0;
    const shape = shapeOf(p.entries);
    if (shape === 'flat') return p.entries.some((n) => /:(?:mc_name|dimm_label|dimm_location|ch\d_dimm_label)$/.test(n)) ? 0.9 : 0;
    if (shape === 'mc') return holdsController(p.path, p.entries) ? 0.9 : 0;
    if (shape === 'edac') {
      try {
        const mc = join(p.path, 'mc');
        return holdsController(mc, peek(mc).filter((e) => e.isDirectory()).map((e) => e.name).sort()) ? 0.85 : 0;
      } catch {
        return 0;
      }
    }
    return 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readEdac),
};
