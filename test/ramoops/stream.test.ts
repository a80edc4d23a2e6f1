// A region larger than the read window (4 MiB) whose dump text is held, or read again from
// the image when the text held is limited (src/pstore/zone-store.ts): the same records and
// problems either way, the ECC-mended zone reported once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutZones, zoneGeometry, eccInfo } from '../../backends/ramoops/layout.js';
import { zoneStoreLimits, HELD_BYTES } from '../../src/pstore/zone-store.js';
import { buildRamoops, ramoopsParams, type RegionSpec } from '../builders/ramoops.js';
import { messagesOf, readWith } from '../helpers/read.js';

const PARAMS = { memSize: 6 << 20, recordSize: 64 << 10, consoleSize: 64 << 10, ecc: 16 };
const lines = (tag: string, n: number, from = 0) => Array.from({ length: n }, (_, i) => `<4>[ ${String(from + i).padStart(5)}.000000] ${tag} line ${from + i}\n`).join('');

function region(): { path: string; mended: number } {
  const dmesg: RegionSpec['dmesg'] = [
    // one panic in three parts: Part1 is the newest chunk (fs/pstore/platform.c pstore_dump)
    { zone: 0, text: 'Panic#1 Part1\n' + lines('panic', 300, 600), sec: 1_800_000_000 },
    { zone: 1, text: 'Panic#1 Part2\n' + lines('panic', 300, 300), sec: 1_800_000_000 },
    { zone: 2, text: 'Panic#1 Part3\n' + lines('panic', 300, 0), sec: 1_800_000_000, compressed: true },
  ];
  for (let z = 3; z < 80; z++) dmesg.push({ zone: z, text: `Oops#${z} Part1\n` + lines(`oops ${z}`, 200), sec: 1_700_000_000 + z, compressed: z % 7 === 0 });
  const img = buildRamoops({ params: PARAMS, dmesg, console: { text: lines('console', 300) } });
  // one flipped byte in zone 70's first data block: ECC mends it
  const zone = layoutZones(ramoopsParams(PARAMS)).filter((z) => z.kind === 'dmesg')[70]!;
  img[zone.offset + 12 + 40]! ^= 0x5a;
  const path = join(mkdtempSync(join(tmpdir(), 'ramoops-stream-')), 'region.bin');
  writeFileSync(path, img);
  return { path, mended: zone.offset };
}

describe('ramoops region over the read window, dump text held or read again', () => {
  afterEach(() => {
    zoneStoreLimits.heldBytes = HELD_BYTES;
  });

  it('gives the same records and problems whatever text is held', async () => {
    expect(zoneGeometry(PARAMS.recordSize, eccInfo(16))!.bufferSize).toBeGreaterThan(400 * 32);
    const { path, mended } = region();
    const held = await readWith('ramoops', path);
    expect(held.problems).toEqual([expect.objectContaining({ offset: mended, message: expect.stringMatching(/ECC corrected 1 bytes, 0 unrecoverable/) })]);
    const msgs = messagesOf(held.records);
    // the panic's parts joined oldest first, under the dump's id
    const panic = msgs.filter((m) => m.source.id === 'dmesg-ramoops Panic#1').map((m) => m.text);
    expect(panic).toEqual(Array.from({ length: 900 }, (_, i) => `panic line ${i}`));
    expect(msgs.filter((m) => m.text.startsWith('oops 70 ')).length).toBe(200);
    expect(msgs.filter((m) => m.text.startsWith('console ')).length).toBe(300);
    for (const heldBytes of [0, 1 << 20]) {
      zoneStoreLimits.heldBytes = heldBytes;
      const again = await readWith('ramoops', path);
      expect(again.problems).toEqual(held.problems);
      expect(again.records).toEqual(held.records);
    }
  });
});
