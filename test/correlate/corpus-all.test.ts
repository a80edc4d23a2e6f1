// Every item of ../shared/corpus (vmcores included) against its truth.json, through the
// same entry point as `crashlog report`, for every input set the truth speaks of:
// - each input alone gives the truth for what it is (a store alone: `pstore_only` where
//   the truth has one), or nothing (never a wrong verdict);
// - all the item's inputs together give the truth for that set;
// - the crashed boot's console (serial-console.log) alone gives the whole truth;
// - the inputs with that console, and the item's folder as it is, give the whole truth
//   as one incident (the same crash seen in a dump and on the console is one crash).
// Inputs are found by walking the item, not listed: everything but the manifest, the
// truth and the reference outputs (serial-console.log, *.txt), which are sets of their own.
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CORPUS, corpus } from '../corpus.js';
import { expectTruth, isCrashTruth, readTruth, truthFor, WHOLE_BOOT_BACKENDS, type Truth } from './truth.js';

const REFERENCE = /^(?:manifest\.json|truth\.json|serial-console\.log|README\.md|.*\.txt)$/;
const items = readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'truth.json'))).sort();
const inputsOf = (item: string): string[] => readdirSync(corpus(item)).filter((f) => !REFERENCE.test(f) && !f.startsWith('.')).sort().map((f) => join(CORPUS, item, f));
const whole = (a: Awaited<ReturnType<typeof analyze>>): boolean => a.inputs.some((i) => WHOLE_BOOT_BACKENDS.has(i.backend));

describe('the corpus', () => {
  it('has the items the README lists, vmcores included', () => {
    expect(items).toEqual(expect.arrayContaining(['arm64-qemu-dump', 'erst-mce-memory', 'kdump-oops-panic', 'qemu-dump-hung', 'rasdaemon-erst-mce', 'dmi-tables', 'netconsole-extended']));
  });
});

const crashItems = items.filter((i) => isCrashTruth(readTruth(corpus(i))));
const otherItems = items.filter((i) => !crashItems.includes(i));

describe.each(crashItems)('%s', (item) => {
  const truth = readTruth(corpus(item));
  const inputs = inputsOf(item);
  const console = join(CORPUS, item, 'serial-console.log');
  // A truth of stores alone (mtdoops: the panic was never written there) and no
  // `pstore_only` block says nothing of what the console showed: no console sets then.
  const storesOnlyTruth = truth.pstore_only === undefined && truth.panic === null;
  const hasConsole = existsSync(console) && !storesOnlyTruth;
  // Only a dump can say the system was hung when it was taken; the console cannot.
  const consoleTruth: Truth = { ...truth, hung: undefined };
  /** The inputs that, alone, gave no incident. */
  const silent: string[] = [];

  it(`all its inputs together give the truth for them (${inputs.length} inputs)`, async () => {
    const a = await analyze(inputs);
    for (const i of a.inputs) expect(i.problems, i.path).toEqual([]);
    expectTruth(a.incidents, truthFor(truth, whole(a)));
  });

  it.each(inputs.map((p) => [p.slice(CORPUS.length + 1), p]))('%s alone gives the truth for it or no incident', async (_name, p) => {
    const a = await analyze([p]);
    if (a.incidents.length > 0) expectTruth(a.incidents, truthFor(truth, whole(a)));
    else silent.push(p);
  });

  // Only an input that holds no crash (rasdaemon's corrected errors, the next boot's console) may say nothing.
  it('at least one input alone gives the truth', () => {
    expect(silent.length).toBeLessThan(inputs.length);
  });

  it.runIf(hasConsole)('the crashed boot\'s console alone gives the whole truth', async () => {
    expectTruth((await analyze([console])).incidents, consoleTruth);
  });

  it.runIf(hasConsole)('its inputs with that console give the whole truth, once', async () => {
    expectTruth((await analyze([...inputs, console])).incidents, truth);
  });

  it.runIf(hasConsole)('its folder as it is gives the whole truth, once', async () => {
    expectTruth((await analyze([corpus(item)])).incidents, truth);
  });
});

// Items that are no crash (the SMBIOS tables of #13's DIMM work): nothing in them is a
// crash, and their own readers' tests check what they hold.
describe.each(otherItems)('%s (not a crash)', (item) => {
  it('gives no incident', async () => {
    expect((await analyze([corpus(item)])).incidents).toEqual([]);
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
