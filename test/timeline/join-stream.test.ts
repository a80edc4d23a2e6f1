// A store judged boot by boot as it is read (src/analyze-store.ts, src/timeline/join-stream.ts):
// its segments join as joinSegments (build.ts) joins them all at once, and the verdict is the
// one the whole store gives, whether it was judged as it came or read again whole (a record
// that joins a boot already judged; a record that is not a log, to place among boots already
// judged).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeStore } from '../../src/analyze-store.js';
import { resolveInputs } from '../../src/input/resolve.js';
import { joinSegments } from '../../src/timeline/build.js';
import { StreamJoiner } from '../../src/timeline/join-stream.js';
import type { Segment } from '../../src/timeline/segments.js';
import type { KernelMessage } from '../../src/model/index.js';
import { stamp } from '../builders/console-log.js';

const line = (ns: bigint, text: string): KernelMessage => ({ kind: 'kmsg', text, tsNs: ns, source: { backend: 'test', path: 'x' } });

/**
 * Segments whose late lines come from a small pool, so that many share lines, in a few far
 * apart stretches of time (segments in different ones never meet: join-stream.ts keys a
 * segment's lines only once another's span meets it); some with a journal boot id.
 */
const segmentsArb = fc.array(
  fc.record({
    lines: fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), fc.constantFrom('a', 'b', 'c')), { minLength: 0, maxLength: 8 }),
    stretch: fc.integer({ min: 0, max: 3 }),
    boot: fc.option(fc.constantFrom('b1', 'b2', 'b3'), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 40 },
);

function segmentsOf(specs: { lines: [number, string][]; stretch: number; boot: string | undefined }[]): Segment[] {
  return specs.map((sp, i) => {
    const at = (t: number) => BigInt(t + 100 * sp.stretch) * 1_000_000_000n + 2_000_000_000n;
    const s: Segment = { input: 0, banner: false, messages: sp.lines.map(([t, x]) => line(at(t), x)) };
    if (sp.boot !== undefined) s.boot = sp.boot;
    s.messages.push(line(1n, `segment ${i}`)); // early: never a key, but tells the segments apart
    return s;
  });
}

/** Each group by its segments' indices. */
const shape = (groups: Segment[][], all: Segment[]) => groups.map((g) => g.map((s) => all.indexOf(s)));

describe('StreamJoiner', () => {
  it('joins segments as joinSegments does; judged early, it either agrees or says the input must be read again', () => {
    fc.assert(
      fc.property(segmentsArb, fc.integer({ min: 1, max: 6 }), (specs, boots) => {
        const segs = segmentsOf(specs);
        const whole = shape(joinSegments(segs), segs);
        const run = (window: { boots: number; lines: number }) => {
          const judged: Segment[][] = [];
          const j = new StreamJoiner((g) => judged.push(g), window);
          for (const s of segs) j.add(s);
          j.end();
          return { late: j.late, groups: shape(judged, segs) };
        };
        // A window larger than the input: nothing judged before the end, the very grouping.
        const held = run({ boots: 1000, lines: 1e9 });
        expect(held.late).toBe(false);
        expect(held.groups).toEqual(whole);
        // A small window: where nothing joined a judged boot, still the very grouping.
        const small = run({ boots, lines: 1e9 });
        if (!small.late) expect(small.groups).toEqual(whole);
      }),
      { numRuns: 400, seed: 20261202 },
    );
  });

  it('says the input must be read again when a segment shares lines with a boot judged before it', () => {
    // 0 and 1 meet (1 shares one line: boots of their own, both keyed); three boots far away in
    // time push 0 out of a window of two; 5 holds 0's three lines, as joinSegments joins them.
    const segs = segmentsOf([
      { lines: [[1, 'a'], [2, 'b'], [3, 'c']], stretch: 0, boot: undefined },
      { lines: [[1, 'a'], [5, 'x'], [6, 'y']], stretch: 0, boot: undefined },
      { lines: [[1, 'q']], stretch: 1, boot: undefined },
      { lines: [[1, 'r']], stretch: 2, boot: undefined },
      { lines: [[1, 's']], stretch: 3, boot: undefined },
      { lines: [[1, 'a'], [2, 'b'], [3, 'c']], stretch: 0, boot: undefined },
    ]);
    expect(shape(joinSegments(segs), segs)).toEqual([[0, 5], [1], [2], [3], [4]]);
    const j = new StreamJoiner(() => {}, { boots: 2, lines: 1e9 });
    for (const s of segs) j.add(s);
    expect(j.late).toBe(true);
  });
});

