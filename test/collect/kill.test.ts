// Fault injection: `collect --unlink` in a child process, SIGKILLed at seeded random
// moments. After each kill every record is still in its source folder or complete in the
// archive, and a rerun finishes the job: all records archived once, sources empty.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../src/collect/index.js';
import { buildPrivate, removeBuild, type Built } from './build.js';
import { copyPstore, entries, hashes, sha, tempDir, walk } from './helpers.js';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
/** Seeded kills in npm test (KILL_RUNS= for a longer run). */
const RUNS = Number(process.env.KILL_RUNS ?? 60);
const STEP_MS = '0.3';
const ITEM = 'efi-oops-panic'; // 28 records: many steps to land between

/**
 * The child needs plain JS: compile the current sources into a private folder (not the
 * shared dist/, which other builds may be rewriting while this test runs), without blocking
 * the test worker meanwhile.
 */
let BUILT = '';
let build: Built | undefined;
async function buildChild(): Promise<void> {
  build = await buildPrivate();
  BUILT = join(build.root, 'src', 'collect', 'index.js');
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run the child; kill it `killAfterMs` after it is loaded (never, when undefined). Resolves to ms it ran after loading. */
function runChild(archive: string, pstore: string, killAfterMs?: number): Promise<{ ms: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, BUILT, archive, pstore, STEP_MS], { stdio: ['ignore', 'pipe', 'pipe'] });
    let t0 = 0;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => {
      t0 = performance.now();
      if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ ms: performance.now() - t0, killed: true });
      else if (code === 0) resolve({ ms: performance.now() - t0, killed: false });
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

/** Where each original record is now: 'source', 'archive', or both; throws if anywhere damaged. */
function whereRecords(original: Map<string, string>, src: string, archive: string): Map<string, Set<string>> {
  const at = new Map([...original.keys()].map((n) => [n, new Set<string>()]));
  const left = existsSync(src) ? hashes(src) : new Map<string, string>();
  for (const [n, h] of left) {
    expect(h, `source ${n} unchanged`).toBe(original.get(n));
    at.get(n)!.add('source');
  }
  for (const id of existsSync(archive) ? entries(archive) : []) {
    const manifest = JSON.parse(readFileSync(join(archive, id, 'manifest.json'), 'utf8')) as { records: { file: string; sha256: string }[] };
    for (const r of manifest.records) {
      const name = r.file.replace(/^pstore\//, '');
      expect(r.sha256).toBe(original.get(name));
      expect(sha(readFileSync(join(archive, id, r.file))), `${id}/${r.file} complete`).toBe(r.sha256);
      at.get(name)!.add('archive');
    }
  }
  return at;
}

describe('collect --unlink killed at random moments', () => {
  beforeAll(buildChild, 300_000);
  afterAll(() => removeBuild(build));

  it(`never loses a record (${RUNS} seeded kills), and a rerun completes the job`, { timeout: 600_000 }, async () => {
    const original = hashes(copyPstore(ITEM, tempDir('kill-ref')));
    const calibrate = tempDir('kill-cal');
    const full = await runChild(join(calibrate, 'archive'), copyPstore(ITEM, calibrate));
    expect(full.killed).toBe(false);
    const window = full.ms * 1.1;
    rmSync(calibrate, { recursive: true, force: true });

    const random = mulberry32(20261122);
    const delays = Array.from({ length: RUNS }, () => random() * window);
    const seen = { noEntry: 0, entryAndSources: 0, partlyUnlinked: 0, allDone: 0 };
    const trial = async (i: number) => {
      const root = tempDir('kill');
      const src = copyPstore(ITEM, root);
      const archive = join(root, 'archive');
      await runChild(archive, src, delays[i]);

      const at = whereRecords(original, src, archive);
      for (const [name, places] of at) expect(places.size, `${name} after kill ${i}`).toBeGreaterThan(0);
      const inSource = [...at.values()].filter((p) => p.has('source')).length;
      const inArchive = [...at.values()].filter((p) => p.has('archive')).length;
      if (inArchive === 0) seen.noEntry++;
      else if (inSource === original.size) seen.entryAndSources++;
      else if (inSource > 0) seen.partlyUnlinked++;
      else seen.allDone++;

      const r = await collect({ archive, sources: [{ kind: 'pstore', path: src, explicit: true }], unlink: true, keep: 0 });
      expect(r.failed, r.notes.map((n) => n.message).join('\n')).toBe(false);
      expect(readdirSync(src)).toEqual([]);
      expect(entries(archive)).toHaveLength(1);
      const entry = join(archive, entries(archive)[0]!);
      expect(readdirSync(entry).filter((n) => n.startsWith('report.')).sort()).toEqual(['report.json', 'report.txt']);
      const done = whereRecords(original, src, archive);
      for (const places of done.values()) expect([...places]).toEqual(['archive']);
      expect(walk(archive).filter((p) => p.includes('.tmp-') || p === '.lock')).toEqual([]);
      rmSync(root, { recursive: true, force: true });
    };
    // Two at a time (2 cores); each trial has its own folders.
    let next = 0;
    const worker = async () => {
      while (next < RUNS) await trial(next++);
    };
    await Promise.all([worker(), worker()]);
    console.log('kill phases:', JSON.stringify(seen), 'window ms', Math.round(window));
    // The kills must have landed in every phase, or this test shows nothing.
    expect(seen.noEntry).toBeGreaterThan(2);
    expect(seen.entryAndSources + seen.partlyUnlinked).toBeGreaterThan(2);
  });
});
