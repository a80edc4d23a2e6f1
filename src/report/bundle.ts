// `crashlog report --bundle OUT.tar.gz`: what a ticket needs in one file (as kdumpst's
// zip): report.html, report.json, report.txt, the input files (bounded), and
// manifest.json with the sha256 of each, crashlog's version and the machine where known.
// A gzip'd ustar archive (POSIX.1-1988 headers, as `tar` reads them everywhere), written
// streaming to OUT.tmp and renamed into place: a 500 MB input never sits in memory.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, readdir, rename, rm } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Analysis } from '../analyze.js';
import { renderHtml } from './html/index.js';
import { machineOf, machineReport } from './machine.js';

/** One input file carried whole at most; past it, listed with its hash only. */
export const MAX_BUNDLE_FILE = 256 * 1024 * 1024;
/** Input bytes carried in all. */
export const MAX_BUNDLE_INPUTS = 512 * 1024 * 1024;
/** Files walked in input folders. */
export const MAX_BUNDLE_FILES = 10_000;
/** Folder depth walked. */
const MAX_DEPTH = 8;
const BLOCK = 512;

export interface BundleParts { json: string; text: string; version: string }
export interface ManifestFile { name: string; size: number; sha256: string; from?: string }
export interface Manifest {
  crashlog: string; created: string; files: ManifestFile[];
  omitted: { path: string; size: number; sha256?: string; reason: string }[];
  machine?: unknown;
}

/** A ustar header; `name` already fits (see entryName). */
export function tarHeader(name: string, size: number, mtime: Date, mode = 0o644): Buffer {
  const h = Buffer.alloc(BLOCK);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) throw new Error(`tar: name too long: ${name}`);
    [prefix, base] = [name.slice(0, cut), name.slice(cut + 1)];
  }
  const octal = (v: number, len: number, off: number) => h.write(v.toString(8).padStart(len - 1, '0') + '\0', off, len, 'ascii');
  h.write(base, 0, 100, 'utf8');
  octal(mode, 8, 100);
  octal(0, 8, 108);
  octal(0, 8, 116);
  octal(size, 12, 124);
  octal(Math.floor(mtime.getTime() / 1000), 12, 136);
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/** A name tar and every unpacker take: plain characters, fitting ustar's prefix and name. */
export function entryName(want: string, fallback: string): string {
  const clean = want.split('/').map((p) => p.replace(/[^A-Za-z0-9._+-]/g, '_').replace(/^\.+$/, '_')).join('/');
  const cut = clean.lastIndexOf('/', 155);
  const fits = Buffer.byteLength(clean) <= 100 || (cut > 0 && clean.length - cut - 1 <= 100);
  return fits ? clean : fallback;
}

class TarOut {
  private gz = createGzip({ level: 6 });
  private file;
  constructor(path: string) {
    this.file = createWriteStream(path);
    this.gz.pipe(this.file);
  }
  async put(b: Buffer): Promise<void> {
    if (!this.gz.write(b)) await once(this.gz, 'drain');
  }
  async entry(name: string, data: Buffer, mtime: Date): Promise<void> {
    await this.put(tarHeader(name, data.length, mtime));
    await this.put(data);
    await this.pad(data.length);
  }
  async pad(size: number): Promise<void> {
    if (size % BLOCK) await this.put(Buffer.alloc(BLOCK - (size % BLOCK)));
  }
  abort(): void {
    this.gz.destroy();
    this.file.destroy();
  }
  async end(): Promise<void> {
    await this.put(Buffer.alloc(BLOCK * 2));
    this.gz.end();
    await once(this.file, 'close');
  }
}

/** The input files: each file input, and the files of each folder input (no links followed). */
async function inputFiles(paths: readonly string[], omitted: Manifest['omitted']): Promise<{ path: string; root: string; size: number; mtime: Date }[]> {
  const out: { path: string; root: string; size: number; mtime: Date }[] = [];
  const walk = async (p: string, root: string, depth: number): Promise<void> => {
    if (out.length >= MAX_BUNDLE_FILES) return void omitted.push({ path: p, size: 0, reason: `more than ${MAX_BUNDLE_FILES} files` });
    const st = await lstat(p).catch(() => undefined);
    if (!st) return void omitted.push({ path: p, size: 0, reason: 'cannot be read' });
    if (st.isFile()) return void out.push({ path: p, root, size: st.size, mtime: st.mtime });
    if (!st.isDirectory() || depth >= MAX_DEPTH) return;
    for (const name of (await readdir(p).catch(() => [] as string[])).sort()) await walk(join(p, name), root, depth + 1);
  };
  for (const p of new Set(paths)) await walk(p, p, 0);
  return out;
}

