// An item's truth.json (../shared/corpus/README.md) and the check that an incident says it.
// A truth may hold a `pstore_only` block: what the item's stores alone can show when the
// kernel could not write the rest there (pstore/blk has no panic_write); it applies to an
// input set of stores only, and the whole truth to any set with the crashed boot's console
// or a vmcore.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Incident } from '../../src/model/index.js';

export interface Truth {
  cause: string; kind: string; panic?: string | null; hung?: boolean; title?: string; events?: string[]; module?: string; function?: string;
  first_oops_function?: string; earlierSoftwareEvents?: string[];
  mce?: Record<string, string | number>; correctedBefore?: { bank: number; count: number; addr: string }[];
  pstore_only?: Partial<Truth>;
}

export const readTruth = (dir: string): Truth => JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth;

/** A truth with a crash verdict in it (not, say, the DMI tables' decode). */
export const isCrashTruth = (t: Partial<Truth>): t is Truth => typeof t.cause === 'string' && typeof t.kind === 'string';

/** Inputs that hold the crashed boot to its end: a vmcore, a netconsole capture, the journal
 * (and the crashed boot's console, which the walking test names itself). */
export const WHOLE_BOOT_BACKENDS = new Set(['vmcore', 'pcap', 'journal']);

/** The truth for an input set; `whole`: the set holds the crashed boot to its end. */
export function truthFor(truth: Truth, whole: boolean): Truth {
  if (!truth.pstore_only || whole) return truth;
  // The stores lack the end of the boot: the whole truth's panic and events do not apply.
  const { events: _e, panic: _p, title: _t, function: _f, first_oops_function: _o, ...rest } = truth;
  return { ...rest, ...truth.pstore_only } as Truth;
}

export function expectTruth(incidents: Incident[], truth: Truth): Incident {
  expect(incidents).toHaveLength(1);
  const inc = incidents[0]!;
  expect({ cause: inc.cause, kind: inc.kind }).toEqual({ cause: truth.cause, kind: truth.kind });
  if (truth.panic !== undefined) expect(inc.panic ?? null).toBe(truth.panic);
  if (truth.hung !== undefined) expect(inc.hung ?? false).toBe(truth.hung);
  if (truth.title) expect(inc.title).toBe(truth.title);
  if (truth.events) expect(inc.events.map((e) => e.title)).toEqual(truth.events);
  if (truth.earlierSoftwareEvents) {
    const titles = inc.events.map((e) => e.title);
    expect(titles.slice(0, truth.earlierSoftwareEvents.length)).toEqual(truth.earlierSoftwareEvents);
  }
  if (truth.module) expect(inc.module).toBe(truth.module);
  if (truth.function) expect(inc.function).toBe(truth.function);
  if (truth.first_oops_function) expect(inc.firstOops?.function).toBe(truth.first_oops_function);
  if (truth.mce) {
    expect(inc.mce?.map((m) => Object.fromEntries(Object.keys(truth.mce!).map((k) => [k, m[k as keyof typeof m]])))).toContainEqual(truth.mce);
  }
  if (truth.correctedBefore) {
    expect(inc.correctedBefore?.map(({ bank, count, addr }) => ({ bank, count, addr }))).toEqual(truth.correctedBefore);
  }
  // A panic after an oops prints no backtrace of its own: whole, not cut (kernel/panic.c).
  expect(inc.events.filter((e) => e.corrupted).map((e) => e.title)).toEqual([]);
  expect(inc.confidence).toBeGreaterThan(0);
  expect(inc.confidence).toBeLessThanOrEqual(1);
  expect(inc.evidence.find((e) => e.text.startsWith(`Confidence ${inc.confidence}:`))).toBeDefined();
  for (const e of inc.evidence) expect(e.source.path).toBeTruthy();
  return inc;
}
