import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRamoops, ramoopsParams, type RegionSpec } from '../builders/ramoops.js';
import { layoutZones } from '../../backends/ramoops/layout.js';
import { messagesOf, readWith } from '../helpers/read.js';
import { backendById } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';

function write(bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ramoops-edge-')), 'region.bin');
  writeFileSync(path, bytes);
  return path;
}

const PARAMS = { memSize: 0x10000, recordSize: 0x2000 };
const OPTS = { mem_size: '0x10000', record_size: '0x2000' };
const consoleLog = (n: number) => Array.from({ length: n }, (_, i) => `[    ${i}.000000] console line ${i}\n`).join('');

describe('ramoops edge cases (built regions)', () => {
  it('unrolls a wrapped console ring oldest-first', async () => {
    const cap = 4096 - 12;
    let text = consoleLog(200);
    text = text.slice(text.length - cap);
    const cut = text.indexOf('\n') + 1;
    text = 'x'.repeat(cut - 1) + '\n' + text.slice(cut);
    const path = write(buildRamoops({ params: PARAMS, console: { text, wrapAt: 1000 } }));
    for (const options of [OPTS, {}]) {
      const { records, problems } = await readWith('ramoops', path, options);
      expect(problems).toEqual([]);
      const lines = messagesOf(records).map((m) => m.text).filter((t) => t.startsWith('console line'));
      const nums = lines.map((t) => Number(t.split(' ')[2]));
      expect(nums).toEqual(nums.slice().sort((a, b) => a - b));
      expect(nums.at(-1)).toBe(199);
    }
  });

  it('reads plain and compressed dmesg records, and pmsg as a blob', async () => {
    const spec: RegionSpec = {
      params: PARAMS,
      dmesg: [
        { zone: 0, text: 'Oops#1 Part1\n<4>[    1.000000] BUG: first\n' },
        { zone: 2, text: 'Panic#2 Part1\n<0>[    2.000000] Kernel panic - not syncing: test\n', compressed: true },
      ],
      pmsg: Buffer.from('userspace note'),
    };
    const path = write(buildRamoops(spec));
    for (const options of [OPTS, { cmdline: 'quiet ramoops.mem_size=64k ramoops.record_size=0x2000' }, {}]) {
      const { records, problems } = await readWith('ramoops', path, options);
      expect(problems).toEqual([]);
      expect(messagesOf(records).map((m) => [m.text, m.source.id, m.source.part])).toEqual([
        ['BUG: first', 'dmesg-ramoops Oops#1', 1],
        ['Kernel panic - not syncing: test', 'dmesg-ramoops Panic#2', 1],
      ]);
      expect(records.filter((r) => r.kind === 'blob')).toMatchObject([{ type: 'pmsg', size: 14 }]);
    }
  });

  it('reports a torn record header and a bad zone header, and reads the rest', async () => {
    const bytes = buildRamoops({
      params: PARAMS,
      dmesg: [
        { zone: 0, text: 'Oops#1 Part1\n<4>[    1.000000] kept\n' },
        { zone: 1, text: 'Oops#1 Part1\n<4>[    1.000000] torn\n' },
        { zone: 2, text: 'Oops#1 Part1\n<4>[    1.000000] bad size\n' },
      ],
    });
    const [, z1, z2] = layoutZones(ramoopsParams(PARAMS));
    bytes.set(Buffer.from('=x=='), z1!.offset + 12); // zone 1: record header torn
    new DataView(bytes.buffer).setUint32(z2!.offset + 8, 0x7fffffff, true); // zone 2: size past the zone
    const { records, problems } = await readWith('ramoops', write(bytes), OPTS);
    expect(messagesOf(records).map((m) => m.text)).toEqual(['kept']);
    expect(problems.map((p) => p.offset)).toEqual([z1!.offset + 12, z2!.offset]);
  });

  it('says when the parameters are wrong, and scans instead', async () => {
    const path = write(buildRamoops({ params: PARAMS, dmesg: [{ zone: 1, text: 'Oops#1 Part1\n<4>[1.0] x\n' }] }));
    const { records, problems } = await readWith('ramoops', path, { mem_size: '0x10000', record_size: '0x3000' });
    expect(messagesOf(records).map((m) => [m.text, m.source.id])).toEqual([['x', 'dmesg-ramoops Oops#1']]);
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/parameters given do not match/)]);
  });

  it('probes regions, not other files', async () => {
    const b = backendById('ramoops')!;
    const region = write(buildRamoops({ params: PARAMS, dmesg: [{ zone: 0, text: 'Oops#1 Part1\n' }] }));
    expect(b.probe(await makeProbe(region))).toBeGreaterThan(0.5);
    expect(b.probe(await makeProbe(write(Buffer.from('<6>[    0.000000] Linux version 6.1\n'))))).toBe(0);
    const elf = Buffer.alloc(4096);
    elf.set(Buffer.from('\x7fELF'), 0);
    expect(b.probe(await makeProbe(write(elf)))).toBe(0);
  });
});

describe('ramoops built regions with ECC', () => {
  it('reads a built ECC region clean, with and without the ecc option given', async () => {
    const text = 'Panic#1 Part1\n<0>[    2.000000] Kernel panic - not syncing: ecc test\n';
    const path = write(buildRamoops({ params: { ...PARAMS, ecc: 16 }, dmesg: [{ zone: 3, text, compressed: true }], console: { text: consoleLog(20) } }));
    for (const options of [{ ...OPTS, ecc: '16' }, {}]) {
      const { records, problems } = await readWith('ramoops', path, options);
      expect(problems).toEqual([]);
      const texts = messagesOf(records).map((m) => m.text);
      expect(texts).toContain('Kernel panic - not syncing: ecc test');
      expect(texts).toContain('console line 19');
    }
  });
});
