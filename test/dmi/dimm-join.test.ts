// The DIMM in the verdict, from every source that names one, and the corrected-error
// history per DIMM across boots with the replace line; hand-made boots with a fake
// detector (as test/correlate/verdicts.test.ts), and the real corpus end to end.
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/index.js';
import { analyze } from '../../src/analyze.js';
import { toJsonReport } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import type { BlobRecord, KernelMessage, MachineCheck, MachineInfo, MemoryError, SourceRef } from '../../src/model/index.js';
import type { Boot } from '../../src/timeline/types.js';
import { parseThreshold } from '../../src/correlate/dimm-history.js';
import { fixture } from '../corpus.js';

const src = (backend: string, path = `${backend}.file`, offset?: number): SourceRef => ({ backend, path, ...(offset !== undefined ? { offset } : {}) });
const msg = (text: string, ts: number): KernelMessage => ({ kind: 'kmsg', text, tsNs: BigInt(ts) * 1_000_000_000n, source: src('text', 'console.log', ts) });
const boot = (b: Partial<Boot>): Boot => ({ key: 'k', messages: [], mces: [], memoryErrors: [], dumps: [], blobs: [], ...b });
const run = (...boots: Boot[]) => correlate({ boots, problems: [] }, () => []);
/** Until the timeline keeps machines apart, a machine record is placed among the blobs. */
const placed = (m: MachineInfo): BlobRecord[] => [m as unknown as BlobRecord];

const T0 = Date.UTC(2026, 10, 20);
const FATAL: MachineCheck = { kind: 'mce', bank: 8, status: 0xbe0000000001009fn, mcgStatus: 0x4n, addr: 0x2_1234_5000n, misc: 0x8cn, cpu: 0, source: src('pstore', 'mce-erst-1'), time: new Date(T0 + 9 * 86_400_000) };

const MACHINE: MachineInfo = {
  kind: 'machine', smbios: '3.3.0',
  system: { manufacturer: 'Forge Systems Inc.', productName: 'FS-2200 Compute Node' },
  dimms: [
    { handle: 0x1100, arrayHandle: 0x1000, locator: 'DIMM_A1', bankLocator: 'P0_Node0_Channel0', sizeKB: 16 << 20, size: '16 GB', serial: '4A3B2C1D', partNumber: 'FM4R3200-A1', manufacturer: 'ForgeMem', speed: 3200, offset: 0x120 },
    { handle: 0x1101, arrayHandle: 0x1000, locator: 'DIMM_B1', bankLocator: 'P0_Node0_Channel1', sizeKB: 16 << 20, size: '16 GB', serial: '5B4C3D2E', partNumber: 'FM4R3200-A1', manufacturer: 'ForgeMem', speed: 3200, offset: 0x160 },
    { handle: 0x1102, arrayHandle: 0x1000, sizeKB: 0, size: 'No Module Installed', offset: 0x1a0 },
  ],
  ranges: [
    { start: 0n, end: 0x7_ffff_ffffn, arrayHandle: 0x1000 },
    { start: 0n, end: 0x3_ffff_ffffn, dimmHandle: 0x1100 },
    { start: 0x4_0000_0000n, end: 0x7_ffff_ffffn, dimmHandle: 0x1101 },
  ],
  source: src('dmi', 'DMI', 0),
};

