// Dumps made whole from their parts, the same for every store that holds pstore's parts:
// a pstore directory, raw ramoops, ERST, EFI variables, pstore/zone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { joinDumps, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { buildRamoops } from '../builders/ramoops.js';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';

function part(header: string, lines: string, time?: number, store = 'dmesg-test'): DumpPart {
  const h = parseDmesgHeader(header + '\n');
  const p: DumpPart = { lines: () => bytesToMessages(Buffer.from(lines), { backend: 't', path: header, id: header }), store };
  if (h) p.header = h;
  if (time !== undefined) p.time = new Date(time * 1000);
  return p;
}

describe('joinDumps', () => {
  it('joins a dump oldest part first under one id and anchors its newest line at the dump time', () => {
    const dumps = [...joinDumps([part('Panic#1 Part1', '[3.0] c\n[4.0] d\n', 100), part('Panic#1 Part2', '[1.0] a\n[2.0] b\n', 100)])];
    expect(dumps).toHaveLength(1);
    expect(dumps[0]!.map((m) => [m.text, m.source.id, m.source.path])).toEqual([
      ['a', 'dmesg-test Panic#1', 'Panic#1 Part2'],
      ['b', 'dmesg-test Panic#1', 'Panic#1 Part2'],
      ['c', 'dmesg-test Panic#1', 'Panic#1 Part1'],
      ['d', 'dmesg-test Panic#1', 'Panic#1 Part1'],
    ]);
    expect(dumps[0]!.map((m) => m.wallTime?.getTime())).toEqual([undefined, undefined, undefined, 100_000]);
  });

  it('starts the next dump where a part number comes again, and keeps stores and headerless records apart', () => {
    const dumps = [...joinDumps([
      part('Panic#1 Part1', '[9.0] boot one\n', 100),
      part('Panic#1 Part1', '[8.0] boot two\n', 200),
      part('Panic#1 Part1', '[7.0] other store\n', 300, 'dmesg-other'),
      part('no header', '[6.0] plain\n', 400),
      part('Panic#1 Part2', '[5.0] boot two, older\n', 200),
    ])];
    expect(dumps.map((d) => d.map((m) => `${m.source.id}: ${m.text}`))).toEqual([
      ['dmesg-test Panic#1: boot one'],
      ['dmesg-test Panic#1 [2]: boot two, older', 'dmesg-test Panic#1 [2]: boot two'],
      ['dmesg-other Panic#1: other store'],
      ['no header: plain'],
    ]);
    // An older part's last line was printed before the dump: only Part1 is anchored.
    expect(dumps[1]!.map((m) => m.wallTime?.getTime())).toEqual([undefined, 200_000]);
    expect(dumps[3]![0]!.wallTime?.getTime()).toBe(400_000);
  });
});

describe('joinDumps with the stores\' times', () => {
  it('keeps two boots\' "Panic#1" dumps apart when their parts interleave, by the time each part was written', () => {
    // A ring of zones: boot X's Part2 wrapped to the first zone, boot Y's dump between.
    const dumps = [...joinDumps([
      part('Panic#1 Part2', '[5.0] X older\n', 1_000),
      part('Panic#1 Part1', '[2.0] Y\n', 500),
      part('Panic#1 Part1', '[6.0] X newer\n', 1_001),
    ])];
    expect(dumps.map((d) => d.map((m) => `${m.source.id}: ${m.text}`))).toEqual([
      ['dmesg-test Panic#1: X older', 'dmesg-test Panic#1: X newer'],
      ['dmesg-test Panic#1 [2]: Y'],
    ]);
  });

  it('joins parts written seconds apart (EFI variables are slow) and reads 10,000 one-part dumps in one pass', () => {
    expect([...joinDumps([part('Oops#3 Part1', '[2.0] b\n', 1_002), part('Oops#3 Part2', '[1.0] a\n', 1_000)])]).toHaveLength(1);
    const many = Array.from({ length: 10_000 }, (_, i) => part('Panic#1 Part1', `[${i + 1}.0] boot ${i}\n`));
    const dumps = [...joinDumps(many)];
    expect(dumps).toHaveLength(10_000);
    expect(dumps[9_999]![0]!.source.id).toBe('dmesg-test Panic#1 [10000]');
  });
});

