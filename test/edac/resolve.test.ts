// A memory error whose label is missing or the driver's default gets the label the operator
// set in EDAC's sysfs for the DIMM at its MC and layers: end to end through the CLI (the
// corpus's fatal machine check, its console log with the EDAC lines skx_edac prints for the
// corrected errors before it, and fixtures/edac/skx-2mc), through a rasdaemon database, and
// against the other ways dimm-resolve.ts names a DIMM.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { correlate } from '../../src/correlate/index.js';
import { isDriverLabel } from '../../src/correlate/dimm-edac.js';
import { memErrOf } from '../../backends/rasdaemon/mc-event.js';
import type { MachineCheck, MachineInfo, MemoryError } from '../../src/model/index.js';
import type { Boot } from '../../src/timeline/types.js';
import { runCli } from '../helpers/run.js';
import { readWith } from '../helpers/read.js';
import { buildRasdaemonDb } from '../builders/rasdaemon.js';
import { corpus, fixture } from '../corpus.js';
import { tempDir } from '../collect/helpers.js';

const SKX = fixture('edac', 'skx-2mc');
const ITEM = 'rasdaemon-erst-mce';

/** skx_common.c skx_mce_output_error -> edac_mc_handle_error, for the CE at 0x12345000 (mc 0, channel 1, slot 0). */
const EDAC_CE = 'EDAC MC0: 1 CE memory read error on CPU_SrcID#0_MC#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x12345 offset:0x0 grain:32 syndrome:0x0 - err_code:0x0000:0x009f ProcessorSocketId:0x0 MemoryControllerId:0x0 PhysicalRankId:0x0 Row:0x2e Column:0x10 Bank:0x1 BankGroup:0x2)';

/** The corpus console log with the EDAC line after each corrected machine check at 0x12345000. */
function consoleWithEdac(): string {
  const out: string[] = [];
  for (const line of readFileSync(corpus(ITEM, 'serial-console.log'), 'utf8').split('\n')) {
    out.push(line);
    const ts = /^\[\s*([\d.]+)\] mce: \[Hardware Error\]: TSC 0 ADDR 12345000 /.exec(line)?.[1];
    if (ts) out.push(`[${(Number(ts) + 0.0004).toFixed(6).padStart(12)}] ${EDAC_CE}`);
  }
  const path = join(tempDir('edac-console'), 'serial-console.log');
  writeFileSync(path, out.join('\n'));
  return path;
}