describe('dmi: the DIMM in a hardware verdict', () => {
  it('the fatal machine check\'s address, through SMBIOS type 20', () => {
    const [inc] = run(boot({ mces: [FATAL], blobs: placed(MACHINE) }));
    expect(inc).toMatchObject({ cause: 'hardware', dimm: { locator: 'DIMM_A1', bank: 'P0_Node0_Channel0', serial: '4A3B2C1D', part: 'FM4R3200-A1' } });
    const texts = inc!.evidence.map((e) => e.text);
    expect(texts).toContain("DIMM P0_Node0_Channel0 DIMM_A1: the fatal machine check's SMBIOS maps address 0x212345000 to it (type 20)");
    expect(inc!.evidence.find((e) => e.text.startsWith('SMBIOS type 17'))!.source).toEqual({ backend: 'dmi', path: 'DMI', offset: 0x120 });
    expect(texts[texts.length - 1]).toMatch(/^Confidence /);
  });

  it('a CPER memory section\'s module handle names the DIMM (BERT)', () => {
    const bert: MemoryError = { kind: 'memerr', severity: 'fatal', physAddr: 0x4_0000_1000n, dimm: 'DMI handle 0x1101', where: { dimmHandle: 0x1101, device: 3 }, source: src('bert', 'BERT', 0x14) };
    const [inc] = run(boot({ memoryErrors: [bert], blobs: placed(MACHINE) }));
    expect(inc!.dimm).toEqual({ locator: 'DIMM_B1', bank: 'P0_Node0_Channel1', serial: '5B4C3D2E', part: 'FM4R3200-A1' });
    expect(inc!.evidence.map((e) => e.text)).toContain('DIMM P0_Node0_Channel1 DIMM_B1: the error names SMBIOS handle 0x1101');
  });

  it('a CPER memory section without a handle or tables: its node/card/module', () => {
    const bert: MemoryError = { kind: 'memerr', severity: 'fatal', node: 0, card: 1, module: 3, where: { device: 5 }, source: src('bert', 'BERT', 0x14) };
    const [inc] = run(boot({ memoryErrors: [bert] }));
    expect(inc!.dimm).toEqual({ label: 'node 0 card 1 module 3 device 5' });
  });

  it('an EDAC line: ghes_edac\'s "<bank> <locator>" label matches SMBIOS; without tables the label and layers stand', () => {
    const lines = [
      msg('EDAC MC0: 1 UE Multi-bit ECC on P0_Node0_Channel1 DIMM_B1 (node:0 card:0 module:0 page:0x400001 offset:0x0 grain:1 - APEI location: node:0 card:0 module:0 DIMM location: P0_Node0_Channel1 DIMM_B1 )', 10),
      msg('Kernel panic - not syncing: Fatal machine check', 11),
    ];
    const [withTables] = run(boot({ messages: lines, blobs: placed(MACHINE) }));
    expect(withTables!.dimm).toMatchObject({ label: 'P0_Node0_Channel1 DIMM_B1', locator: 'DIMM_B1', serial: '5B4C3D2E' });
    const skx = [msg('EDAC MC1: 1 UE memory read error on CPU_SrcID#0_MC#1_Chan#2_DIMM#0 (channel:2 slot:0 page:0x1234 offset:0x0 grain:32 - err_code:0x0000:0x009f)', 10), lines[1]!];
    const [bare] = run(boot({ messages: skx }));
    expect(bare!.dimm).toEqual({ label: 'CPU_SrcID#0_MC#1_Chan#2_DIMM#0' });
    expect(bare!.evidence.map((e) => e.text)).toContain('DIMM CPU_SrcID#0_MC#1_Chan#2_DIMM#0: the platform names it "CPU_SrcID#0_MC#1_Chan#2_DIMM#0" (mc 1 channel 2 slot 0)');
  });

  it('without SMBIOS, a corrected error the platform placed at the fatal page names the DIMM', () => {
    const ce: MemoryError = { kind: 'memerr', severity: 'corrected', label: 'DIMM_C2', physAddr: 0x2_1234_5040n, source: src('rasdaemon', 'ras.db') };
    const [inc] = run(boot({ mces: [FATAL], memoryErrors: [ce] }));
    expect(inc!.dimm).toEqual({ label: 'DIMM_C2' });
    expect(inc!.evidence.map((e) => e.text)).toContain('DIMM DIMM_C2: a memory error at the same page (0x212345000) names it: the platform names it "DIMM_C2"');
  });

  it('rasdaemon\'s mc_event label, with its layers', () => {
    const ev: MemoryError = { kind: 'memerr', severity: 'uncorrected', label: 'DIMM_A1', card: 0, where: { mc: 0, layers: [{ pos: 0 }, { pos: 1 }] }, source: src('rasdaemon', 'ras.db') };
    const [inc] = run(boot({ memoryErrors: [ev], mces: [FATAL], blobs: placed(MACHINE) }));
    expect(inc!.dimm).toMatchObject({ label: 'DIMM_A1', locator: 'DIMM_A1' });
  });
});

