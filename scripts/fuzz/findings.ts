// Findings: each case that misbehaved, kept under test/fuzz/findings/<id>/ with what it
// did (finding.json) and its input: a copy of it, or, for a case made from a large
// corpus file, the positioned writes made to it (replayed onto a fresh copy). One finding
// is kept per backend and kind of failure (its detail with the numbers taken out), so a
// campaign that hits the same bug a thousand times keeps it once.
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import { basename, join, relative } from 'node:path';
import { applyPatches, type Patch } from './edit.js';
import type { CaseOutcome, FindingClass } from './run.js';
import { growthOf } from './grow.js';
import { corpusFile, MAX_COPIED_BYTES, REPO, walk, type Seed } from './seeds.js';

export const FINDINGS = join(REPO, 'test', 'fuzz', 'findings');
/** A kept input larger than this is stored gzip'd ("<name>.gz"), and inflated to replay it. */
const GZIP_OVER_BYTES = 256 << 10;

export interface Finding {
  backend: string;
  /** The seed: a path under the repository, or 'corpus:<item>/<file>'. */
  origin: string;
  /** The kept input's name in the finding's folder, when the input itself is kept ("<name>.gz": gzip'd). */
  input?: string;
  /** Writes to the corpus file `origin` names, when it is too large to keep. */
  patches?: Patch[];
  /** The way `origin` was grown to its backend's size cap (grow.ts), made again to replay. */
  grown?: string;
  class: FindingClass;
  detail: string;
  mutations: string[];
  figures: { cpuMs: number; peakMB: number; wallMs: number };
}

/**
 * What makes two findings the same: backend, class, the detail's first line without
 * numbers or paths, and for a cost (slow, memory: the detail is only a figure) the kinds
 * of lie told.
 */
export const findingKey = (f: Pick<Finding, 'backend' | 'class' | 'detail' | 'mutations'>): string => {
  const detail = f.detail.split('\n')[0]!.replace(/\/\S+/g, 'PATH').replace(/0x[0-9a-f]+|\d+/gi, 'N').slice(0, 160);
  const lies = f.class === 'slow' || f.class === 'memory' ? `|${f.mutations.map((m) => m.replace(/^[^:]*: [^:]*: /, '').replace(/\d+/g, 'N')).sort().join('+')}` : '';
  return `${f.backend}|${f.class}|${detail}${lies}`;
};

export function keptFindings(): { id: string; finding: Finding }[] {
  if (!existsSync(FINDINGS)) return [];
  return readdirSync(FINDINGS).sort().filter((d) => existsSync(join(FINDINGS, d, 'finding.json')))
    .map((id) => ({ id, finding: JSON.parse(readFileSync(join(FINDINGS, id, 'finding.json'), 'utf8')) as Finding }));
}

/** Keep a finding unless one like it is kept; returns its id, or undefined if it was a repeat. */
export function keep(f: Omit<Finding, 'input'>, input: string | undefined, known: Set<string>): string | undefined {
  const key = findingKey(f);
  if (known.has(key)) return undefined;
  known.add(key);
  const bytes = input === undefined ? Buffer.from(JSON.stringify(f.patches ?? f.grown ?? [])) : statSync(input).isDirectory()
    ? Buffer.from(walk(input).filter((p) => statSync(p).isFile()).map((p) => relative(input, p) + '\n' + readFileSync(p).toString('base64')).join('\n'))
    : readFileSync(input);
  const id = `${f.backend}-${createHash('sha256').update(f.origin).update(bytes).digest('hex').slice(0, 12)}`;
  const dir = join(FINDINGS, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const finding: Finding = { ...f };
  if (input !== undefined && statSync(input).isFile() && statSync(input).size > GZIP_OVER_BYTES) {
    finding.input = `${basename(input)}.gz`;
    writeFileSync(join(dir, finding.input), gzipSync(readFileSync(input), { level: 9 }));
  } else if (input !== undefined) {
    cpSync(input, join(dir, basename(input)), { recursive: true });
    finding.input = basename(input);
  }
  writeFileSync(join(dir, 'finding.json'), JSON.stringify(finding, null, 2) + '\n');
  return id;
}

/** The seed a finding names by its origin, or undefined when it is not here (no corpus beside the clone). */
export async function seedOf(f: Finding): Promise<Seed | undefined> {
  if (!f.origin.startsWith('corpus:')) return existsSync(join(REPO, f.origin)) ? { backend: f.backend, path: join(REPO, f.origin), inPlace: false, origin: f.origin } : undefined;
  const path = await corpusFile(f.origin.slice('corpus:'.length));
  return path ? { backend: f.backend, path, inPlace: statSync(path).isFile() && statSync(path).size > MAX_COPIED_BYTES, origin: f.origin } : undefined;
}

/**
 * The finding's input, ready to run: its kept copy; or its seed grown again the same way;
 * or a fresh copy of the corpus file with the writes replayed. Undefined without its seed.
 */
export async function materialize(id: string, f: Finding): Promise<{ path: string; dispose: () => void } | undefined> {
  if (f.input && !f.input.endsWith('.gz')) return { path: join(FINDINGS, id, f.input), dispose: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-finding-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  if (f.input) {
    const path = join(dir, f.input.slice(0, -3));
    writeFileSync(path, gunzipSync(readFileSync(join(FINDINGS, id, f.input))));
    return { path, dispose };
  }
  const seed = await seedOf(f);
  if (!seed) {
    dispose();
    return undefined;
  }
  if (f.grown) {
    const g = growthOf(f.backend)[f.grown]?.(seed, dir);
    if (!g) dispose();
    return g && { path: g.path, dispose };
  }
  const path = join(dir, basename(seed.path));
  copyFileSync(seed.path, path);
  applyPatches(path, f.patches ?? []);
  return { path, dispose };
}

export const outcomeFigures = (o: CaseOutcome): Finding['figures'] => ({ cpuMs: o.cpuMs, peakMB: o.peakMB, wallMs: o.wallMs });