describe('edac: the verdict names the DIMM by the label set in sysfs', () => {
  it('report: the fatal machine check, EDAC lines with skx_edac\'s default label, and the sysfs tables', async () => {
    const log = consoleWithEdac();
    expect(readFileSync(log, 'utf8').match(/EDAC MC0: 1 CE/g)).toHaveLength(2);
    const inputs = [corpus(ITEM, 'pstore'), log];

    const without = await runCli(['report', ...inputs]);
    expect(without.stdout).toMatch(/^ {2}dimm {7}CPU_SrcID#0_MC#0_Chan#1_DIMM#0$/m);

    const text = await runCli(['report', ...inputs, SKX]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^HARDWARE: machine check/m);
    expect(text.stdout).toMatch(/^ {2}dimm {7}CPU1_DIMM_B1$/m);
    expect(text.stdout).toContain('DIMM CPU1_DIMM_B1: a memory error at the same page (0x12345000) names it: EDAC\'s sysfs labels mc 0 channel 1 slot 0 "CPU1_DIMM_B1" (the error gave the driver\'s default name "CPU_SrcID#0_MC#0_Chan#1_DIMM#0")');
    expect(text.stdout).toMatch(/^ {2}dimm history: CPU1_DIMM_B1: 2 corrected over 1 boot/m);
    expect(text.stdout).toMatch(/^machine: EDAC 9 DIMMs on 2 controllers, errors: CPU1_DIMM_B1 5 CE; CPU1_DIMM_D1 2 CE; CPU1_DIMM_E1 1 UE$/m);

    const json = JSON.parse((await runCli(['report', '--json', ...inputs, SKX])).stdout) as {
      inputs: { backend: string }[]; incidents: { cause: string; dimm?: { label?: string } }[];
      machine?: { dimms: unknown[]; edac?: { controllers: { mc: number; name?: string }[]; dimms: Record<string, unknown>[]; source: { backend: string } } };
    };
    expect(json.inputs.map((i) => i.backend)).toEqual(['pstore', 'text', 'edac']);
    expect(json.incidents[0]).toMatchObject({ cause: 'hardware', dimm: { label: 'CPU1_DIMM_B1' } });
    expect(json.machine?.dimms).toEqual([]);
    expect(json.machine?.edac?.controllers.map((c) => `${c.mc} ${c.name}`)).toEqual(['0 Skylake Socket#0 IMC#0', '1 Skylake Socket#0 IMC#1']);
    expect(json.machine?.edac?.dimms[2]).toEqual({ mc: 0, dimm: 2, from: 'dimm', label: 'CPU1_DIMM_B1', location: 'channel 1 slot 0', size: '16 GB', memType: 'Registered-DDR4', ceCount: 5, ueCount: 0 });
    expect(json.machine?.edac?.source).toEqual({ backend: 'edac', path: join(SKX, 'mc') });
  });

  it('rasdaemon: an uncorrected mc_event row (mc 0, layers 0:0:0) with the default label', async () => {
    const db = join(tempDir('edac-ras'), 'ras-mc_event.db');
    buildRasdaemonDb(db, [{ bank: 8, status: 0xbe0000000001009fn, mcgstatus: 0x4n, addr: 0x12345000n, misc: 0x8cn }], [
      { timestamp: '2026-11-22 19:32:35 +0000', err_count: 1, err_type: 'Uncorrected', err_msg: 'memory read error', label: 'CPU_SrcID#0_MC#0_Chan#0_DIMM#0', mc: 0, address: 0x12345000n },
    ]);
    const before = await analyze([db]);
    expect(before.incidents[0]?.dimm).toEqual({ label: 'CPU_SrcID#0_MC#0_Chan#0_DIMM#0' });
    const a = await analyze([db, SKX]);
    expect(a.incidents[0]).toMatchObject({ cause: 'hardware', dimm: { label: 'CPU1_DIMM_A1' } });
    expect(a.incidents[0]!.evidence.map((e) => e.text)).toContain('DIMM CPU1_DIMM_A1: a memory error at the same page (0x12345000) names it: EDAC\'s sysfs labels mc 0 channel 0 slot 0 "CPU1_DIMM_A1" (the error gave the driver\'s default name "CPU_SrcID#0_MC#0_Chan#0_DIMM#0")');
  });
});

describe('edac: beside the other ways a DIMM is named', () => {
  const FATAL: MachineCheck = { kind: 'mce', bank: 8, status: 0xbe0000000001009fn, mcgStatus: 0x4n, addr: 0x7_0000_0000n, misc: 0x8cn, cpu: 0, source: { backend: 'pstore', path: 'mce-erst-1' } };
  const boot = (memoryErrors: MemoryError[], machines: MachineInfo[]): Boot => ({ key: 'k', messages: [], mces: [FATAL], memoryErrors, dumps: [], blobs: [], machines });
  const run = (b: Boot) => correlate({ boots: [b], problems: [] }, () => [])[0]!;
  const sysfs = async (dir = SKX): Promise<MachineInfo> => (await readWith('edac', dir)).records[0] as MachineInfo;
  /** rasdaemon's mc_event row as memErrOf reads it: skx has two layers, the third is -1. */
  const row = (label: string, mc: number, top: number, mid: number): MemoryError =>
    memErrOf({ id: 7, timestamp: '2026-11-22 19:32:35 +0000', err_count: 1, err_type: 'Uncorrected', err_msg: 'memory read error', label, mc, top_layer: top, middle_layer: mid, lower_layer: -1, address: 0x7_0000_0000n }, 'ras-mc_event.db');

  it('rasdaemon positions match the sysfs layers in order; a mc or place with no one DIMM leaves the label alone', async () => {
    const m = await sysfs();
    expect(run(boot([row('CPU_SrcID#0_MC#1_Chan#1_DIMM#0', 1, 1, 0)], [m])).dimm).toEqual({ label: 'CPU1_DIMM_E1' });
    expect(run(boot([row('CPU_SrcID#0_MC#1_Chan#1_DIMM#1', 1, 1, 1)], [m])).dimm).toEqual({ label: 'CPU_SrcID#0_MC#1_Chan#1_DIMM#1' }); // an empty slot
    expect(run(boot([row('CPU_SrcID#1_MC#0_Chan#0_DIMM#0', 5, 0, 0)], [m])).dimm).toEqual({ label: 'CPU_SrcID#1_MC#0_Chan#0_DIMM#0' }); // no mc5
    // mc1 dimm4 kept skx_edac's default: nothing better to say.
    expect(run(boot([row('CPU_SrcID#0_MC#1_Chan#2_DIMM#0', 1, 2, 0)], [m])).dimm).toEqual({ label: 'CPU_SrcID#0_MC#1_Chan#2_DIMM#0' });
  });

  it('a label the error carries that someone set is kept: it is what the kernel printed then', async () => {
    expect(run(boot([row('Left riser slot 3', 0, 1, 0)], [await sysfs()])).dimm).toEqual({ label: 'Left riser slot 3' });
  });

  it('with SMBIOS tables, the sysfs label that is a type 17 locator names that DIMM, serial and all', async () => {
    const smbios: MachineInfo = {
      kind: 'machine', smbios: '3.3.0', ranges: [], source: { backend: 'dmi', path: 'DMI', offset: 0 },
      dimms: [{ handle: 0x1102, locator: 'CPU1_DIMM_E1', bankLocator: 'NODE 1', sizeKB: 16 << 20, size: '16 GB', serial: '7C6D5E4F', partNumber: 'FM4R2666', offset: 0x200 }],
    };
    const inc = run(boot([row('CPU_SrcID#0_MC#1_Chan#1_DIMM#0', 1, 1, 0)], [smbios, await sysfs()]));
    expect(inc.dimm).toEqual({ label: 'CPU1_DIMM_E1', locator: 'CPU1_DIMM_E1', bank: 'NODE 1', serial: '7C6D5E4F', part: 'FM4R2666' });
    expect(inc.evidence.map((e) => e.text)).toContain('DIMM NODE 1 CPU1_DIMM_E1: EDAC\'s sysfs labels mc 1 channel 1 slot 0 "CPU1_DIMM_E1" (the error gave the driver\'s default name "CPU_SrcID#0_MC#1_Chan#1_DIMM#0"), this DIMM\'s SMBIOS name');
    // An SMBIOS handle in the error still comes first (the firmware's own pointer).
    const cper: MemoryError = { ...row('CPU_SrcID#0_MC#1_Chan#1_DIMM#0', 1, 1, 0), where: { mc: 1, layers: [{ pos: 0 }, { pos: 0 }], dimmHandle: 0x1102 } };
    expect(run(boot([cper], [smbios, await sysfs()])).evidence.map((e) => e.text)).toContain('DIMM NODE 1 CPU1_DIMM_E1: the error names SMBIOS handle 0x1102');
  });

  it('a legacy csrow table names the DIMM of an error at "csrow:0 channel:1"', async () => {
    const line: MemoryError = { kind: 'memerr', severity: 'uncorrected', count: 1, card: 0, label: 'mc#0csrow#0channel#1', detail: 'read error (csrow:0 channel:1 page:0x0 offset:0x0 grain:8)', source: { backend: 'text', path: 'kern.log', offset: 10 } };
    expect(run(boot([line], [await sysfs(fixture('edac', 'legacy-csrow'))])).dimm).toEqual({ label: 'DIMM_B0' });
  });

  it('the labels drivers make when none was set (edac_mc.c, skx_common.c, sb_edac.c, i7core_edac.c, i5100_edac.c), and labels people set', () => {
    for (const l of ['mc#0csrow#1channel#0', 'mc#1channel#2slot#0', 'mc#0memory#3', 'CPU_SrcID#0_MC#0_Chan#1_DIMM#0', 'CPU_SrcID#1_Ha#0_Chan#2_DIMM#1', 'CPU#0Channel#1_DIMM#0', 'MC#0Channel#0_DIMM#0', 'DIMM3']) expect(isDriverLabel(l), l).toBe(true);
    for (const l of ['CPU1_DIMM_A1', 'DIMM_A1', 'DIMM 0', 'P0_Node0_Channel0 DIMM 0', 'Left riser slot 3', 'A1']) expect(isDriverLabel(l), l).toBe(false);
  });
});
