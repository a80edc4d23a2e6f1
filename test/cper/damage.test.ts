// Issue 16: "a CPER section length past its block drops the record silently". Lengths
// that lie, told in the real records of the corpus (erst-mce-memory's QEMU ERST store:
// the fatal machine check and the panic's log, as the kernel wrote them), read through
// the whole pipeline: each lie is a problem naming the file and the byte offset of the
// field that lies, and what the record holds is still read and still gives the verdict.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ACPI_HEST_GENERIC_DATA, ACPI_HEST_GENERIC_STATUS, CPER_RECORD_HEADER, CPER_SECTION_DESCRIPTOR, GUIDS } from '../../src/cper/layout.js';
import { guidString } from '../../src/cper/guid.js';
import { estatusBlock, memErr } from '../builders/cper.js';
import { fixture } from '../corpus.js';

const STORE = readFileSync(fixture('erst', 'erst-mce-memory', 'erst-backing.bin'));
const dir = mkdtempSync(join(tmpdir(), 'cper-damage-'));
const FATAL = { bank: 8, status: '0xbe0000000001009f', addr: '0x12345000' };

/** The store's records: where each starts, its length, and its first section's type. */
const records = (() => {
  const out: { at: number; length: number; type: string }[] = [];
  for (let at = STORE.indexOf('CPER'); at >= 0; at = STORE.indexOf('CPER', at + 4)) {
    const desc = at + CPER_RECORD_HEADER.size;
    out.push({ at, length: STORE.readUInt32LE(at + CPER_RECORD_HEADER.offsets.record_length), type: guidString(STORE.subarray(desc + CPER_SECTION_DESCRIPTOR.offsets.section_type, desc + CPER_SECTION_DESCRIPTOR.offsets.section_type + 16)) });
  }
  return out;
})();
const mceRecord = records.find((r) => r.type === GUIDS.SECTION_MCE)!;
const dmesgRecord = records.find((r) => r.type === GUIDS.SECTION_DMESG || r.type === GUIDS.SECTION_DMESG_Z)!;
const sectionLengthAt = (r: { at: number }) => r.at + CPER_RECORD_HEADER.size + CPER_SECTION_DESCRIPTOR.offsets.section_length;
const sectionOffsetOf = (r: { at: number }) => STORE.readUInt32LE(r.at + CPER_RECORD_HEADER.size + CPER_SECTION_DESCRIPTOR.offsets.section_offset);

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

async function report(path: string) {
  const a = await analyze([path]);
  return { input: a.inputs[0]!, incident: a.incidents[0], mces: a.incidents.flatMap((i) => i.mce ?? []) };
}

describe('CPER lengths that lie, in the corpus\'s real ERST records', () => {
  it('the store holds a fatal machine check and the panic\'s log, one section a record', () => {
    expect(mceRecord).toBeDefined();
    expect(dmesgRecord).toBeDefined();
  });

  it('a section_length past its slot: a problem at that field; the machine check is still read', async () => {
    const bytes = Buffer.from(STORE);
    bytes.writeUInt32LE(0x100000, sectionLengthAt(mceRecord));
    const { input, mces } = await report(write('erst-seclen.bin', bytes));
    expect(input.problems).toEqual([expect.objectContaining({ offset: sectionLengthAt(mceRecord), message: expect.stringMatching(/section_length 1048576 runs past the record's end/) })]);
    expect(mces).toEqual(expect.arrayContaining([expect.objectContaining({ ...FATAL, source: expect.objectContaining({ backend: 'erst', offset: mceRecord.at + sectionOffsetOf(mceRecord) }) })]));
  });

  it('a record_length past its slot: a problem at that field; the record\'s log is still read', async () => {
    const bytes = Buffer.from(STORE);
    const at = dmesgRecord.at + CPER_RECORD_HEADER.offsets.record_length;
    bytes.writeUInt32LE(0x7fffffff, at);
    const { input, incident } = await report(write('erst-reclen.bin', bytes));
    expect(input.problems).toEqual([expect.objectContaining({ offset: at, message: expect.stringMatching(/record_length 2147483647 runs past its slot/) })]);
    expect(incident?.panic).toBe('Fatal machine check');
  });

  it('records saved one after another, the first claiming the second\'s bytes: both are read, and the lie is named', async () => {
    const first = STORE.subarray(mceRecord.at, mceRecord.at + mceRecord.length);
    const second = STORE.subarray(dmesgRecord.at, dmesgRecord.at + dmesgRecord.length);
    const stream = Buffer.concat([first, second]);
    stream.writeUInt32LE(stream.length, CPER_RECORD_HEADER.offsets.record_length);
    const { input, incident, mces } = await report(write('records.cper', stream));
    expect(input.problems).toEqual([expect.objectContaining({ offset: CPER_RECORD_HEADER.offsets.record_length, message: expect.stringMatching(new RegExp(`runs past the record at 0x${first.length.toString(16)}`)) })]);
    expect(mces).toEqual(expect.arrayContaining([expect.objectContaining(FATAL)]));
    expect(incident?.panic).toBe('Fatal machine check');
  });
});

describe('a BERT status block around the corpus\'s real machine check', () => {
  const realMce = STORE.subarray(mceRecord.at + sectionOffsetOf(mceRecord), mceRecord.at + sectionOffsetOf(mceRecord) + STORE.readUInt32LE(sectionLengthAt(mceRecord)));
  const lengthField = (sectionsBefore: number) => ACPI_HEST_GENERIC_STATUS.size + sectionsBefore + ACPI_HEST_GENERIC_DATA.offsets.error_data_length;

  it('its error_data_length past the block: still a BERT region, a problem at that field, the machine check read', async () => {
    const { input, incident, mces } = await report(write('BERT', estatusBlock({ sections: [{ type: GUIDS.SECTION_MCE, data: realMce, length: 4096 }] })));
    expect(input.backend).toBe('bert');
    expect(input.problems).toEqual([expect.objectContaining({ offset: lengthField(0), message: expect.stringMatching(/error_data_length 4096 runs past the block's data \(128 bytes left\)/) })]);
    expect(mces).toEqual([expect.objectContaining(FATAL)]);
    expect(incident?.cause).toBe('hardware');
  });

  it('the last section lying: the sections before it are whole, the lying one read as far as the block goes', async () => {
    const mem = memErr({ validation: 0x2n | 0x4000n, pa: 0xabc000n, errorType: 2 });
    const block = estatusBlock({ sections: [{ type: GUIDS.SECTION_MCE, data: realMce }, { type: GUIDS.SEC_PLATFORM_MEM, data: mem, length: 1 << 20 }] });
    const { input, mces } = await report(write('BERT2', block));
    expect(input.problems).toEqual([expect.objectContaining({ offset: lengthField(ACPI_HEST_GENERIC_DATA.size + realMce.length), message: expect.stringMatching(/error_data_length 1048576/) })]);
    expect(mces).toEqual([expect.objectContaining(FATAL)]);
    expect(input.records).toBe(2);
  });

  it('its data_length past the region: a problem at that field; the sections in the region are read', async () => {
    const block = estatusBlock({ sections: [{ type: GUIDS.SECTION_MCE, data: realMce }], dataLength: 1 << 24 });
    const { input, mces } = await report(write('BERT3', block));
    expect(input.problems).toEqual([expect.objectContaining({ offset: ACPI_HEST_GENERIC_STATUS.offsets.data_length, message: expect.stringMatching(/data_length 16777216 runs past the region's end/) })]);
    expect(mces).toEqual([expect.objectContaining(FATAL)]);
  });
});