describe('raw stores read as their pstore copies', () => {
  it('EFI variables: the dumps of efi-oops-panic are one boot, as pstore shows them, with the time in their names', async () => {
    const raw = await analyze([fixture('efi', 'efi-oops-panic', 'efivars')]);
    const copy = await analyze([fixture('efi', 'efi-oops-panic', 'pstore')]);
    expect(raw.timeline.boots).toHaveLength(1);
    expect(raw.timeline.boots[0]!.messages.map((m) => m.text)).toEqual(copy.timeline.boots[0]!.messages.map((m) => m.text));
    // The dumps hold no "Linux version" banner: the release is the oops' CPU line's.
    expect(raw.timeline.boots[0]!.release).toBe('6.1.0-56-amd64');
    // dump-type0-1-2-1795375438-C: Part1 of the panic's dump, written at 1795375438 s.
    expect(raw.timeline.boots[0]!.clock?.wall.toISOString()).toBe(new Date(1795375438_000).toISOString());
    expect(raw.incidents.map((i) => i.title)).toEqual(copy.incidents.map((i) => i.title));
  });

  it('ERST: the two records of erst-mce-memory\'s dump are one boot, with the time pstore wrote them', async () => {
    const raw = await analyze([fixture('erst', 'erst-mce-memory', 'erst-backing.bin')]);
    expect(raw.timeline.boots).toHaveLength(1);
    expect(raw.timeline.boots[0]!.release).toBe('6.1.0-56-amd64');
    expect(raw.timeline.boots[0]!.clock?.why).toMatch(/^erst time of /);
  });

  it('ramoops: each dump anchored at its "====sec.nsec" time, and the two dumps agree with their kernel times', async () => {
    const { records } = await readWith('ramoops', fixture('ramoops', 'ramoops-oops-panic', 'ramoops-region.bin'));
    const anchored = messagesOf(records).filter((m) => m.wallTime);
    // The oops dump (1795374315.303727) and the panic dump (1795374316.337831).
    expect(anchored.map((m) => m.wallTime!.getTime())).toEqual([1795374315_303, 1795374316_337]);
    const kernel = Number(anchored[1]!.tsNs! - anchored[0]!.tsNs!) / 1e6;
    expect(Math.abs(kernel - (1795374316_337 - 1795374315_303))).toBeLessThan(10);
  });

  it('ramoops: a two-part dump that wrapped to the first zone, beside another boot\'s dump, reads oldest part first', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-dumps-')), 'region.bin');
    writeFileSync(path, buildRamoops({
      params: { memSize: 0x10000, recordSize: 0x2000 },
      dmesg: [
        { zone: 0, text: 'Panic#1 Part2\n<6>[    5.000000] wrapped, older half\n<6>[    6.000000] still older half\n', sec: 1_800_000_100 },
        { zone: 1, text: 'Oops#1 Part1\n<4>[    2.000000] BUG: another boot\n', sec: 1_800_000_000 },
        { zone: 3, text: 'Panic#1 Part1\n<6>[    7.000000] newer half\n<0>[    8.000000] Kernel panic - not syncing: wrapped\n', sec: 1_800_000_100 },
      ],
    }));
    const a = await analyze([path]);
    const panic = a.timeline.boots.find((b) => b.messages.some((m) => m.text.includes('not syncing: wrapped')))!;
    expect(panic.messages.map((m) => m.text)).toEqual(['wrapped, older half', 'still older half', 'newer half', 'Kernel panic - not syncing: wrapped']);
    expect(panic.clock?.wall.getTime()).toBe(1_800_000_100_123);
    expect(a.timeline.boots).toHaveLength(2);
  });
});
