// The records a vmcore yields feed the same timeline and verdict as every other source:
// `crashlog report` on each real dump against the item's truth.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { corpus } from '../corpus.js';

interface Truth { cause: string; kind: string; title: string; panic: string | null; hung?: boolean; events: string[]; function?: string; module?: string }

const DUMPS = [
  ['kdump-oops-panic', 'vmcore.kdump-zlib-d31'],
  ['kdump-oops-panic', 'vmcore.flat-zlib-d31'],
  ['qemu-dump-hung', 'vmcore.kdump-zlib'],
  ['arm64-qemu-dump', 'vmcore.elf.gz'],
] as const;

describe('report on the real vmcores equals truth.json', () => {
  for (const [item, file] of DUMPS) {
    it(`${item}/${file}`, async () => {
      const truth = JSON.parse(readFileSync(corpus(item, 'truth.json'), 'utf8')) as Truth;
      const a = await analyze([corpus(item, file)]);
      expect(a.inputs.map((i) => [i.backend, i.problems])).toEqual([['vmcore', []]]);
      // the whole log is one boot (arm64 prints "Booting Linux on physical CPU" at 0.000000,
      // before the banner: still the same boot)
      expect(a.timeline.boots).toHaveLength(1);
      expect(a.incidents).toHaveLength(1);
      const inc = a.incidents[0]!;
      expect({ cause: inc.cause, kind: inc.kind, title: inc.title, panic: inc.panic ?? null, hung: inc.hung ?? false })
        .toEqual({ cause: truth.cause, kind: truth.kind, title: truth.title, panic: truth.panic, hung: truth.hung ?? false });
      expect(inc.events.map((e) => e.title)).toEqual(truth.events);
      if (truth.function) expect(inc.function).toBe(truth.function);
      if (truth.module) expect(inc.module).toBe(truth.module);
      expect(inc.events.every((e) => e.source.backend === 'vmcore' && e.source.path.endsWith(file))).toBe(true);
    }, 30_000);
  }
});
