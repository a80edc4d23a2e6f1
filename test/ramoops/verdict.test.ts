// A report on the raw ramoops region gives the verdict the report on the pstore files the
// kernel made from it gives, and that verdict is the item's truth.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Incident } from '../../src/model/index.js';
import { fixture } from '../corpus.js';

const verdict = (i: Incident) => ({ cause: i.cause, kind: i.kind, title: i.title, panic: i.panic ?? null, events: i.events.map((e) => e.title), module: i.module, function: i.function });

describe.each(['ramoops-oops-panic', 'ramoops-ecc-bug'])('ramoops %s: raw region and pstore files', (item) => {
  it('give the same verdict, the one truth.json names', async () => {
    const raw = await analyze([fixture('ramoops', item, 'ramoops-region.bin')]);
    const files = await analyze([fixture('ramoops', item, 'pstore')]);
    expect(raw.inputs.map((i) => [i.backend, i.problems])).toEqual([['ramoops', []]]);
    expect(raw.incidents.map(verdict)).toEqual(files.incidents.map(verdict));
    const truth = JSON.parse(readFileSync(fixture('ramoops', item, 'truth.json'), 'utf8')) as { cause: string; kind: string; title: string; panic: string | null; events: string[] };
    expect(raw.incidents.map(verdict)).toMatchObject([{ cause: truth.cause, kind: truth.kind, title: truth.title, panic: truth.panic, events: truth.events }]);
    expect(raw.incidents[0]!.evidence.some((e) => e.source.backend === 'ramoops')).toBe(true);
  });
});
