import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bert } from '../../backends/bert/index.js';
import { GUIDS } from '../../src/cper/layout.js';
import { makeProbe } from '../../src/input/probe.js';
import { bcdTimestamp, estatusBlock, memErr, SEV, structMce } from '../builders/cper.js';
import { fixture } from '../corpus.js';
import { readWith } from '../helpers/read.js';
import { writeIn } from '../helpers/files.js';

const dir = mkdtempSync(join(tmpdir(), 'bert-'));
const MCE = { type: GUIDS.SECTION_MCE, data: structMce({ bank: 8, status: 0xbe0000000001009fn, addr: 0x12345000n, mcgstatus: 4n, cpu: 1 }) };
const MEM = { type: GUIDS.SEC_PLATFORM_MEM, data: memErr({ validation: 0x2n | 0x8n | 0x4000n, pa: 0xabc000n, node: 0, errorType: 2 }) };

const file = (name: string, bytes: Uint8Array): string => writeIn(dir, name, bytes);

const collect = (path: string) => readWith('bert', path);

describe('bert', () => {
  it('reads MCE and memory sections of v1 and v3 generic data, noted as from BERT', async () => {
    const when = new Date(Date.UTC(2026, 10, 22, 21, 0, 0));
    const region = Buffer.concat([estatusBlock({ sections: [MCE, { ...MEM, v3: true, timestamp: bcdTimestamp(when) }] }), Buffer.alloc(64)]);
    const { records, problems } = await collect(file('BERT', region));
    expect(problems).toEqual([]);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ kind: 'mce', bank: 8, status: 0xbe0000000001009fn, addr: 0x12345000n, cpu: 1, note: expect.stringMatching(/BERT/) });
    expect(records[1]).toMatchObject({ kind: 'memerr', severity: 'fatal', physAddr: 0xabc000n, node: 0, time: when, detail: expect.stringMatching(/^multi-bit ECC; from ACPI BERT/) });
  });

  it('takes severity from the section, else the block', async () => {
    const { records } = await collect(file('sev', estatusBlock({ severity: SEV.corrected, sections: [{ ...MEM, severity: 99 }] })));
    expect(records[0]).toMatchObject({ kind: 'memerr', severity: 'corrected' });
  });

  it('reads several blocks and stops at a zero block_status', async () => {
    const region = Buffer.concat([estatusBlock({ sections: [MCE] }), estatusBlock({ sections: [MEM] }), Buffer.alloc(20), estatusBlock({ sections: [MCE] })]);
    expect((await collect(file('multi', region))).records.map((r) => r.kind)).toEqual(['mce', 'memerr']);
  });

  it('a section longer than its block is a problem at its length field; earlier sections stay, and its bytes are read', async () => {
    const { records, problems } = await collect(file('long', estatusBlock({ sections: [MEM, { ...MCE, length: 4096 }] })));
    expect(records.map((r) => r.kind)).toEqual(['memerr', 'mce']);
    expect(problems).toEqual([expect.objectContaining({ offset: 20 + 64 + MEM.data.length + 24, message: expect.stringMatching(/error_data_length 4096 runs past/) })]);
  });

  it('a data_length past the region end is a problem at that field', async () => {
    const block = estatusBlock({ sections: [MEM] });
    const { records, problems } = await collect(file('trunc', block.subarray(0, block.length - 8)));
    expect(problems[0]).toMatchObject({ offset: 12, message: expect.stringMatching(/data_length \d+ runs past the region's end/) });
    // The memory section is cut to 72 bytes, short of even the old 73-byte layout.
    expect(records).toEqual([]);
    expect(problems[problems.length - 1]!.message).toMatch(/cper_sec_mem_err/);
  });

  it('a zero-length MCE section is a problem, not a record', async () => {
    const { records, problems } = await collect(file('zero', estatusBlock({ sections: [{ ...MCE, data: new Uint8Array(0) }, MEM] })));
    expect(records.map((r) => r.kind)).toEqual(['memerr']);
    expect(problems[0]!.message).toMatch(/struct mce/);
  });

  it('probes BERT regions only, whatever their lengths say', async () => {
    expect(bert.probe(await makeProbe(file('BERT2', estatusBlock({ sections: [MCE] }))))).toBeGreaterThan(0.5);
    expect(bert.probe(await makeProbe(file('BERT-long', estatusBlock({ sections: [{ ...MCE, length: 1 << 20 }] }))))).toBeGreaterThan(0.5);
    expect(bert.probe(await makeProbe(fixture('erst', 'erst-mce-memory', 'serial-console.log')))).toBe(0);
    expect(bert.probe(await makeProbe(fixture('erst', 'erst-mce-memory', 'erst-backing.bin')))).toBe(0);
    expect(bert.probe(await makeProbe(fixture('erst', 'erst-mce-memory', 'pstore', 'mce-erst-7711071329893482497')))).toBe(0);
  });
});