describe('dmi: corrected-error history per DIMM across boots', () => {
  /** `n` corrected errors on `label`, spread over [fromDay, toDay]. */
  const ces = (n: number, label: string, fromDay: number, toDay: number): MemoryError[] =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'memerr', severity: 'corrected', label, count: 1, time: new Date(T0 + (fromDay + ((toDay - fromDay) * i) / Math.max(1, n - 1)) * 86_400_000),
      source: src('rasdaemon', 'ras.db'), where: { mc: 0 },
    }) as MemoryError);

  it('counts, first/last, rate per day over three boots, then the fatal one: replace it', () => {
    const boots = [
      boot({ key: 'b1', memoryErrors: ces(40, 'DIMM_A1', 0, 3), blobs: placed(MACHINE) }),
      boot({ key: 'b2', memoryErrors: [...ces(60, 'DIMM_A1', 3.5, 6), ...ces(2, 'DIMM_B1', 4, 5)] }),
      boot({ key: 'b3', memoryErrors: ces(43, 'DIMM_A1', 6.5, 8.9), mces: [FATAL] }),
    ];
    const incs = run(...boots);
    const inc = incs.find((i) => i.cause === 'hardware')!;
    expect(inc.dimmHistory![0]).toMatchObject({ where: 'P0_Node0_Channel0 DIMM_A1', count: 143, boots: 3, first: new Date(T0).toISOString(), dimm: { serial: '4A3B2C1D' } });
    expect(inc.dimmHistory![0]!.perDay).toBeCloseTo(143 / 8.9, 1);
    expect(inc.dimmHistory![0]!.replace).toMatch(/^P0_Node0_Channel0 DIMM_A1 \(serial 4A3B2C1D\): 143 corrected errors in 9 days, then the fatal one: replace it \(\d+ within 10 per 24h/);
    expect(inc.dimmHistory![1]).toMatchObject({ where: 'P0_Node0_Channel1 DIMM_B1', count: 2, boots: 1 });
    expect(inc.dimmHistory![1]!.replace).toBeUndefined();
    expect(inc.evidence.map((e) => e.text)).toContain(inc.dimmHistory![0]!.replace);
  });

  it('a threshold is a count in a window; a boot with no verdict adds its errors to the next verdict', () => {
    expect(parseThreshold('50 / 24h')).toEqual({ count: 50, perMs: 86_400_000, text: '50 per 24h' });
    expect(parseThreshold('ten')).toBeUndefined();
    const sparse = run(boot({ key: 'a', memoryErrors: ces(9, 'DIMM_B1', 0, 8) }), boot({ key: 'b', mces: [FATAL], blobs: placed(MACHINE) }));
    const h = sparse.find((i) => i.cause === 'hardware')!.dimmHistory!;
    expect(h.find((r) => r.where.endsWith('DIMM_B1'))).toMatchObject({ count: 9, boots: 1 });
    expect(h.every((r) => r.replace === undefined)).toBe(true);
  });
});

describe('dmi: the corpus end to end', () => {
  it('rasdaemon + pstore of the erst-mce guest with a DMI table: DIMM 0 in the verdict, the machine in the reports', async () => {
    const a = await analyze([
      fixture('pstore', 'rasdaemon-erst-mce'),
      fixture('rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db'),
      fixture('dmi', 'q35-2g-smp2', 'dmidecode-dump.bin'),
    ]);
    const hw = a.incidents.find((i) => i.cause === 'hardware')!;
    expect(hw.dimm).toEqual({ locator: 'DIMM 0' });
    expect(hw.evidence.map((e) => e.text)).toContain("DIMM DIMM 0: the fatal machine check's address 0x12345000 is in memory array 0x1000 (SMBIOS type 19), which holds only this DIMM");
    // Two read errors (bank 8, MCACOD 0x9f) and a scrub error (bank 7, 0xc1): all memory-controller
    // errors, at addresses of the one DIMM.
    expect(hw.dimmHistory?.[0]).toMatchObject({ where: 'DIMM 0', count: 3, boots: 1 });
    const json = toJsonReport(a);
    expect(json.machine).toMatchObject({ smbios: '2.8', bios: { vendor: 'SeaBIOS' }, dimms: [{ handle: '0x1100', locator: 'DIMM 0', size: '2 GB', manufacturer: 'QEMU' }] });
    const text = renderText(a);
    expect(text).toContain('machine: QEMU Standard PC (Q35 + ICH9, 2009) pc-q35-7.2, BIOS SeaBIOS 1.16.2-debian-1.16.2-1 (04/01/2014), SMBIOS 2.8, 1 DIMM: DIMM 0 2 GB');
    expect(text).toMatch(/\n {2}dimm {7}DIMM 0\n/);
  });
});

describe('dmi: the CLI', () => {
  it('`crashlog report` on a dump alone prints the machine line; --json has the machine section', async () => {
    const { runCli } = await import('../helpers/run.js');
    const dump = fixture('dmi', 'q35-4g-numa2-smbios3', 'dmidecode-dump.bin');
    const text = await runCli(['report', dump]);
    expect(text.stdout).toContain('machine: QEMU Standard PC (Q35 + ICH9, 2009) pc-q35-7.2, BIOS SeaBIOS 1.16.2-debian-1.16.2-1 (04/01/2014), SMBIOS 3.0.0, 1 DIMM: DIMM 0 4 GB');
    expect(text.stdout).toContain(': dmi, 1 records');
    const json = JSON.parse((await runCli(['report', '--json', dump])).stdout) as { machine: unknown; incidents: unknown[] };
    expect(json.incidents).toEqual([]);
    expect(json.machine).toEqual({
      smbios: '3.0.0',
      bios: { vendor: 'SeaBIOS', version: '1.16.2-debian-1.16.2-1', releaseDate: '04/01/2014' },
      system: { manufacturer: 'QEMU', productName: 'Standard PC (Q35 + ICH9, 2009)', version: 'pc-q35-7.2', uuid: 'Not Settable' },
      dimms: [{ handle: '0x1100', locator: 'DIMM 0', size: '4 GB', manufacturer: 'QEMU' }],
      source: { backend: 'dmi', path: dump, offset: 32 },
    });
  });
});
