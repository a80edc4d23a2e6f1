// Every registered backend, on seeded mutations of every seed under fixtures/<backend-id>/:
// probe and read must give records or problems (typed FormatErrors at most), never an
// uncaught exception, a hang, or a huge allocation. Seeds are found, not listed: a new
// backend registers by having fixtures.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { backends } from '../../backends/index.js';
import type { Backend } from '../../src/backend.js';
import { makeProbe } from '../../src/input/probe.js';
import { FormatError } from '../../src/util/errors.js';
import { FIXTURES } from '../corpus.js';
import { applyMutation, mutationArb } from '../../scripts/fuzz/mutate.js';
import { sizeOf, walk } from '../../scripts/fuzz/seeds.js';
import { builtSeeds } from './seeds.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
/** Cases per backend (split over its seeds), and the most seeds tried per backend. The long
 * campaign, end to end, is `npm run fuzz` (scripts/fuzz/campaign.ts); this is its quick,
 * seeded per-reader pass inside npm test's 10 minutes. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const MAX_SEEDS = 6;
/** Seeds over this size are not copied for every case. */
const MAX_SEED_BYTES = 4 * 1024 * 1024;
const CASE_TIMEOUT_MS = 5000;
const MAX_RECORDS = 1_000_000;
/** Memory a single case may add before it counts as a huge allocation. */
const MAX_RSS_GROWTH = 1024 * 1024 * 1024;

const work = mkdtempSync(join(tmpdir(), 'crashlog-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function seedsOf(b: Backend): Promise<string[]> {
  const built = builtSeeds[b.id];
  const seeds: string[] = built ? built(mkdtempSync(join(work, `seed-${b.id}-`))) : [];
  for (const p of walk(join(FIXTURES, b.id))) {
    if (/\.(json|md)$/.test(p) || sizeOf(p) > MAX_SEED_BYTES) continue;
    if (b.probe(await makeProbe(p)) > 0) seeds.push(p);
  }
  // Directories first (they are how most inputs arrive), then single files.
  seeds.sort((a, c) => Number(statSync(c).isDirectory()) - Number(statSync(a).isDirectory()));
  return seeds.slice(0, MAX_SEEDS);
}

/** A mutated copy of the seed: the file itself, or one file inside a copy of the directory. */
function mutatedCopy(seed: string, n: number, mutate: (b: Uint8Array) => Uint8Array, pick: number): string {
  const dir = join(work, String(n));
  rmSync(dir, { recursive: true, force: true });
  const target = join(dir, basename(seed));
  cpSync(seed, target, { recursive: true });
  let file = target;
  if (statSync(target).isDirectory()) {
    const files = walk(target).filter((p) => statSync(p).isFile());
    if (files.length === 0) return target;
    file = files[Math.floor(pick * files.length)]!;
  }
  writeFileSync(file, mutate(readFileSync(file)));
  return target;
}

async function exercise(b: Backend, path: string): Promise<void> {
  const rss = process.memoryUsage().rss;
  const probe = await makeProbe(path);
  const score = b.probe(probe);
  expect(score).toBeGreaterThanOrEqual(0);
  expect(score).toBeLessThanOrEqual(1);
  let records = 0;
  const run = (async () => {
    try {
      for await (const y of b.read(path, { options: {}, problem: () => {} })) if ((records += Array.isArray(y) ? y.length : 1) > MAX_RECORDS) break;
    } catch (err) {
      // A typed error naming the place is an answer; anything else is a bug.
      if (!(err instanceof FormatError)) throw err;
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${b.id} read did not finish in ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
  });
  try {
    await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
  expect(process.memoryUsage().rss - rss).toBeLessThan(MAX_RSS_GROWTH);
}

describe('fuzz: mutated real inputs never crash a backend', () => {
  for (const b of backends) {
    it(`${b.id}`, async () => {
      const seeds = await seedsOf(b);
      // Every backend registers by having seeds: real fixtures, or builders in seeds.ts.
      expect(seeds.length, `no seeds for ${b.id}: add fixtures/${b.id}/ or a builder in test/fuzz/seeds.ts`).toBeGreaterThan(0);
      let n = 0;
      const runsPerSeed = Math.max(20, Math.floor(RUNS / seeds.length));
      for (const [i, seed] of seeds.entries()) {
        await fc.assert(
          fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), async (muts, pick) => {
            const path = mutatedCopy(seed, n++, (bytes) => muts.reduce(applyMutation, bytes), pick);
            try {
              await exercise(b, path);
            } catch (err) {
              throw new Error(`${relative(FIXTURES, seed)}: ${(err as Error).stack}`);
            }
          }),
          { seed: SEED + i, numRuns: runsPerSeed, endOnFailure: true },
        );
      }
    }, 240_000);
  }
});
