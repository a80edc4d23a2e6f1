// An item's truth.json (../shared/corpus/README.md) and the check that an incident says it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Incident } from '../../src/model/index.js';

export interface Truth {
  cause: string; kind: string; panic?: string | null; hung?: boolean; title?: string; events?: string[]; module?: string; function?: string;
  mce?: Record<string, string | number>; correctedBefore?: { bank: number; count: number; addr: string }[];
}

export const readTruth = (dir: string): Truth => JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;

export function expectTruth(incidents: Incident[], truth: Truth): Incident {
  expect(incidents).toHaveLength(1);
  const inc = incidents[0]!;
  expect({ cause: inc.cause, kind: inc.kind }).toEqual({ cause: truth.cause, kind: truth.kind });
  if (truth.panic !== undefined) expect(inc.panic ?? null).toBe(truth.panic);
  if (truth.hung !== undefined) expect(inc.hung ?? false).toBe(truth.hung);
  if (truth.title) expect(inc.title).toBe(truth.title);
  if (truth.events) expect(inc.events.map((e) => e.title)).toEqual(truth.events);
  if (truth.module) expect(inc.module).toBe(truth.module);
  if (truth.function) expect(inc.function).toBe(truth.function);
  if (truth.mce) {
    expect(inc.mce?.map((m) => Object.fromEntries(Object.keys(truth.mce!).map((k) => [k, m[k as keyof typeof m]])))).toContainEqual(truth.mce);
  }
  if (truth.correctedBefore) {
    expect(inc.correctedBefore?.map(({ bank, count, addr }) => ({ bank, count, addr }))).toEqual(truth.correctedBefore);
  }
  expect(inc.confidence).toBeGreaterThan(0);
  expect(inc.confidence).toBeLessThanOrEqual(1);
  expect(inc.evidence.find((e) => e.text.startsWith(`Confidence ${inc.confidence}:`))).toBeDefined();
  for (const e of inc.evidence) expect(e.source.path).toBeTruthy();
  return inc;
}
