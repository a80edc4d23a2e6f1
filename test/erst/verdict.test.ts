// A report on QEMU's ERST store gives the verdict the report on the pstore files of the same crash gives.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Incident } from '../../src/model/index.js';
import { fixture } from '../corpus.js';

const verdict = (i: Incident) => ({
  cause: i.cause, kind: i.kind, title: i.title, panic: i.panic ?? null, events: i.events.map((e) => e.title),
  correctedBefore: i.correctedBefore?.map(({ bank, count, addr }) => ({ bank, count, addr })),
});
const mces = (i: Incident) => i.mce?.map((m) => ({ bank: m.bank, status: m.status, addr: m.addr, severity: m.severity, errorClass: m.errorClass }));
const ITEM = (...p: string[]) => fixture('erst', 'erst-mce-memory', ...p);

describe('erst-mce-memory: erst-backing.bin and pstore files', () => {
  it('give the same verdict, the one truth.json names', async () => {
    const raw = await analyze([ITEM('erst-backing.bin')]);
    const files = await analyze([ITEM('pstore')]);
    expect(raw.inputs.map((i) => [i.backend, i.problems])).toEqual([['erst', []]]);
    expect(raw.incidents.map(verdict)).toEqual(files.incidents.map(verdict));
    const truth = JSON.parse(readFileSync(fixture('erst', 'erst-mce-memory', 'truth.json'), 'utf8')) as { cause: string; kind: string; panic: string | null; mce: { bank: number; status: string; addr: string }; correctedBefore: unknown };
    expect(raw.incidents.map(verdict)).toMatchObject([{ cause: truth.cause, kind: truth.kind, panic: truth.panic, correctedBefore: truth.correctedBefore }]);
    expect(raw.incidents[0]!.mce).toContainEqual(expect.objectContaining({ bank: truth.mce.bank, status: truth.mce.status, addr: truth.mce.addr }));
    expect(new Set(mces(raw.incidents[0]!)!.map((m) => JSON.stringify(m)))).toEqual(new Set(mces(files.incidents[0]!)!.map((m) => JSON.stringify(m))));
  });

  // The CPER MCE section and the "[Hardware Error]" lines of the CPER dmesg record in the
  // same store are one machine check seen twice.
  it('lists the machine check once, as the report on the pstore files does', async () => {
    const raw = await analyze([ITEM('erst-backing.bin')]);
    const files = await analyze([ITEM('pstore')]);
    expect(mces(raw.incidents[0]!)).toEqual(mces(files.incidents[0]!));
  });
});
