// Every finding `npm run fuzz` kept (test/fuzz/findings/<id>/: what it did, and its input
// or the writes that make it from a corpus file) is replayed end to end as the campaign ran
// it: the whole pipeline and its three reports in a child with the campaign's caps must
// answer with no hang, crash, raw JS error, or memory past the 150 MB goal. Time is a
// figure of the campaign, not asserted here. The harness itself is checked on inputs
// whose answer is known.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keptFindings, materialize } from '../../scripts/fuzz/findings.js';
import { CORPUS } from '../../scripts/fuzz/seeds.js';
import { classify, RAW_ERROR, runCase, type CaseOutcome } from '../../scripts/fuzz/run.js';
import type { CaseResult } from '../../scripts/fuzz/case.js';
import { fixture } from '../corpus.js';

/** Findings with their input here: kept whole, or made from a corpus file beside the clone. */
const kept = keptFindings().filter((k) => k.finding.input || (k.finding.origin.startsWith('corpus:') && existsSync(join(CORPUS, k.finding.origin.slice('corpus:'.length)))));
/** Failures a replay must not show; 'slow' is a time, measured by the campaign only. */
const FAILURES = ['hang', 'memory', 'crash', 'raw-error'];

describe('the fuzz harness', () => {
  it('runs a real input through the pipeline, and a damaged one that is reported as a problem', async () => {
    const good = await runCase([fixture('pstore-blk', 'pstore-blk-gpf-panic.bin')]);
    expect(good.result).toMatchObject({ records: expect.any(Number), thrown: [] });
    expect(good.result!.records).toBeGreaterThan(100);
    expect(good.result!.reportBytes).toBeGreaterThan(1000);
    const p = join(mkdtempSync(join(tmpdir(), 'crashlog-fuzzcheck-')), 'vmcore');
    writeFileSync(p, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8), Buffer.from([4, 0])]));
    const short = await runCase([p]);
    expect(FAILURES).not.toContain(short.finding?.cls);
    expect(short.result!.problems).toEqual([expect.stringMatching(/^\S*vmcore\+0x12: ELF header cut short/)]);
  }, 120_000);

  it('knows a raw JavaScript error when it sees one', () => {
    expect(RAW_ERROR.test("TypeError: Cannot read properties of undefined (reading 'x')")).toBe(true);
    expect(RAW_ERROR.test('crashlog: vmcore+0x12: ELF header cut short: 18 of its 64 bytes')).toBe(false);
  });

  it('classifies what a case did', () => {
    const result = (r: Partial<CaseResult>): Omit<CaseOutcome, 'finding'> => ({ wallMs: 900, peakMB: 80, cpuMs: 700, result: { ms: 300, cpuMs: 300, processCpuMs: 700, rssMB: 80, records: 3, problems: [], thrown: [], reportBytes: 10, ...r } });
    const thrown = (where: string) => [{ where, name: 'TypeError', message: "Cannot read properties of undefined (reading 'x')" }];
    expect(classify(result({}), 0, null, undefined, '')).toBeUndefined();
    expect(classify(result({ thrown: thrown('analyze') }), 0, null, undefined, '')?.cls).toBe('crash');
    expect(classify(result({ thrown: thrown('erst read') }), 0, null, undefined, '')?.cls).toBe('raw-error');
    expect(classify(result({ problems: ['x: Invalid time value'] }), 0, null, undefined, '')?.cls).toBe('raw-error');
    expect(classify(result({ rssMB: 151 }), 0, null, undefined, '')?.cls).toBe('memory');
    expect(classify(result({ processCpuMs: 2001 }), 0, null, undefined, '')?.cls).toBe('slow');
    expect(classify(result({}), null, null, 'no answer after 10000 ms of CPU', '')?.cls).toBe('hang');
    expect(classify({ wallMs: 1, peakMB: 1, cpuMs: 1 }, 134, null, undefined, 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')?.cls).toBe('memory');
    expect(classify({ wallMs: 1, peakMB: 1, cpuMs: 1 }, null, 'SIGSEGV', undefined, '')?.cls).toBe('crash');
  });
});

describe.runIf(kept.length > 0)('kept fuzz findings', () => {
  it.each(kept.map((k) => [k.id, k] as const))('%s is answered', async (_id, { id, finding }) => {
    const input = (await materialize(id, finding))!;
    try {
      const out = await runCase([input.path]);
      expect(FAILURES, `${finding.mutations.join('; ')}: ${out.finding?.detail ?? ''}`).not.toContain(out.finding?.cls);
    } finally {
      input.dispose();
    }
  }, 180_000);
});
