import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';
import { readRegion, type RamoopsRecord } from '../../backends/ramoops/read.js';
import type { Problem } from '../../src/model/index.js';
import type { ReadOptions } from '../../src/backend.js';

const ITEMS = ['ramoops-oops-panic', 'ramoops-ecc-bug'];

function manifestOptions(item: string): ReadOptions {
  const m = JSON.parse(readFileSync(fixture('ramoops', item, 'manifest.json'), 'utf8')) as { ramoops_params: string };
  const cmdline = m.ramoops_params.split(' ').map((w) => `ramoops.${w}`).join(' ');
  return { cmdline };
}

async function records(path: string, options: ReadOptions): Promise<{ recs: RamoopsRecord[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const recs: RamoopsRecord[] = [];
  for await (const r of readRegion(path, { options, problem: (p) => problems.push(p) })) recs.push(r);
  return { recs, problems };
}

describe.each(ITEMS)('ramoops %s', (item) => {
  const region = fixture('ramoops', item, 'ramoops-region.bin');
  const pstoreDir = fixture('ramoops', item, 'pstore');

  it.each([
    ['parameters from the manifest', manifestOptions(item)],
    ['zones found by scanning', {}],
  ])('gives the pstore files byte for byte (%s)', async (_how, options) => {
    const { recs, problems } = await records(region, options);
    expect(problems).toEqual([]);
    const files = readdirSync(pstoreDir).sort();
    expect(recs.map((r) => r.name).sort()).toEqual(files);
    for (const r of recs) expect(Buffer.from(r.bytes).equals(readFileSync(join(pstoreDir, r.name)))).toBe(true);
  });

  it('reads the same messages from the file and from a directory holding it', async () => {
    const file = await readWith('ramoops', region);
    const dir = mkdtempSync(join(tmpdir(), 'ramoops-'));
    cpSync(region, join(dir, 'region.bin'));
    writeFileSync(join(dir, 'notes.txt'), 'not a region\n');
    const fromDir = await readWith('ramoops', dir);
    expect(file.problems).toEqual([]);
    expect(fromDir.problems).toEqual([]);
    const texts = (rs: typeof file.records) => messagesOf(rs).map((m) => m.text);
    expect(texts(fromDir.records)).toEqual(texts(file.records));
    const oops = JSON.parse(readFileSync(fixture('ramoops', item, 'manifest.json'), 'utf8')) as { panic_lines: string[] };
    const panic = oops.panic_lines[0]!.replace(/^\[[^\]]*\] /, '');
    expect(texts(file.records)).toContain(panic);
    const m = messagesOf(file.records).find((x) => x.text === panic)!;
    expect(m.source).toMatchObject({ backend: 'ramoops', part: 1 });
    // The panic's dump, named by its "Panic#N Part1" header.
    expect(m.source.id).toMatch(/^dmesg-ramoops Panic#\d+$/);
  });
});