/** A pstore directory of `n` boots' dumps ("Panic#1 Part1", one boot each, their lines apart in time). */
function store(n: number, extra: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-join-stream-'));
  for (let r = 0; r < n; r++) writeFileSync(join(dir, `dmesg-ramoops-${r}`), dump(r, `boot ${r}`));
  extra(dir);
  return dir;
}

function dump(r: number, what: string, header = 'Panic#1 Part1'): string {
  const base = (r + 10) * 1e9;
  const lines = [header];
  for (let i = 0; i < 6; i++) lines.push(`<6>${stamp(base + i * 1e6)} ${what} line ${i}`);
  lines.push(`<0>${stamp(base + 9e6)} Kernel panic - not syncing: ${what} panicked`);
  return lines.join('\n') + '\n';
}

/** Boots held open while a store is judged (join-stream.ts WINDOW_BOOTS, smaller). */
const WINDOW_BOOTS = 16;

async function both(dir: string) {
  const { inputs } = await resolveInputs([dir]);
  const streamed = await analyzeStore(inputs[0]!, {}, undefined, { boots: WINDOW_BOOTS, lines: 1e9 });
  const report = await analyze([dir], { keep: 'incidents' });
  const whole = await analyze([dir], { keep: 'verdict' });
  return { streamed, report, whole };
}

describe('a store judged as it is read', () => {
  it(`judges ${WINDOW_BOOTS * 3} boots as they come and says what the whole store says`, async () => {
    const { streamed, report, whole } = await both(store(WINDOW_BOOTS * 3));
    expect(streamed).toBeDefined();
    expect(whole.incidents).toHaveLength(WINDOW_BOOTS * 3);
    expect(report.incidents).toEqual(whole.incidents);
    expect(streamed!.incidents).toEqual(whole.incidents);
    expect(streamed!.timeline.boots.map((b) => b.key)).toEqual(whole.timeline.boots.map((b) => b.key));
    expect(streamed!.timeline.boots.every((b) => b.messages.length === 0)).toBe(true);
  });

  it('reads the store again whole when a dump joins a boot judged long before (its Oops and its Panic far apart)', async () => {
    const n = WINDOW_BOOTS * 2;
    // The last record is boot 0's second dump: its log holds boot 0's lines, then the panic.
    const dir = store(n, (d) => writeFileSync(join(d, `dmesg-ramoops-${n}`), dump(0, 'boot 0', 'Oops#2 Part1').replace(/<0>.*\n$/, `<0>${stamp(10e9 + 20e6)} Kernel panic - not syncing: boot 0 died again\n`)));
    const { streamed, report, whole } = await both(dir);
    expect(streamed).toBeUndefined();
    expect(report.incidents).toEqual(whole.incidents);
    expect(whole.incidents).toHaveLength(n);
    expect(whole.incidents[0]!.title).toMatch(/boot NUM died again/);
  });

  it('reads the store again whole to place a record that is not a log among boots judged before it', async () => {
    const n = WINDOW_BOOTS * 2;
    const dir = store(n);
    const { streamed: plain } = await both(dir);
    expect(plain).toBeDefined();
    // A pmsg record (fs/pstore/inode.c "pmsg-%s-%llu"): a blob, placed by place.ts among all the boots.
    writeFileSync(join(dir, 'pmsg-ramoops-0'), 'user space wrote this\n');
    const { streamed, report, whole } = await both(dir);
    expect(streamed).toBeUndefined();
    expect(report.incidents).toEqual(whole.incidents);
    expect(report.inputs).toEqual(whole.inputs);
    expect(whole.timeline.boots.some((b) => b.blobs.length === 1)).toBe(true);
  });
});
