// mcelog's log in every line form dump_mce() and the model decoders print (fixture
// skx-units.log: see fixtures/mcelog/SOURCE.md), and MCG_CAP carried to the grading.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MachineCheck } from '../../src/model/index.js';
import { decodeMce } from '../../src/mce/decode.js';
import { cpuLine } from '../../backends/mcelog/read.js';
import { backendById } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { readWith } from '../helpers/read.js';
import { fixture } from '../corpus.js';
import { mcelogText, type McelogRecord } from '../builders/mcelog.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-mcelog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const mces = (rs: { kind: string }[]) => rs.filter((r): r is MachineCheck => r.kind === 'mce');
const hex = (v: bigint | undefined) => (v === undefined ? undefined : `0x${v.toString(16)}`);

const T = 1795373692;
/** fixtures/mcelog/skx-units.log, record by record (the register values and each model decoder's output). */
const SKX_UNITS: McelogRecord[] = [
  // M2M (bank 7): MSCOD bits 23:16 clear, so decode_bitfield printed nothing and no newline.
  { cpu: 2, bank: 7, status: 0x8c000040000000c0n, mcgstatus: 0n, addr: 0x2b3c4d000n, misc: 0x200000c000281086n, time: T, step: 4, decode: ['Corrected error', 'Error enabled', 'MCi_MISC register valid', 'MCi_ADDR register valid', 'MCA: MEMORY CONTROLLER MS_CHANNEL0_ERR', 'Transaction: Memory scrubbing error'], unit: 'M2M: ' },
  // PCU (bank 4): internal error 0x402, its words and then STATUS on one line.
  { cpu: 0, bank: 4, status: 0xb200000000000402n, mcgstatus: 0x5n, time: T + 5, step: 4, decode: ['Uncorrected error', 'Error enabled', 'Processor context corrupt', 'MCA: Internal unclassified error: 402'], unit: 'PCU: Internal errors ' },
  // MemCtrl (bank 13): the patrol scrub bit printed its words and ended the line.
  { cpu: 0, bank: 13, status: 0x8c000040001000c2n, mcgstatus: 0n, addr: 0x1a2b3c000n, misc: 0x9000000400900086n, time: T + 9, step: 4, decode: ['Corrected error', 'Error enabled', 'MCi_MISC register valid', 'MCi_ADDR register valid', 'MCA: MEMORY CONTROLLER MS_CHANNEL2_ERR', 'Transaction: Memory scrubbing error', 'MemCtrl: Uncorrected patrol scrub error'] },
  // UPI (bank 5): nothing decoded, MCG_CAP without SER_P (a non-SER part), filter bit set.
  { cpu: 1, bank: 5, status: 0xb000000000001e0fn, mcgstatus: 0x5n, mcgcap: 0xc09n, time: T + 12, step: 4, decode: ['Uncorrected error', 'Error enabled', 'MCA: corrected filtering (some unreported errors in same region)', 'BUS error: 0 1 Level-3 Generic Generic Other-transaction Request-did-not-timeout'], unit: 'UPI: ' },
  // Thermal event and a K8 bank name: bankname() forms other than "BANK n".
  { cpu: 3, bank: 128, bankName: 'THERMAL EVENT', status: 0x8800000000000001n, mcgstatus: 0n, mcgcap: 0n, time: T + 20, decode: ['Processor 3 heated above trip temperature. Throttling enabled.'] },
  { cpu: 0, bank: 4, bankName: '4 northbridge', status: 0x9c5a4000a0080a13n, mcgstatus: 0n, mcgcap: 0n, addr: 0x3c1d5400n, time: T + 30, vendor: 'AMD', family: 15, model: 65, decode: ['  Northbridge ECC error'] },
];

