// Every item of ../shared/corpus (vmcores included) against its truth.json, through the
// same entry point as `crashlog report`: all the item's crash inputs together must give
// the truth, and each input alone must give the truth or nothing (never a wrong verdict).
// The inputs are found by walking the item, not listed: everything but the manifest, the
// truth and the reference logs (serial-console.log, *.txt), which are checked apart.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CORPUS, corpus } from '../corpus.js';
import { expectTruth, readTruth } from './truth.js';

const REFERENCE = /^(?:manifest\.json|truth\.json|serial-console\.log|README\.md|.*\.txt)$/;
const items = readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'truth.json'))).sort();
const inputsOf = (item: string): string[] => readdirSync(corpus(item)).filter((f) => !REFERENCE.test(f) && !f.startsWith('.')).sort().map((f) => join(CORPUS, item, f));

describe('the corpus', () => {
  it('has the items the README lists, vmcores included', () => {
    expect(items).toEqual(expect.arrayContaining(['arm64-qemu-dump', 'erst-mce-memory', 'kdump-oops-panic', 'qemu-dump-hung', 'rasdaemon-erst-mce']));
  });
});

describe.each(items)('%s', (item) => {
  const truth = readTruth(corpus(item));
  const inputs = inputsOf(item);
  /** The inputs that, alone, gave no incident. */
  const silent: string[] = [];

  it(`all its inputs together give its truth (${inputs.length} inputs)`, async () => {
    const a = await analyze(inputs);
    for (const i of a.inputs) expect(i.problems, i.path).toEqual([]);
    expectTruth(a.incidents, truth);
  });

  it.each(inputs.map((p) => [p.slice(CORPUS.length + 1), p]))('%s alone gives the truth or no incident', async (_name, p) => {
    const a = await analyze([p]);
    if (a.incidents.length > 0) expectTruth(a.incidents, truth);
    else silent.push(p);
  });

  // Only an input that holds no crash (rasdaemon's corrected errors) may say nothing.
  it('at least one input alone gives the truth', () => {
    expect(silent.length).toBeLessThan(inputs.length);
  });
});

describe('erst-mce-memory from the real files, each source alone', () => {
  const item = corpus('erst-mce-memory');
  const truth = readTruth(item);
  const fatal = { bank: 8, status: '0xbe0000000001009f', addr: '0x12345000' };

  it('its pstore/ folder', async () => {
    const inc = expectTruth((await analyze([join(item, 'pstore')])).incidents, truth);
    expect(inc.mce).toMatchObject([fatal]);
  });

  it('its serial-console.log', async () => {
    const inc = expectTruth((await analyze([join(item, 'serial-console.log')])).incidents, truth);
    expect(inc.mce).toMatchObject([fatal]);
  });

  it('its mce-erst file: the registers, without the panic line or the history the log held', async () => {
    const mce = readdirSync(join(item, 'pstore')).find((f) => f.startsWith('mce-erst-'))!;
    const inc = expectTruth((await analyze([join(item, 'pstore', mce)])).incidents, { ...truth, panic: undefined, correctedBefore: undefined });
    expect(inc.mce).toMatchObject([{ ...fatal, severity: 'fatal', errorClass: 'memory-controller' }]);
    expect(inc.panic).toBeUndefined();
    expect(inc.correctedBefore).toBeUndefined();
  });
});
