// A pstore/zone image larger than the read window (4 MiB): every zone's record as written,
// whether its text is held or read again from the image (src/pstore/zone-store.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readImage } from '../../backends/pstore-blk/read.js';
import { zoneStoreLimits, HELD_BYTES } from '../../src/pstore/zone-store.js';
import { buildPstoreBlk, type PszSpec } from '../builders/pstore-blk.js';
import { messagesOf, readWith } from '../helpers/read.js';

const lines = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `<4>[ ${String(i).padStart(5)}.000000] ${tag} line ${i}\n`).join('');
const record = (z: number) => `Oops#${z + 1} Part1\n` + lines(`oops ${z}`, 300);

function image(): string {
  const kmsg: PszSpec['kmsg'] = Array.from({ length: 80 }, (_, z) => ({ zone: z, text: record(z), counter: z + 1, sec: 1_700_000_000 + z, compressed: z % 9 === 4 }));
  const img = buildPstoreBlk({ params: { totalSize: 8 << 20, kmsgSize: 64 << 10, cpus: 2 }, kmsg, console: { text: lines('console', 700) } });
  const path = join(mkdtempSync(join(tmpdir(), 'pstore-blk-stream-')), 'disk.img');
  writeFileSync(path, img);
  return path;
}

describe('pstore/blk image over the read window', () => {
  afterEach(() => {
    zoneStoreLimits.heldBytes = HELD_BYTES;
  });

  it('keeps each zone record as written, read after the window has moved on', async () => {
    const path = image();
    const recs = [];
    for await (const r of readImage(path, { options: {}, problem: (p) => expect.fail(p.message) })) recs.push(r);
    const kmsg = recs.filter((r) => r.zone.kind === 'dmesg');
    expect(kmsg.length).toBe(80);
    for (const r of kmsg) expect(Buffer.from(r.text).toString('latin1')).toBe(lines(`oops ${r.zone.index}`, 300));
  });

  it('gives the same records whatever text is held', async () => {
    const path = image();
    const held = await readWith('pstore-blk', path);
    expect(held.problems).toEqual([]);
    const msgs = messagesOf(held.records);
    expect(msgs.filter((m) => m.source.id === 'dmesg-pstore_blk Oops#80').map((m) => m.text)).toEqual(Array.from({ length: 300 }, (_, i) => `oops 79 line ${i}`));
    expect(msgs.filter((m) => m.text.startsWith('console ')).length).toBe(700);
    for (const heldBytes of [0, 1 << 20]) {
      zoneStoreLimits.heldBytes = heldBytes;
      const again = await readWith('pstore-blk', path);
      expect(again.problems).toEqual([]);
      expect(again.records).toEqual(held.records);
    }
  });
});