describe('mcelog log line forms', () => {
  it('the fixture is what the builder writes from SKX_UNITS', () => {
    expect(readFileSync(fixture('mcelog', 'skx-units.log'), 'utf8')).toBe(mcelogText(SKX_UNITS));
  });


  it('every record of a Skylake-SP log, unit prefixes before STATUS and all', async () => {
    const p = fixture('mcelog', 'skx-units.log');
    expect(backendById('mcelog')!.probe(await makeProbe(p))).toBeGreaterThan(0.5);
    const { records, problems } = await readWith('mcelog', p);
    expect(problems).toEqual([]);
    const got = mces(records);
    expect(got.map((m) => [m.cpu, m.bank, hex(m.status), hex(m.mcgStatus), hex(m.mcgCap), m.apicId, m.cpuid])).toEqual([
      [2, 7, '0x8c000040000000c0', '0x0', '0x100010a', 2, 0x50654],
      [0, 4, '0xb200000000000402', '0x5', '0x100010a', 0, 0x50654],
      [0, 13, '0x8c000040001000c2', '0x0', '0x100010a', 0, 0x50654],
      [1, 5, '0xb000000000001e0f', '0x5', '0xc09', 1, 0x50654],
      [3, 128, '0x8800000000000001', '0x0', undefined, 3, 0x50650],
      [0, 4, '0x9c5a4000a0080a13', '0x0', undefined, 0, 0x40f10],
    ]);
    expect(got[0]!.note).toBe('mcelog: MCA: MEMORY CONTROLLER MS_CHANNEL0_ERR; Transaction: Memory scrubbing error; M2M:');
    expect(got[1]!.note).toBe('mcelog: MCA: Internal unclassified error: 402; PCU: Internal errors');
  });

  it.each([
    ['CPU 3 BANK 1 TSC 1721b44be3', { cpu: 3, bank: 1 }],
    ['CPU 0 4 northbridge', { cpu: 0, bank: 4 }],
    ['CPU 1 THERMAL EVENT TSC 12', { cpu: 1, bank: 128 }],
    ['CPU 1 Timeout waiting for exception on other CPUs', { cpu: 1, bank: 218 }],
    ['CPU 7 ACPI/APEI reported error', { cpu: 7, bank: 255 }],
    ['CPU 7 Undecoded extended event 9a', { cpu: 7, bank: 0x9a }],
    ['CPU 0: Machine Check Exception: 4 Bank 8: be0000000001009f', undefined],
    ['CPU 7 Undecoded extended event 1ff', undefined],
  ])('CPU line %j', (line, want) => {
    expect(cpuLine(line)).toEqual(want);
  });

  it('STATUS behind any prefix, also in syslog; a prefix that is not mcelog\'s is not kept', async () => {
    const p = join(work, 'units.log');
    writeFileSync(p, mcelogText([
      { cpu: 0, bank: 4, status: 0x8c00004000000402n, mcgstatus: 0n, unit: 'PCU: ' },
      { cpu: 0, bank: 9, status: 0x8c000040000000c2n, mcgstatus: 0n, unit: `${'x'.repeat(300)} ` },
    ], { syslog: true }));
    const got = mces((await readWith('mcelog', p)).records);
    expect(got.map((m) => [m.bank, hex(m.status)])).toEqual([[4, '0x8c00004000000402'], [9, '0x8c000040000000c2']]);
    expect(got[0]!.note).toBe('mcelog: PCU:');
    expect(got[1]!.note).toBeUndefined();
  });
});

describe('MCG_CAP from the log decides the grading (severity.c SER / NOSER rules)', () => {
  it('the same uncorrected bus error: UCNA with SER_P, a kernel panic without it', async () => {
    const got = mces((await readWith('mcelog', fixture('mcelog', 'skx-units.log'))).records);
    const upi = got[3]!;
    expect(decodeMce(upi).summary).toContain('severity fatal (kernel: Uncorrected (in kernel))');
    expect(decodeMce({ ...upi, mcgCap: 0x100010an }).summary).toContain('severity uncorrected (kernel: Uncorrected no action required)');
  });
});