/** Copy a file into the tar (exactly `size` bytes, zero-padded if it shrank) and hash it. */
async function copyFile(tar: TarOut | undefined, path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  let left = size;
  if (size > 0) for await (const chunk of createReadStream(path, { end: size - 1 }) as AsyncIterable<Buffer>) {
    const c = chunk.length > left ? chunk.subarray(0, left) : chunk;
    left -= c.length;
    hash.update(c);
    if (tar) await tar.put(c);
  }
  if (tar && left > 0) await tar.put(Buffer.alloc(left));
  return hash.digest('hex');
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

export async function writeBundle(out: string, a: Analysis, parts: BundleParts): Promise<Manifest> {
  const omitted: Manifest['omitted'] = [];
  const files = await inputFiles(a.inputs.map((i) => i.path), omitted);
  // Entry names first: the page shows every source path as its entry in the bundle.
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const [k, f] of files.entries()) {
    const rel = f.path === f.root ? basename(f.path) : `${basename(f.root)}/${relative(f.root, f.path).split(sep).join('/')}`;
    let name = entryName(`inputs/${rel}`, `inputs/${k}-${sha(Buffer.from(f.path)).slice(0, 12)}`);
    while (used.has(name)) name = `${name}-${k}`;
    used.add(name);
    names.set(f.path, name);
  }
  let budget = MAX_BUNDLE_INPUTS;
  const carried = new Set(files.filter((f) => {
    const ok = f.size <= MAX_BUNDLE_FILE && f.size <= budget;
    if (ok) budget -= f.size;
    return ok;
  }).map((f) => f.path));
  const pathOf = (p: string): string => (carried.has(p) ? names.get(p)! : p);
  const now = new Date();
  const reports: [string, Buffer][] = [
    ['report.html', Buffer.from(renderHtml(a, { pathOf, version: parts.version }))],
    ['report.json', Buffer.from(parts.json)],
    ['report.txt', Buffer.from(parts.text)],
  ];
  const manifest: Manifest = { crashlog: parts.version, created: now.toISOString(), files: [], omitted };
  const machine = machineOf(a.records);
  if (machine) manifest.machine = machineReport(machine);
  const tmp = `${out}.tmp-${process.pid}`;
  const tar = new TarOut(tmp);
  try {
    for (const [name, data] of reports) {
      await tar.entry(name, data, now);
      manifest.files.push({ name, size: data.length, sha256: sha(data) });
    }
    for (const f of files) {
      if (!carried.has(f.path)) {
        omitted.push({ path: f.path, size: f.size, sha256: await copyFile(undefined, f.path, f.size),
          reason: f.size > MAX_BUNDLE_FILE ? `larger than ${MAX_BUNDLE_FILE} bytes` : `past ${MAX_BUNDLE_INPUTS} bytes of inputs` });
        continue;
      }
      const name = names.get(f.path)!;
      await tar.put(tarHeader(name, f.size, f.mtime));
      manifest.files.push({ name, size: f.size, sha256: await copyFile(tar, f.path, f.size), from: f.path });
      await tar.pad(f.size);
    }
    await tar.entry('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'), now);
    await tar.end();
    await rename(tmp, out);
  } catch (err) {
    tar.abort();
    await rm(tmp, { force: true });
    throw err;
  }
  return manifest;
}

/** The bundle of `report --bundle OUT`: the three reports rendered here, a line on stderr saying what went in. */
export async function bundleReport(out: string, a: Analysis, io: { stderr(s: string): void }): Promise<Manifest> {
  const [{ renderText }, { stringifyJson, toJsonReport }, { crashlogVersion }] = await Promise.all([
    import('./text.js'), import('./json.js'), import('../util/version.js'),
  ]);
  const m = await writeBundle(out, a, { json: stringifyJson(toJsonReport(a)) + '\n', text: renderText(a, { color: false }), version: crashlogVersion() });
  const size = m.files.reduce((s, f) => s + f.size, 0);
  io.stderr(`crashlog: wrote ${out}: ${m.files.length} files (${size} bytes before compression)` +
    `${m.omitted.length ? `, ${m.omitted.length} inputs left out (listed in its manifest.json)` : ''}\n`);
  return m;
}
