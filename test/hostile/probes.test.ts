// Probing keeps damage local (issue 16): a stray file does not change what a folder is, and
// a burst of line noise does not make a serial capture binary.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { corpus, fixture } from '../corpus.js';
import { readTruth, expectTruth } from '../correlate/truth.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crashlog-probes-'));

describe('probing with damage beside good data', () => {
  it('one empty file with an efivars name in a pstore copy: the folder is still pstore, its records read', async () => {
    const dir = join(tmp(), 'pstore');
    cpSync(fixture('pstore', 'ramoops-oops-panic', 'pstore'), dir, { recursive: true });
    writeFileSync(join(dir, 'dump-type0-1-1-1700000000-C-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0'), '');
    const a = await analyze([dir]);
    expect(a.inputs.map((i) => i.backend)).toEqual(['pstore']);
    expectTruth(a.incidents, readTruth(fixture('pstore', 'ramoops-oops-panic')));
  });

  it('10 KiB of line noise before a serial capture: every good line is still read', async () => {
    const log = readFileSync(corpus('ramoops-oops-panic', 'serial-console.log'));
    let x = 12345;
    const noise = Buffer.alloc(10 * 1024, 0).map(() => (x = (x * 1103515245 + 12345) & 0x7fffffff) & 0xff);
    const p = join(tmp(), 'capture.log');
    writeFileSync(p, Buffer.concat([noise, Buffer.from('\n'), log]));
    const clean = await analyze([corpus('ramoops-oops-panic', 'serial-console.log')]);
    const noisy = await analyze([p]);
    expect(noisy.inputs[0]!.backend).toBe('text');
    expect(noisy.inputs[0]!.records).toBeGreaterThanOrEqual(clean.inputs[0]!.records);
    expect(noisy.incidents.map((i) => i.title)).toEqual(clean.incidents.map((i) => i.title));
  });
});
