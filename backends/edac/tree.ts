// The EDAC files of one input, whichever form it has: the sysfs folders (`mc`, or its
// parent `edac`), or a collect entry's flat copy ("mc0:dimm3:dimm_label"). Listings are
// bounded; links are never followed, and only the files layout.ts names are taken.
import type { Dirent } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Problem } from '../../src/model/index.js';
import { DIMM_DIR, FLAT_SEPARATOR, MAX_CONTROLLERS, MAX_DIMMS_PER_CONTROLLER, MAX_FOLDER_ENTRIES, MC_DIR, isEdacFile } from './layout.js';

export interface DimmNode {
  from: 'dimm' | 'rank' | 'csrow';
  index: number;
  /** Folder (or flat prefix) the files are in, for problems. */
  where: string;
  /** File name -> path. */
  files: Map<string, string>;
}

export interface McNode {
  mc: number;
  where: string;
  files: Map<string, string>;
  dimms: DimmNode[];
}

/** Up to `max` entries of a folder, sorted by name; whether there were more. */
export async function listDir(dir: string, max = MAX_FOLDER_ENTRIES): Promise<{ entries: Dirent[]; more: boolean }> {
  const entries: Dirent[] = [];
  let more = false;
  const d = await opendir(dir);
  try {
    for await (const e of d) {
      if (entries.length >= max) { more = true; break; }
      entries.push(e);
    }
  } finally {
    await d.close().catch(() => undefined);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, more };
}

const byIndex = <T extends { index: number }>(a: T, b: T): number => a.index - b.index;

/** What the probe decided the folder is. */
export type Shape = 'mc' | 'edac' | 'flat';

const FLAT_NAME = /^mc\d{1,5}:/;

/** The shape of a folder from its listing alone (names only, as a probe sees it). */
export function shapeOf(names: readonly string[]): Shape | undefined {
  if (names.length === 0) return undefined;
  if (names.every((n) => FLAT_NAME.test(n))) return 'flat';
  if (names.some((n) => MC_DIR.test(n))) return 'mc';
  if (names.includes('mc')) return 'edac';
  return undefined;
}

function tooMany(problems: Problem[], path: string, what: string, max: number): void {
  problems.push({ path, offset: 0, message: `more than ${max} ${what}; only the first ${max} read` });
}

async function sysfsTree(mcDir: string, problems: Problem[]): Promise<McNode[]> {
  const { entries, more } = await listDir(mcDir);
  if (more) tooMany(problems, mcDir, 'entries', MAX_FOLDER_ENTRIES);
  const out: McNode[] = [];
  for (const e of entries) {
    const m = MC_DIR.exec(e.name);
    if (!m || !e.isDirectory()) continue; // a link (sysfs "subsystem", "device") is not followed
    if (out.length >= MAX_CONTROLLERS) { tooMany(problems, mcDir, 'memory controllers', MAX_CONTROLLERS); break; }
    const where = join(mcDir, e.name);
    const node: McNode = { mc: Number(m[1]), where, files: new Map(), dimms: [] };
    const inner = await listDir(where);
    if (inner.more) tooMany(problems, where, 'entries', MAX_FOLDER_ENTRIES);
    for (const f of inner.entries) {
      const d = DIMM_DIR.exec(f.name);
      if (f.isFile() && isEdacFile('mc', f.name)) node.files.set(f.name, join(where, f.name));
      else if (d && f.isDirectory()) {
        if (node.dimms.length >= MAX_DIMMS_PER_CONTROLLER) { tooMany(problems, where, 'DIMMs', MAX_DIMMS_PER_CONTROLLER); break; }
        const dir = join(where, f.name);
        const dimm: DimmNode = { from: d[1] as DimmNode['from'], index: Number(d[2]), where: dir, files: new Map() };
        for (const a of (await listDir(dir)).entries) if (a.isFile() && isEdacFile(dimm.from, a.name)) dimm.files.set(a.name, join(dir, a.name));
        node.dimms.push(dimm);
      }
    }
    node.dimms.sort(byIndex);
    out.push(node);
  }
  return out.sort((a, b) => a.mc - b.mc);
}

/** A collect entry's copy: "mc0:mc_name", "mc0:dimm3:dimm_label", "mc1:csrow0:ch1_dimm_label". */
async function flatTree(dir: string, problems: Problem[]): Promise<McNode[]> {
  const max = MAX_CONTROLLERS * 16 + MAX_DIMMS_PER_CONTROLLER * 8;
  const { entries, more } = await listDir(dir, max);
  if (more) tooMany(problems, dir, 'files', max);
  const mcs = new Map<number, McNode>();
  const dimms = new Map<string, DimmNode>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    const parts = e.name.split(FLAT_SEPARATOR);
    const m = MC_DIR.exec(parts[0] ?? '');
    if (!m || parts.length < 2 || parts.length > 3) continue;
    const mc = Number(m[1]);
    let node = mcs.get(mc);
    if (!node) {
      if (mcs.size >= MAX_CONTROLLERS) continue;
      mcs.set(mc, (node = { mc, where: join(dir, `${parts[0]}${FLAT_SEPARATOR}`), files: new Map(), dimms: [] }));
    }
    const path = join(dir, e.name);
    if (parts.length === 2) {
      if (isEdacFile('mc', parts[1]!)) node.files.set(parts[1]!, path);
      continue;
    }
    const d = DIMM_DIR.exec(parts[1]!);
    if (!d) continue;
    const key = `${mc}:${parts[1]}`;
    let dimm = dimms.get(key);
    if (!dimm) {
      if (node.dimms.length >= MAX_DIMMS_PER_CONTROLLER) continue;
      dimm = { from: d[1] as DimmNode['from'], index: Number(d[2]), where: join(dir, `${parts[0]}${FLAT_SEPARATOR}${parts[1]}${FLAT_SEPARATOR}`), files: new Map() };
      dimms.set(key, dimm);
      node.dimms.push(dimm);
    }
    if (isEdacFile(dimm.from, parts[2]!)) dimm.files.set(parts[2]!, path);
  }
  for (const n of mcs.values()) n.dimms.sort(byIndex);
  return [...mcs.values()].sort((a, b) => a.mc - b.mc);
}

/** The controllers of an input folder (`mc`, `edac`, or a flat copy), with the files found in each. */
export async function edacTree(path: string, problems: Problem[]): Promise<{ root: string; controllers: McNode[] }> {
  const names = (await listDir(path)).entries.map((e) => e.name);
  const shape = shapeOf(names);
  if (shape === 'flat') return { root: path, controllers: await flatTree(path, problems) };
  const root = shape === 'edac' ? join(path, 'mc') : path;
  return { root, controllers: await sysfsTree(root, problems) };
}
