// `crashlog report --opt ...` on a raw region: the layout options as the README and the
// backend summary name them reach the reader, in each spelling a user may paste.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';

const REGION = fixture('ramoops', 'ramoops-ecc-bug', 'ramoops-region.bin');
const truth = JSON.parse(readFileSync(fixture('ramoops', 'ramoops-ecc-bug', 'truth.json'), 'utf8')) as { title: string };

interface Report { inputs: { backend: string; problems: { message: string }[] }[]; incidents: { title: string }[] }
async function report(...opts: string[]): Promise<Report> {
  const r = await runCli(['report', '--json', ...opts.flatMap((o) => ['--opt', o]), REGION]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

describe('crashlog report --opt on a ramoops region (ramoops-ecc-bug: record_size 0x8000, ecc 16)', () => {
  it.each([
    [['record_size=0x8000', 'ecc=16']],
    [['ramoops.mem_size=0x100000', 'ramoops.record_size=32k', 'ramoops.ecc=1']],
    [['cmdline=console=ttyS0 ramoops.mem_size=1M ramoops.record_size=0x8000 ramoops.ecc=16']],
    [[]],
  ])('%j reads it clean and gives the verdict', async (opts) => {
    const j = await report(...opts);
    expect(j.inputs).toEqual([expect.objectContaining({ backend: 'ramoops', problems: [] })]);
    expect(j.incidents.map((i) => i.title)).toEqual([truth.title]);
  });

  it.each([
    [['record_size=0x3000', 'ecc=16']],
    [['ramoops.record_size=12k', 'ramoops.ecc=16']],
    [['cmdline=ramoops.record_size=0x3000 ramoops.ecc=16']],
  ])('%j: says the parameters are wrong, and still reads it by scanning', async (opts) => {
    const j = await report(...opts);
    expect(j.inputs[0]!.problems.map((p) => p.message)).toEqual([expect.stringMatching(/parameters given do not match/)]);
    expect(j.incidents.map((i) => i.title)).toEqual([truth.title]);
  });
});
