// `npm run fuzz [-- --budget SECONDS] [--seed N] [--backend ID]`: an end-to-end fuzz campaign.
// Structure-aware mutations (scripts/fuzz/mutate.ts: lengths set huge, counts, flipped
// bits, cut and spliced bytes, aimed at headers) of every backend's real inputs under
// fixtures/<backend>/, each run through the whole CLI (`report --json`: probe, reader,
// timeline, correlator, report) in a child process with a memory and a time cap. A case
// fails when it hangs, runs out of its memory, exits other than 0/1, or prints a raw
// JavaScript error instead of a problem naming the file and offset. Each failure is kept
// under test/fuzz/findings/ (the input and what it did), and `npm test` replays every one.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { backends } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { applyMutation, mutationArb, type Mutation } from './mutate.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURES = join(REPO, 'fixtures');
export const FINDINGS = join(REPO, 'test', 'fuzz', 'findings');
const MAIN = join(REPO, 'dist', 'src', 'main.js');
/** Per case: wall time, and the heap a crashed machine can spare (issue 16: 150 MB). */
export const CASE_TIMEOUT_MS = 10_000;
export const CASE_HEAP_MB = 150;
const MAX_SEED_BYTES = 4 << 20;

/** What a JavaScript error looks like when it leaks past the problem reports. */
export const RAW_ERROR = /\b(?:TypeError|RangeError|ReferenceError|SyntaxError|Maximum call stack|Cannot read properties|is not a function|Offset is outside the bounds|Invalid time value|Invalid array length)\b/;

export type FindingClass = 'hang' | 'memory' | 'crash' | 'raw-error';

/** Run one input through `crashlog report --json` in a child: undefined if it behaved. */
export function runCase(input: string): { cls: FindingClass; detail: string } | undefined {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${CASE_HEAP_MB}`, MAIN, 'report', '--json', input], { encoding: 'utf8', timeout: CASE_TIMEOUT_MS, maxBuffer: 64 << 20 });
  const err = r.stderr ?? '';
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { cls: 'hang', detail: `no answer in ${CASE_TIMEOUT_MS} ms` };
  if (/heap out of memory|Allocation failed/.test(err)) return { cls: 'memory', detail: err.split('\n').find((l) => /memory|Allocation/.test(l)) ?? '' };
  if (r.signal) return { cls: 'crash', detail: `killed by ${r.signal}` };
  if (r.status !== 0 && r.status !== 1) return { cls: 'crash', detail: `exit ${r.status}: ${err.slice(0, 400)}` };
  const raw = RAW_ERROR.exec(err + (r.stdout ?? ''));
  if (raw) return { cls: 'raw-error', detail: (err + r.stdout).split('\n').find((l) => RAW_ERROR.test(l))!.slice(0, 400) };
  return undefined;
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

async function seedsOf(id: string): Promise<string[]> {
  const b = backends.find((x) => x.id === id)!;
  const out: string[] = [];
  for (const p of walk(join(FIXTURES, id))) {
    if (/\.(json|md)$/.test(p) || sizeOf(p) > MAX_SEED_BYTES) continue;
    if (b.probe(await makeProbe(p)) > 0) out.push(p);
  }
  return out.slice(0, 6);
}

/** A mutated copy of the seed (the file, or one file in a copy of the folder). */
function mutated(seed: string, work: string, muts: Mutation[], pick: number): { path: string; file: string } {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const path = join(work, basename(seed));
  cpSync(seed, path, { recursive: true });
  let file = path;
  if (statSync(path).isDirectory()) {
    const files = walk(path).filter((p) => statSync(p).isFile());
    if (files.length) file = files[Math.floor(pick * files.length)]!;
  }
  if (statSync(file).isFile()) writeFileSync(file, muts.reduce(applyMutation, readFileSync(file) as Uint8Array));
  return { path, file };
}

function keep(backend: string, seed: string, muts: Mutation[], input: string, f: { cls: FindingClass; detail: string }): string {
  const bytes = statSync(input).isDirectory() ? Buffer.from(walk(input).filter((p) => statSync(p).isFile()).map((p) => relative(input, p) + '\n' + readFileSync(p).toString('base64')).join('\n')) : readFileSync(input);
  const id = `${backend}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`;
  const dir = join(FINDINGS, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(input, join(dir, basename(input)), { recursive: true });
  writeFileSync(join(dir, 'finding.json'), JSON.stringify({ backend, seed: relative(REPO, seed), input: basename(input), class: f.cls, detail: f.detail, mutations: muts.map((m) => ('bytes' in m ? { ...m, bytes: Buffer.from(m.bytes).toString('hex') } : m)) }, null, 2) + '\n');
  return id;
}

async function main(): Promise<void> {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  const budget = Number(arg('--budget') ?? 300) * 1000;
  const seed = Number(arg('--seed') ?? 20261202);
  const only = arg('--backend');
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: npm run build first`);
  const ids = backends.map((b) => b.id).filter((id) => !only || id === only);
  const seeds = new Map<string, string[]>();
  for (const id of ids) seeds.set(id, await seedsOf(id));
  const live = ids.filter((id) => seeds.get(id)!.length > 0);
  const work = mkdtempSync(join(tmpdir(), 'crashlog-fuzz-'));
  const runs = new Map<string, number>();
  const findings = new Map<string, string[]>();
  const rng = fc.sample(fc.tuple(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.nat()), { seed, numRuns: 1_000_000 })[Symbol.iterator]();
  const end = Date.now() + budget;
  try {
    for (let n = 0; Date.now() < end && live.length; n++) {
      const id = live[n % live.length]!;
      const list = seeds.get(id)!;
      const [muts, pick, which] = rng.next().value as [Mutation[], number, number];
      const s = list[which % list.length]!;
      const { path } = mutated(s, join(work, 'case'), muts, pick);
      runs.set(id, (runs.get(id) ?? 0) + 1);
      const f = runCase(path);
      if (f) {
        const kept = keep(id, s, muts, path, f);
        findings.set(f.cls, [...(findings.get(f.cls) ?? []), kept]);
        process.stderr.write(`finding ${kept}: ${f.cls}: ${f.detail}\n`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`fuzz: seed ${seed}, budget ${budget / 1000} s, ${[...runs.values()].reduce((a, b) => a + b, 0)} cases\n`);
  for (const id of ids) process.stdout.write(`  ${id.padEnd(12)} ${String(runs.get(id) ?? 0).padStart(6)} runs${seeds.get(id)!.length ? '' : ' (no seeds under fixtures/)'}\n`);
  process.stdout.write(`findings by class: ${findings.size ? [...findings].map(([c, l]) => `${c} ${l.length}`).join(', ') : 'none'}\n`);
  if (findings.size) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
