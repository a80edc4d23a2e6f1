// Where the campaign's seeds come from: every backend's real inputs under fixtures/<id>/
// (small: copied fresh for each case), and the real corpus beside the clone
// (../shared/corpus, or CRASHLOG_CORPUS, never written to): a large file (the vmcores of
// 17-270 MB) is copied once into a cache folder (a gzip'd one inflated) and that copy is
// changed in place and put back for each case (edit.ts); a copy left changed by a
// campaign that was stopped is marked dirty and made again.
import { copyFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { backends } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';

/** The repository: three folders up when built (dist/scripts/fuzz), two from the source (vitest). */
export const REPO = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../..' : '../../..', import.meta.url));
export const FIXTURES = join(REPO, 'fixtures');
export const CORPUS = process.env.CRASHLOG_CORPUS ?? join(REPO, '..', 'shared', 'corpus');
/** Seeds over this size are changed in place, not copied for every case. */
export const MAX_COPIED_BYTES = 4 << 20;
/** Seeds tried per backend from fixtures/. */
const MAX_FIXTURE_SEEDS = 10;

/** Real inputs of the corpus, per backend (paths inside CORPUS). */
export const CORPUS_SEEDS: Record<string, string[]> = {
  vmcore: [
    'kdump-oops-panic/vmcore.kdump-zlib-d31', 'kdump-oops-panic/vmcore.flat-zlib-d31', 'qemu-dump-hung/vmcore.kdump-zlib',
    'qemu-dump-paging-gpf-logbuf4m/vmcore.paging.elf.gz', 'arm64-qemu-dump/vmcore.elf.gz',
  ],
  erst: ['erst-mce-after-oops/erst-backing-after-crash.bin', 'erst-mce-memory/erst-backing.bin'],
  pstore: ['erst-mce-after-oops/pstore', 'ramoops-zones-div-oopspanic/pstore', 'pstore-blk-gpf-panic/pstore'],
  ramoops: ['ramoops-zones-div-oopspanic/ramoops-region.bin'],
  'pstore-blk': ['pstore-blk-gpf-panic/pstore-blk-disk.bin'],
  text: ['crash-reports/1002.txt', 'qemu-dump-hung/serial-console.log'],
};

export interface Seed {
  backend: string;
  /** The file or folder a case starts from. */
  path: string;
  /** Changed in place (a large file), or copied fresh for each case. */
  inPlace: boolean;
  /** Where it came from, as a finding names it: 'fixtures/...' or 'corpus:...'. */
  origin: string;
}

/** Paths under `dir`, sorted, four levels deep at most (a seed folder's files). */
export function walk(dir: string, out: string[] = [], depth = 0): string[] {
  if (depth > 4 || !existsSync(dir)) return out;
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    out.push(p);
    if (statSync(p).isDirectory()) walk(p, out, depth + 1);
  }
  return out;
}

/** Bytes of a file, or of every file under a folder. */
export const sizeOf = (p: string): number => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, e) => n + sizeOf(join(p, e)), 0) : statSync(p).size);

export const SEED_CACHE = join(tmpdir(), 'crashlog-fuzz-seeds');
/** Beside a cached copy while a case has it changed. */
export const dirtyMark = (path: string): string => `${path}.dirty`;

/**
 * The corpus item itself when it is small or a folder (cases copy it), else its copy in
 * the cache, inflated if gzip'd (made once, kept between campaigns, made again if dirty).
 */
export async function corpusFile(rel: string, cache = SEED_CACHE): Promise<string | undefined> {
  const p = join(CORPUS, rel);
  if (!existsSync(p)) return undefined;
  if (!p.endsWith('.gz') && (statSync(p).isDirectory() || statSync(p).size <= MAX_COPIED_BYTES)) return p;
  mkdirSync(cache, { recursive: true });
  const out = join(cache, rel.replace(/\//g, '__').replace(/\.gz$/, ''));
  if (existsSync(dirtyMark(out))) {
    rmSync(out, { force: true });
    rmSync(dirtyMark(out), { force: true });
  }
  if (!existsSync(out)) {
    if (p.endsWith('.gz')) await pipeline(createReadStream(p), createGunzip(), createWriteStream(`${out}.part`));
    else copyFileSync(p, `${out}.part`);
    renameSync(`${out}.part`, out);
  }
  return out;
}

export async function seedsOf(id: string, withCorpus: boolean): Promise<Seed[]> {
  const b = backends.find((x) => x.id === id)!;
  const out: Seed[] = [];
  for (const p of walk(join(FIXTURES, id))) {
    if (out.length >= MAX_FIXTURE_SEEDS) break;
    if (/(^|\/)(manifest|truth)\.json$|\.md$/.test(p) || sizeOf(p) > MAX_COPIED_BYTES) continue;
    if (b.probe(await makeProbe(p)) > 0) out.push({ backend: id, path: p, inPlace: false, origin: p.slice(REPO.length) });
  }
  if (!withCorpus) return out;
  for (const rel of CORPUS_SEEDS[id] ?? []) {
    const p = await corpusFile(rel);
    if (!p) continue;
    out.push({ backend: id, path: p, inPlace: statSync(p).isFile() && statSync(p).size > MAX_COPIED_BYTES, origin: `corpus:${rel}` });
  }
  return out;
}

export const seedName = (s: Seed): string => basename(s.path);
