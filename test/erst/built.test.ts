// ERST edge cases on stores built from the kernel's layouts (test/builders/cper.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { erst } from '../../backends/erst/index.js';
import { GUIDS } from '../../src/cper/layout.js';
import { makeProbe } from '../../src/input/probe.js';
import type { KernelMessage } from '../../src/model/index.js';
import { cperRecord, memErr, qemuErstStore, SEV, structMce } from '../builders/cper.js';
import { readWith } from '../helpers/read.js';
import { writeIn } from '../helpers/files.js';

const dir = mkdtempSync(join(tmpdir(), 'erst-'));
const file = (name: string, bytes: Uint8Array): string => writeIn(dir, name, bytes);
const collect = (path: string) => readWith('erst', path);
const dmesg = (id: bigint, text: string, compressed: boolean) =>
  cperRecord({ recordId: id, sections: [{ type: compressed ? GUIDS.SECTION_DMESG_Z : GUIDS.SECTION_DMESG, data: compressed ? deflateRawSync(text) : Buffer.from(text) }] });

describe('erst on built stores', () => {
  it('joins plain and compressed parts oldest first and reads memory sections', async () => {
    const store = qemuErstStore([
      cperRecord({ recordId: 10n, severity: SEV.corrected, sections: [{ type: GUIDS.SEC_PLATFORM_MEM, severity: SEV.corrected, data: memErr({ validation: 0x2n, pa: 0x5000n }) }] }),
      dmesg(11n, 'Panic#1 Part1\n<0>[    2.000000] Kernel panic - not syncing: boom\n', true),
      dmesg(12n, 'Panic#1 Part2\n<6>[    1.000000] older line\n', false),
    ]);
    const path = file('store.bin', store);
    expect(erst.probe(await makeProbe(path))).toBeGreaterThan(0.5);
    const { records, problems } = await collect(path);
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ kind: 'memerr', severity: 'corrected', physAddr: 0x5000n });
    const msgs = records.filter((r): r is KernelMessage => r.kind === 'kmsg');
    expect(msgs.map((m) => m.text)).toEqual(['older line', 'Kernel panic - not syncing: boom']);
    // The plain part points at its line in the file; the compressed one cannot.
    // One id for the dump's two records; the part says which record a line is in.
    expect(msgs.map((m) => m.source.id)).toEqual(['dmesg-erst Panic#1', 'dmesg-erst Panic#1']);
    expect(msgs[0]!.source).toMatchObject({ part: 2, offset: 3 * 0x2000 + 128 + 72 + 'Panic#1 Part2\n'.length });
    expect(msgs[1]!.source.offset).toBeUndefined();
  });

  it('a raw CPER record file reads alone', async () => {
    const { records } = await collect(file('one.cper', cperRecord({ sections: [{ type: GUIDS.SECTION_MCE, data: structMce({ bank: 3, status: 0x9c00000000000135n }) }] })));
    expect(records).toEqual([expect.objectContaining({ kind: 'mce', bank: 3, status: 0x9c00000000000135n })]);
  });

  it('a damaged compressed part is a problem; the other records still read', async () => {
    const broken = cperRecord({ recordId: 2n, sections: [{ type: GUIDS.SECTION_DMESG_Z, data: Buffer.from('not deflate at all, really not') }] });
    const { records, problems } = await collect(file('broken.bin', qemuErstStore([broken, dmesg(3n, 'Oops#1 Part1\n<4>[    1.0] hi\n', false)])));
    expect(records.map((r) => (r as KernelMessage).text)).toEqual(['hi']);
    expect(problems).toEqual([expect.objectContaining({ offset: 0x2000 + 200, message: expect.stringMatching(/inflate/) })]);
  });

  it('an MCE section too short for struct mce is a problem at the section', async () => {
    const { records, problems } = await collect(file('short.bin', cperRecord({ sections: [{ type: GUIDS.SECTION_MCE, data: new Uint8Array(16) }] })));
    expect(records).toEqual([]);
    expect(problems[0]).toMatchObject({ offset: 200, message: expect.stringMatching(/struct mce/) });
  });

  it('an empty store yields nothing and no problems; text is not claimed', async () => {
    const path = file('empty.bin', qemuErstStore([]));
    expect(await collect(path)).toEqual({ records: [], problems: [] });
    expect(erst.probe(await makeProbe(file('log.txt', Buffer.from('<6>[    0.0] CPER hello\n'.repeat(20)))))).toBe(0);
  });
});

describe('erst on QEMU stores with cleared records', () => {
  it('reads only records the map lists: a cleared slot keeps its bytes but is not read', async () => {
    const store = qemuErstStore([dmesg(21n, 'Oops#1 Part1\n<4>[    1.0] cleared\n', false), dmesg(22n, 'Oops#2 Part1\n<4>[    2.0] live\n', false)], 0x2000, [0]);
    const { records, problems } = await collect(file('cleared.bin', store));
    expect(problems).toEqual([]);
    expect(records.map((r) => (r as KernelMessage).text)).toEqual(['live']);
  });

  it('a map entry whose slot holds no record is a problem at the slot', async () => {
    const store = qemuErstStore([dmesg(31n, 'Oops#1 Part1\n<4>[    1.0] x\n', false), dmesg(32n, 'Oops#2 Part1\n<4>[    2.0] y\n', false)]);
    store.fill(0, 0x2000, 0x2010);
    const { records, problems } = await collect(file('hole.bin', store));
    expect(records.map((r) => (r as KernelMessage).text)).toEqual(['y']);
    expect(problems).toEqual([expect.objectContaining({ offset: 0x2000, message: expect.stringMatching(/slot 1/) })]);
  });
});

describe('erst past the kernel’s record bound', () => {
  // drivers/acpi/apei/erst.c: the record id cache stops at ERST_RECORD_ID_CACHE_SIZE_MAX
  // (1024) ids, so pstore never shows a 1025th record; a file of more is read to there.
  const mce = (id: bigint) => cperRecord({ recordId: id, severity: SEV.corrected, sections: [{ type: GUIDS.SEC_PLATFORM_MEM, severity: SEV.corrected, data: memErr({ validation: 0x2n, pa: 0x5000n + id }) }] });

  it('reads 1024 raw records, and names the offset of the first one left out and the kernel line that bounds it', async () => {
    const recs = Array.from({ length: 1100 }, (_, i) => mce(BigInt(i + 1)));
    const path = file('many.bin', Buffer.concat(recs));
    const firstLeftOut = recs.slice(0, 1024).reduce((n, r) => n + r.length, 0);
    const { records, problems } = await collect(path);
    expect(records).toHaveLength(1024);
    expect(records.at(-1)).toMatchObject({ physAddr: 0x5000n + 1024n });
    expect(problems).toEqual([{ path, offset: firstLeftOut, message: expect.stringMatching(/^more than 1024 records: .*erst\.c ERST_RECORD_ID_CACHE_SIZE_MAX.*not read$/) }]);
  });

  it('stops a QEMU store at its 1024th live slot the same way', async () => {
    // Slots of 16 KiB: slot 0 holds the header and a map of 2045 entries.
    const path = file('many-store.bin', qemuErstStore(Array.from({ length: 1030 }, (_, i) => mce(BigInt(i + 1))), 0x4000));
    const { records, problems } = await collect(path);
    expect(records).toHaveLength(1024);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/^more than 1024 records/);
    expect(problems[0]!.offset).toBe(0x4000 * 1025);
  });
});
