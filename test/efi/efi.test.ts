import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { efi } from '../../backends/efi/index.js';
import { parseEfiDumpName } from '../../backends/efi/layout.js';
import { listEfiVars, readEfiPart } from '../../backends/efi/read.js';
import { makeProbe } from '../../src/input/probe.js';
import type { KernelMessage, Problem } from '../../src/model/index.js';
import { fixture } from '../corpus.js';
import { readWith } from '../helpers/read.js';

const ITEM = fixture('efi', 'efi-oops-panic');
const VARS = join(ITEM, 'efivars');

const collect = (path: string) => readWith('efi', path);

describe('efi on efi-oops-panic (OVMF, kernel 6.1)', () => {
  it('decodes every variable to exactly the bytes pstore showed for it', async () => {
    const ctx = { options: {}, problem: (p: Problem) => expect.fail(p.message) };
    const vars = await listEfiVars(VARS, ctx);
    expect(vars.length).toBe(readdirSync(VARS).length);
    for (const v of vars) {
      const part = await readEfiPart(v, ctx);
      const shown = readFileSync(join(ITEM, 'pstore', `dmesg-efi-${part!.id}`));
      expect(Buffer.compare(part!.bytes, shown), v.path).toBe(0);
    }
  });

  it('yields the log oldest first, dump by dump, without the part headers', async () => {
    const { records, problems } = await collect(VARS);
    expect(problems).toEqual([]);
    const msgs = records as KernelMessage[];
    // Expected: each pstore file's lines without its header, parts highest first, Oops#1 then Panic#2.
    const files = readdirSync(join(ITEM, 'pstore')).map((f) => ({ f, count: Number(f.slice(-3)), part: Number(f.slice(-5, -3)) }));
    files.sort((a, b) => a.count - b.count || b.part - a.part);
    const expected = files.flatMap(({ f }) => readFileSync(join(ITEM, 'pstore', f), 'latin1').split('\n').slice(1).filter((l) => l !== ''));
    expect(msgs.length).toBe(expected.length);
    expect(msgs.map((m) => m.text)).toEqual(expected.map((l) => l.replace(/^<\d+>\[[ \d.]+\] ?/, '')));
    expect(msgs.some((m) => /Oops#|Panic#/.test(m.text))).toBe(false);
    expect(msgs.some((m) => m.text.includes('Kernel panic - not syncing: sysrq triggered crash'))).toBe(true);
    expect(msgs.some((m) => m.text.includes('forge_checksum'))).toBe(true);
    for (let i = 1; i < msgs.length; i++) {
      if (msgs[i]!.source.id === msgs[i - 1]!.source.id) expect(msgs[i]!.tsNs! >= msgs[i - 1]!.tsNs!).toBe(true);
    }
    expect(msgs[0]!.source).toMatchObject({ backend: 'efi', part: 14, id: 'dmesg-efi Oops#1' });
    expect(msgs[0]!.source.path).toMatch(/\/dump-type0-14-1-1795375437-C-/);
  });

  it('reads a single variable file', async () => {
    const one = join(VARS, 'dump-type0-1-2-1795375438-C-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0');
    const { records, problems } = await collect(one);
    expect(problems).toEqual([]);
    const shown = readFileSync(join(ITEM, 'pstore', 'dmesg-efi-179537543801002'), 'latin1').split('\n').slice(1).filter(Boolean);
    expect(records.length).toBe(shown.length);
  });

  it('claims efivars directories and parts, not pstore dirs or text logs', async () => {
    expect(efi.probe(await makeProbe(VARS))).toBeGreaterThan(0.5);
    expect(efi.probe(await makeProbe(join(VARS, readdirSync(VARS)[0]!)))).toBeGreaterThan(0.5);
    expect(efi.probe(await makeProbe(join(ITEM, 'pstore')))).toBe(0);
    expect(efi.probe(await makeProbe(join(ITEM, 'serial-console.log')))).toBe(0);
  });
});

describe('efi variable names of every kernel era', () => {
  it.each([
    ['dump-type0-3-1-1795375437-C-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0', { part: 3, count: 1, time: 1795375437, compressed: true, generation: 3 }],
    ['dump-type0-2-1-1400000000-D', { part: 2, count: 1, time: 1400000000, compressed: false, generation: 3 }],
    ['dump-type0-2-5-1400000000-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0', { part: 2, count: 5, time: 1400000000, compressed: false, generation: 2 }],
    ['dump-type0-1-1330000000-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0', { part: 1, time: 1330000000, generation: 1 }],
  ])('%s', (name, want) => {
    expect(parseEfiDumpName(name)).toMatchObject(want);
  });
  it('rejects other variables', () => {
    expect(parseEfiDumpName('Boot0001-8be4df61-93ca-11d2-aa0d-00e098032b8c')).toBeUndefined();
    expect(parseEfiDumpName('dump-type0-x')).toBeUndefined();
  });
});
