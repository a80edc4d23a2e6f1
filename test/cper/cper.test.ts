import { describe, expect, it } from 'vitest';
import { scanCperRecords } from '../../backends/erst/read.js';
import { guidBytes, guidString } from '../../src/cper/guid.js';
import { GUIDS } from '../../src/cper/layout.js';
import { cperTimestamp, parseCperRecord } from '../../src/cper/record.js';
import { parseMemError } from '../../src/cper/sections.js';
import type { Problem } from '../../src/model/index.js';
import { bcdTimestamp, cperRecord, memErr, SEV, structMce } from '../builders/cper.js';

const MEM_ALL = 0x2n | 0x8n | 0x10n | 0x20n | 0x40n | 0x100n | 0x200n | 0x4000n;
const memSection = { type: GUIDS.SEC_PLATFORM_MEM, severity: SEV.corrected, data: memErr({ validation: MEM_ALL, pa: 0x12345000n, node: 1, card: 2, module: 3, bank: 4, row: 5, column: 6, errorType: 1 }) };

function scan(bytes: Uint8Array) {
  const problems: Problem[] = [];
  const recs = scanCperRecords(bytes, 'x.bin', { options: {}, problem: (p) => problems.push(p) });
  return { recs, problems };
}

describe('CPER records', () => {
  it('GUIDs round-trip in the kernel mixed-endian order', () => {
    expect(guidString(guidBytes(GUIDS.SECTION_MCE))).toBe(GUIDS.SECTION_MCE);
    expect(Buffer.from(guidBytes(GUIDS.SECTION_MCE)).toString('hex').slice(0, 8)).toBe('beff08fe');
  });

  it('decodes a platform memory section into a MemoryError', () => {
    const rec = parseCperRecord(cperRecord({ creator: '00000000-0000-0000-0000-000000000000', sections: [memSection] }), 0, 'x');
    const s = rec.sections[0]!;
    expect(s.type).toBe(GUIDS.SEC_PLATFORM_MEM);
    expect(parseMemError(s.bytes!, s.severity, { backend: 't', path: 'x', offset: s.offset })).toMatchObject({
      kind: 'memerr', severity: 'corrected', physAddr: 0x12345000n, node: 1, card: 2, module: 3, bank: 4, row: 5, column: 6, detail: 'single-bit ECC',
    });
  });

  it('UEFI 2.8 fields: DIMM handle, rank, extended row, bank group and address, chip id', () => {
    const validation = 0x2n | 0x100n | 0x4000n | 0x8000n | 0x20000n | 0x40000n | 0x80000n | 0x100000n | 0x200000n;
    const e = parseMemError(memErr({ validation, pa: 0x7f001000n, bank: 0x0302, row: 0x1234, errorType: 2, extended: 0x42, rank: 1, devHandle: 0x26 }), 'fatal', { backend: 't', path: 'x' });
    expect(e).toMatchObject({ severity: 'fatal', physAddr: 0x7f001000n, bank: 2, row: 0x21234, dimm: 'DMI handle 0x0026', detail: 'multi-bit ECC, bank group 3, rank 1, chip 2' });
    expect(e.node).toBeUndefined();
  });

  it('leaves out fields the validation bits do not vouch for, and reads the old 73-byte layout', () => {
    const e = parseMemError(memErr({ validation: 0x2n, pa: 0x1000n, node: 7 }, true), 'fatal', { backend: 't', path: 'x' });
    expect(e).toMatchObject({ severity: 'fatal', physAddr: 0x1000n });
    expect(e.node).toBeUndefined();
  });

  it('reads BCD timestamps (firmware) and rejects nonsense', () => {
    const d = new Date(Date.UTC(2026, 10, 22, 21, 5, 9));
    expect(cperTimestamp(bcdTimestamp(d))).toEqual(d);
    expect(cperTimestamp(0n)).toBeUndefined();
  });

  it('a bad signature is not a record; good records around it still read', () => {
    const good = cperRecord({ recordId: 7n, sections: [memSection] });
    const bad = cperRecord({ recordId: 8n, signature: 'CPEX', sections: [memSection] });
    const { recs, problems } = scan(Buffer.concat([bad, good]));
    expect(recs.map((r) => r.recordId)).toEqual([7n]);
    expect(problems).toEqual([]);
  });

  it('a record_length past the end is a problem at that field; the record is read up to the next one, and the next one too', () => {
    const lying = cperRecord({ recordId: 1n, recordLength: 1 << 30, sections: [memSection] });
    const good = cperRecord({ recordId: 2n, sections: [memSection] });
    const { recs, problems } = scan(Buffer.concat([lying, good]));
    expect(problems).toEqual([]);
    expect(recs.map((r) => r.recordId)).toEqual([1n, 2n]);
    expect(recs[0]!.problems).toEqual([{ offset: 20, message: expect.stringContaining(`record_length ${1 << 30} runs past the record at 0x${lying.length.toString(16)}`) }]);
    expect(recs[0]!.sections[0]!.bytes?.length).toBe(memSection.data.length);
  });

  it('a section running past the record is cut at its end and reported at its length field; the record\'s other sections stay', () => {
    const bytes = cperRecord({ sections: [{ ...memSection, length: 5000 }, memSection] });
    const rec = parseCperRecord(bytes, 0, 'x');
    expect(rec.sections[0]).toMatchObject({ problem: expect.stringMatching(/section_length 5000 runs past the record's end/), problemOffset: 128 + 4 });
    expect(rec.sections[0]!.bytes?.length).toBe(bytes.length - rec.sections[0]!.offset);
    expect(rec.sections[1]!.bytes?.length).toBe(memSection.data.length);
    expect(rec.sections[1]!.problem).toBeUndefined();
  });

  it('a section starting outside the record is reported at its offset field, with no bytes', () => {
    const rec = parseCperRecord(cperRecord({ sections: [{ ...memSection, offset: 1 << 20 }, memSection] }), 0, 'x');
    expect(rec.sections[0]).toMatchObject({ problem: expect.stringMatching(/section_offset 1048576 lies outside/), problemOffset: 128 });
    expect(rec.sections[0]!.bytes).toBeUndefined();
  });

  it('truncated records and section counts beyond the record are problems, not crashes; what fits is read', () => {
    const full = cperRecord({ sections: [memSection] });
    const cut = scan(full.subarray(0, full.length - 10)).recs[0]!;
    expect(cut.problems).toEqual([expect.objectContaining({ offset: 20 })]);
    expect(cut.sections[0]!.bytes?.length).toBe(memSection.data.length - 10);
    const counted = scan(cperRecord({ sectionCount: 200, sections: [memSection] })).recs[0]!;
    expect(counted.problems.map((p) => p.message)).toEqual([expect.stringMatching(/record_length/), expect.stringMatching(/section descriptors need/)]);
  });

  it('zero-length sections are kept empty, and an empty MCE section is a problem downstream', () => {
    const rec = parseCperRecord(cperRecord({ sections: [{ type: GUIDS.SECTION_MCE, data: new Uint8Array(0) }] }), 0, 'x');
    expect(rec.sections[0]!.bytes?.length).toBe(0);
  });

  it('pstore records carry plain seconds as their time', () => {
    const rec = parseCperRecord(cperRecord({ timestamp: 1795373701n, sections: [{ type: GUIDS.SECTION_MCE, data: structMce({ bank: 1, status: 1n }) }] }), 0, 'x');
    expect(rec.time).toEqual(new Date(1795373701000));
  });
});
