// mtdoops has no pstore twin (block2mtd has no panic_write): a report on the partition image
// gives the verdict truth.json names, and the serial console log of the crash agrees.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Incident } from '../../src/model/index.js';
import { fixture } from '../corpus.js';

const verdict = (i: Incident) => ({ cause: i.cause, kind: i.kind, title: i.title, panic: i.panic ?? null, events: i.events.map((e) => e.title), module: i.module });

describe('mtdoops-oops-panic: partition image', () => {
  it('gives the verdict truth.json names', async () => {
    const raw = await analyze([fixture('mtdoops', 'mtdoops-oops-panic', 'mtdoops-partition.bin')]);
    expect(raw.inputs.map((i) => [i.backend, i.problems])).toEqual([['mtdoops', []]]);
    const truth = JSON.parse(readFileSync(fixture('mtdoops', 'mtdoops-oops-panic', 'truth.json'), 'utf8')) as { cause: string; kind: string; title: string; panic: string | null; events: string[]; module: string };
    expect(raw.incidents.map(verdict)).toEqual([{ cause: truth.cause, kind: truth.kind, title: truth.title, panic: truth.panic, events: truth.events, module: truth.module }]);
  });
});
