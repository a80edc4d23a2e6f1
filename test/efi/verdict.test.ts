// A report on the efivars gives the verdict the report on the pstore files of the same crash gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Incident } from '../../src/model/index.js';
import { fixture } from '../corpus.js';

const verdict = (i: Incident) => ({ cause: i.cause, kind: i.kind, title: i.title, panic: i.panic ?? null, events: i.events.map((e) => e.title), module: i.module, function: i.function });

describe('efi-oops-panic: efivars and pstore files', () => {
  it('give the same verdict, the one truth.json names', async () => {
    const raw = await analyze([fixture('efi', 'efi-oops-panic', 'efivars')]);
    const files = await analyze([fixture('efi', 'efi-oops-panic', 'pstore')]);
    expect(raw.inputs.map((i) => [i.backend, i.problems])).toEqual([['efi', []]]);
    expect(raw.incidents.map(verdict)).toEqual(files.incidents.map(verdict));
    const truth = JSON.parse(readFileSync(fixture('efi', 'efi-oops-panic', 'truth.json'), 'utf8')) as { cause: string; kind: string; title: string; panic: string | null; events: string[] };
    expect(raw.incidents.map(verdict)).toMatchObject([{ cause: truth.cause, kind: truth.kind, title: truth.title, panic: truth.panic, events: truth.events }]);
  });
});
