// Three boots' journals (EDAC corrected errors as ghes_edac prints them, on a DIMM that
// SMBIOS names), the last ending in a fatal machine check at that DIMM's address, and the
// machine's SMBIOS dump: through `crashlog report` as an engineer would run it, the
// verdict names the DIMM, counts its corrected errors across the boots and says replace it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { journalFromConsole } from '../builders/journal.js';
import { writeIn } from '../helpers/files.js';
import { runCli } from '../helpers/run.js';
import type { JsonReport } from '../../src/model/index.js';
import { arrayMapped, baseboard, bios, deviceMapped, dumpBin, endOfTable, memoryDevice, system } from './build.js';

const DAY_US = 86_400_000_000n;
const T0_US = BigInt(Date.UTC(2026, 10, 12)) * 1000n;
const GIB = 1n << 30n;

const edac = (page: number): string =>
  `EDAC MC0: 1 CE Single-bit ECC on P0_Node0_Channel0 DIMM_A1 (node:0 card:0 module:0 rank:0 bank:1 device:0 row:17 column:8 page:0x${page.toString(16)} offset:0x0 grain:1 syndrome:0x0 - DIMM location: P0_Node0_Channel0 DIMM_A1 status(0x0000000000000400): Storage error in DRAM memory)`;

/** A console capture: the banner, `ces` EDAC lines a minute apart, then `end` lines. */
function consoleLog(ces: number, end: string[]): string {
  const lines = ['Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)'];
  for (let i = 0; i < ces; i++) lines.push(edac(0x12345));
  lines.push(...end);
  return lines.map((l, i) => `[${String(10 + i * 60).padStart(5)}.000000] ${l}`).join('\n') + '\n';
}

const FATAL = [
  'mce: [Hardware Error]: CPU 0: Machine Check Exception: 5 Bank 8: be0000000001009f',
  'mce: [Hardware Error]: RIP !INEXACT! 10:<ffffffff81a0c2b6> {intel_idle+0x76/0xc0}',
  'mce: [Hardware Error]: TSC 4ab3c2d1e0 ADDR 12345000 MISC 8c',
  // TIME: the wall clock of the third boot, 20 minutes in (the lines are a minute apart).
  `mce: [Hardware Error]: PROCESSOR 0:50654 TIME ${(T0_US + 9n * DAY_US) / 1_000_000n + 1270n} SOCKET 0 APIC 0 microcode 1`,
  'mce: [Hardware Error]: Run the above through \'mcelog --ascii\'',
  'Kernel panic - not syncing: Fatal machine check',
];

describe('dmi: an archive of boots with corrected errors, then the fatal one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-dimm-archive-'));
  const boots: [string, bigint, number, string[]][] = [
    ['1b0c6f0e2d3a4b5c8d9e0f1a2b3c4d5e', T0_US, 30, ['reboot: Restarting system']],
    ['2b0c6f0e2d3a4b5c8d9e0f1a2b3c4d5e', T0_US + 4n * DAY_US, 25, ['reboot: Restarting system']],
    ['3b0c6f0e2d3a4b5c8d9e0f1a2b3c4d5e', T0_US + 9n * DAY_US, 20, FATAL],
  ];
  const inputs = boots.map(([id, wall, ces, end], i) => {
    const con = join(dir, `console-${i}.log`);
    writeFileSync(con, consoleLog(ces, end));
    return writeIn(dir, `journal-${i}.json`, Buffer.from(journalFromConsole(con, id, wall)));
  });
  const dump = writeIn(dir, 'dmi.bin', dumpBin('_SM3_', [
    bios('Forge Systems Inc.', 'FS1.07.2', '11/28/2025'),
    system({ manufacturer: 'Forge Systems Inc.', product: 'FS-2200 Compute Node', serial: 'FSN2200-0042-7731' }),
    baseboard('Forge Systems Inc.', 'FSB-220', 'MB22-0009815'),
    memoryDevice({ handle: 0x1100, size: 0x4000, speed: 3200, locator: 'DIMM_A1', bank: 'P0_Node0_Channel0', manufacturer: 'ForgeMem', serial: '4A3B2C1D', part: 'FM4R3200-A1' }),
    memoryDevice({ handle: 0x1101, size: 0x4000, speed: 3200, locator: 'DIMM_B1', bank: 'P0_Node0_Channel1', manufacturer: 'ForgeMem', serial: '5B4C3D2E', part: 'FM4R3200-A1' }),
    arrayMapped(0x1300, 0n, 32n * GIB - 1n, true),
    deviceMapped(0x1400, 0x1100, 0n, 16n * GIB - 1n),
    deviceMapped(0x1401, 0x1101, 16n * GIB, 32n * GIB - 1n),
    endOfTable(),
  ], [3, 3]));

  it('names the DIMM and says replace it, in JSON and in text', async () => {
    const out = await runCli(['report', '--json', ...inputs, dump]);
    const report = JSON.parse(out.stdout) as JsonReport;
    expect(report.incidents).toHaveLength(1);
    const [inc] = report.incidents;
    expect(inc).toMatchObject({ cause: 'hardware', dimm: { locator: 'DIMM_A1', bank: 'P0_Node0_Channel0', serial: '4A3B2C1D', part: 'FM4R3200-A1' } });
    expect(inc!.dimmHistory![0]).toMatchObject({ where: 'P0_Node0_Channel0 DIMM_A1', count: 75, boots: 3 });
    expect(inc!.dimmHistory![0]!.replace).toMatch(/^P0_Node0_Channel0 DIMM_A1 \(serial 4A3B2C1D\): 75 corrected errors in 9 days, then the fatal one: replace it \(30 within 10 per 24h/);
    expect(report.machine?.dimms.map((d) => [d.locator, d.bankLocator, d.size, d.speed])).toEqual([['DIMM_A1', 'P0_Node0_Channel0', '16 GB', '3200 MT/s'], ['DIMM_B1', 'P0_Node0_Channel1', '16 GB', '3200 MT/s']]);
    const text = (await runCli(['report', ...inputs, dump])).stdout;
    expect(text).toContain('machine: Forge Systems Inc. FS-2200 Compute Node v1, board Forge Systems Inc. FSB-220, BIOS Forge Systems Inc. FS1.07.2 (11/28/2025), SMBIOS 3.3.0, 2 DIMMs: P0_Node0_Channel0 DIMM_A1 16 GB serial 4A3B2C1D; P0_Node0_Channel1 DIMM_B1 16 GB serial 5B4C3D2E');
    expect(text).toContain('  dimm       DIMM_A1 (bank P0_Node0_Channel0, serial 4A3B2C1D, part FM4R3200-A1)');
    expect(text).toContain('  dimm history: P0_Node0_Channel0 DIMM_A1 (serial 4A3B2C1D): 75 corrected errors in 9 days, then the fatal one: replace it');
  });

  it('--dimm-ce-threshold sets where "replace it" starts; a bad value is a usage error', async () => {
    const loose = JSON.parse((await runCli(['report', '--json', '--dimm-ce-threshold', '1000/1d', ...inputs, dump])).stdout) as JsonReport;
    expect(loose.incidents[0]!.dimmHistory![0]!.replace).toBeUndefined();
    const strict = JSON.parse((await runCli(['report', '--json', '--dimm-ce-threshold', '20/24h', ...inputs, dump])).stdout) as JsonReport;
    expect(strict.incidents[0]!.dimmHistory![0]!.replace).toMatch(/replace it \(30 within 20 per 24h/);
    expect((await runCli(['report', '--dimm-ce-threshold', 'lots', ...inputs])).code).toBe(2);
  });
});
