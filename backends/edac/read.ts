// EDAC's sysfs tables -> one MachineInfo whose `edac` lists every controller and its DIMMs.
// A file that is missing, too long for a sysfs attribute, or not of its format is a problem
// naming its path; the DIMM keeps what its other files say, and every other DIMM is read.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadContext } from '../../src/backend.js';
import type { CrashRecord, EdacController, EdacDimm, Problem } from '../../src/model/index.js';
import { messageOf } from '../../src/util/errors.js';
import { CSROW_CHANNEL_FILE, FLAT_SEPARATOR, MAX_FILE_BYTES, MAX_LEGACY_CHANNELS } from './layout.js';
import { type DimmNode, type McNode, edacTree } from './tree.js';
import { parseLocation, parseNumber, parseText } from './values.js';

type Problems = (p: Problem) => void;

/** A file's path in a DIMM's folder, or after a flat copy's "mc0:dimm3:" prefix. */
const fileIn = (where: string, name: string): string => (where.endsWith(FLAT_SEPARATOR) ? `${where}${name}` : join(where, name));

/** A file's text, read at most MAX_FILE_BYTES (+1 to tell a longer one), never through a link. */
async function readAttr(path: string | undefined, problem: Problems): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const buf = Buffer.alloc(MAX_FILE_BYTES + 1);
      let got = 0;
      for (let i = 0; i <= MAX_FILE_BYTES && got < buf.length; i++) {
        const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got > MAX_FILE_BYTES) {
        problem({ path, offset: 0, message: `more than ${MAX_FILE_BYTES} bytes, more than a sysfs attribute holds; not read` });
        return undefined;
      }
      return buf.subarray(0, got).toString('utf8');
    } finally {
      await fh.close();
    }
  } catch (err) {
    problem({ path, offset: 0, message: `cannot read: ${messageOf(err)}` });
    return undefined;
  }
}

interface Fields {
  num(name: string): Promise<number | undefined>;
  text(name: string): Promise<string | undefined>;
}

function fields(files: Map<string, string>, problem: Problems): Fields {
  return {
    async num(name) {
      const raw = await readAttr(files.get(name), problem);
      if (raw === undefined) return undefined;
      const n = parseNumber(raw);
      if (n === undefined) problem({ path: files.get(name)!, offset: 0, message: `${name}: expected a number, have ${JSON.stringify(raw.slice(0, 40))}` });
      return n;
    },
    async text(name) {
      const raw = await readAttr(files.get(name), problem);
      if (raw === undefined) return undefined;
      const t = parseText(raw);
      if (t === undefined) problem({ path: files.get(name)!, offset: 0, message: `${name}: not one line of text` });
      return t === '' ? undefined : t;
    },
  };
}

const put = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void => {
  if (v !== undefined) o[k] = v;
};

async function readDimm(mc: number, d: DimmNode, problem: Problems): Promise<EdacDimm | undefined> {
  const f = fields(d.files, problem);
  const locPath = d.files.get('dimm_location');
  const locText = await readAttr(locPath, problem);
  const layers = locText === undefined ? undefined : parseLocation(locText);
  if (locPath === undefined) problem({ path: fileIn(d.where, 'dimm_location'), offset: 0, message: 'missing: the DIMM cannot be placed by its layers' });
  else if (locText !== undefined && !layers) problem({ path: locPath, offset: 0, message: `dimm_location: expected "<layer> <n>" pairs (branch, channel, slot, csrow, memory), have ${JSON.stringify(locText.slice(0, 60))}` });
  const out: EdacDimm = { mc, index: d.index, from: d.from, layers: layers ?? [] };
  put(out, 'label', await f.text('dimm_label'));
  put(out, 'sizeMB', await f.num('size'));
  put(out, 'memType', await f.text('dimm_mem_type'));
  put(out, 'devType', await f.text('dimm_dev_type'));
  put(out, 'edacMode', await f.text('dimm_edac_mode'));
  put(out, 'ceCount', await f.num('dimm_ce_count'));
  put(out, 'ueCount', await f.num('dimm_ue_count'));
  return out;
}

/**
 * A legacy csrowN: one entry per channel that has a chX_ file (the kernel shows them for
 * populated channels only, csrow_dev_is_visible), placed at "csrow N channel X" as the
 * compat mapping does (dimm->csrow, dimm->cschannel). size_mb is the whole csrow's, so a
 * channel's size is left unknown; ue_count too is the csrow's only.
 */
async function readCsrow(mc: number, d: DimmNode, problem: Problems): Promise<EdacDimm[]> {
  const f = fields(d.files, problem);
  const memType = await f.text('mem_type');
  const devType = await f.text('dev_type');
  const edacMode = await f.text('edac_mode');
  const channels = new Set<number>();
  for (const name of d.files.keys()) {
    const m = CSROW_CHANNEL_FILE.exec(name);
    if (m && Number(m[1]) < MAX_LEGACY_CHANNELS) channels.add(Number(m[1]));
  }
  const out: EdacDimm[] = [];
  for (const ch of [...channels].sort((a, b) => a - b)) {
    const e: EdacDimm = { mc, index: d.index, from: 'csrow', layers: [{ name: 'csrow', pos: d.index }, { name: 'channel', pos: ch }] };
    put(e, 'label', await f.text(`ch${ch}_dimm_label`));
    put(e, 'memType', memType);
    put(e, 'devType', devType);
    put(e, 'edacMode', edacMode);
    put(e, 'ceCount', await f.num(`ch${ch}_ce_count`));
    out.push(e);
  }
  return out;
}

async function readController(n: McNode, problem: Problems): Promise<EdacController> {
  const f = fields(n.files, problem);
  const c: EdacController = { mc: n.mc, dimms: [] };
  put(c, 'name', await f.text('mc_name'));
  put(c, 'sizeMB', await f.num('size_mb'));
  put(c, 'ceCount', await f.num('ce_count'));
  put(c, 'ueCount', await f.num('ue_count'));
  put(c, 'ceNoInfoCount', await f.num('ce_noinfo_count'));
  put(c, 'ueNoInfoCount', await f.num('ue_noinfo_count'));
  put(c, 'secondsSinceReset', await f.num('seconds_since_reset'));
  // The csrowN folders are the same DIMMs as dimmN/rankN seen through the compat mapping
  // (edac_mc_sysfs.c builds both from one dimm_info): read them only when a kernel (before
  // 3.6) gave nothing else, so one DIMM is never listed twice.
  const modern = n.dimms.some((d) => d.from !== 'csrow');
  for (const d of n.dimms) {
    if (d.from === 'csrow') {
      if (!modern) c.dimms.push(...(await readCsrow(n.mc, d, problem)));
    } else {
      const dimm = await readDimm(n.mc, d, problem);
      if (dimm) c.dimms.push(dimm);
    }
  }
  return c;
}

export async function* readEdac(path: string, ctx: ReadContext): AsyncGenerator<CrashRecord> {
  const problems: Problem[] = [];
  const problem: Problems = (p) => problems.push(p);
  const { root, controllers } = await edacTree(path, problems);
  const edac: EdacController[] = [];
  for (const n of controllers) edac.push(await readController(n, problem));
  for (const p of problems) ctx.problem(p);
  if (!edac.length) {
    ctx.problem({ path: root, offset: 0, message: 'no memory controller (mcN) found' });
    return;
  }
  yield { kind: 'machine', dimms: [], ranges: [], edac, source: { backend: 'edac', path: root } };
}
