// efivars of every name generation, plain and compressed parts, built by test/efi/efivars-builder.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { efi } from '../../backends/efi/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { messagesOf, readWith } from '../helpers/read.js';
import { dumpParts, LINUX_EFI_CRASH_GUID, writeEfiVar } from './efivars-builder.js';

const lines = (tag: string, n: number, t0: number) => Array.from({ length: n }, (_, i) => `<4>[  ${t0 + i}.000000] ${tag} line ${i}`);
const OOPS = lines('oops', 9, 10);
const PANIC = lines('panic', 5, 20);
const expected = [...OOPS, ...PANIC].map((l) => l.replace(/^<\d>\[[ \d.]+\] /, ''));

describe.each([1, 2, 3] as const)('efivars of name generation %i', (generation) => {
  it.each([false, true].filter((c) => !c || generation === 3))('joins the parts of each dump oldest first (compressed: %s)', async (compressed) => {
    const dir = mkdtempSync(join(tmpdir(), `efi-gen${generation}-`));
    // parts written in the order the kernel writes them, Oops first, then the panic
    const parts = [...dumpParts('Oops', 1, 1_400_000_000, OOPS, 3), ...dumpParts('Panic', 2, 1_400_000_100, PANIC, 2)];
    // a compressed dump may hold plain parts too (a part that did not compress is stored D)
    for (const [i, p] of parts.entries()) writeEfiVar(dir, generation, { ...p, compressed: compressed && i % 2 === 0 });
    writeFileSync(join(dir, `Boot0001-8be4df61-93ca-11d2-aa0d-00e098032b8c`), Buffer.from([7, 0, 0, 0, 1, 2]));
    expect(efi.probe(await makeProbe(dir))).toBeGreaterThan(0.5);
    const { records, problems } = await readWith('efi', dir);
    expect(problems).toEqual([]);
    const msgs = messagesOf(records);
    expect(msgs.map((m) => m.text)).toEqual(expected);
    expect(msgs[0]!.source).toMatchObject({ backend: 'efi', part: 3 });
    expect(msgs.at(-1)!.source).toMatchObject({ backend: 'efi', part: 1 });
    // a plain part's lines point at their bytes: 4 attribute bytes, then the "Oops#1 Part3" line
    const plain = msgs.find((m) => m.source.offset !== undefined);
    if (!compressed) expect(msgs[0]!.source.offset).toBe(4 + 'Oops#1 Part3\n'.length);
    if (compressed) expect(plain).toBeDefined();
  });
});

describe('damaged efivars', () => {
  it('reports a part that does not inflate or is too short, and reads the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'efi-bad-'));
    const parts = dumpParts('Panic', 1, 1_795_000_000, PANIC, 2);
    for (const p of parts) writeEfiVar(dir, 3, { ...p, compressed: true });
    const bad = join(dir, `dump-type0-2-1-${parts[1]!.time}-C-${LINUX_EFI_CRASH_GUID}`);
    writeFileSync(bad, Buffer.from('\x07\x00\x00\x00this is not deflate data at all', 'latin1'));
    const short = writeEfiVar(dir, 3, { part: 1, count: 7, time: 1_795_000_500, text: '' });
    writeFileSync(short, Buffer.from([7, 0]));
    const { records, problems } = await readWith('efi', dir);
    expect(problems.map((p) => [p.path, p.offset])).toEqual([
      [bad, 4],
      [short, 0],
    ]);
    const texts = messagesOf(records).map((m) => m.text);
    expect(texts).toEqual(expected.slice(OOPS.length).filter((_, i) => i !== 1 && i !== 2));
  });
});
