// rasdaemon's mc_event rows carry where EDAC placed the error: the memory controller, the
// layer positions (-1 or 255 for a layer not used), the label, and ghes_edac's detail
// with the kernel's "DIMM location:". Each way leads to the SMBIOS DIMM.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'node-sqlite3-wasm';
import { describe, expect, it } from 'vitest';
import { buildRasdaemonDb } from '../builders/rasdaemon.js';
import { readWith } from '../helpers/read.js';
import { writeIn } from '../helpers/files.js';
import { resolveMemoryError } from '../../src/correlate/dimm-resolve.js';
import { MachineIndex } from '../../src/correlate/dimm-machine.js';
import type { MachineInfo, MemoryError } from '../../src/model/index.js';
import { arrayMapped, dumpBin, endOfTable, memoryDevice } from '../dmi/build.js';

const ROWS: [string, number, string, string, string, number, number, number, number, bigint, string][] = [
  ['2026-11-20 10:00:00 +0000', 1, 'Corrected', 'memory read error', 'CPU_SrcID#0_MC#1_Chan#2_DIMM#0', 1, 2, 0, -1, 0x1234000n, 'err_code:0x0000:0x009f'],
  ['2026-11-20 10:00:01 +0000', 1, 'Uncorrected', 'Multi-bit ECC', 'unknown memory', 0, 255, 255, 255, 0x4_0000_1000n,
    'APEI location: node:0 card:0 module:0 DIMM location: P0_Node0_Channel1 DIMM_B1 status(0x0000000000000400): Storage error in DRAM memory'],
  ['2026-11-20 10:00:02 +0000', 1, 'Corrected', 'Single-bit ECC', 'P0_Node0_Channel0 DIMM_A1', 0, 0, 0, 0, 0n, ''],
];

function database(dir: string): string {
  const path = join(dir, 'ras-mc_event.db');
  buildRasdaemonDb(path, []);
  const db = new Database(path);
  try {
    const ins = db.prepare('INSERT INTO mc_event (timestamp, err_count, err_type, err_msg, label, mc, top_layer, middle_layer, lower_layer, address, grain, syndrome, driver_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 32, 0, ?)');
    for (const r of ROWS) ins.run(r);
    ins.finalize();
  } finally {
    db.close();
  }
  return path;
}

describe('rasdaemon: mc_event locations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-ras-mc-'));
  const dbPath = database(dir);

  it('mc and the used layers, outermost first', async () => {
    const { records, problems } = await readWith('rasdaemon', dbPath);
    expect(problems).toEqual([]);
    const ev = records.filter((r): r is MemoryError => r.kind === 'memerr');
    expect(ev.map((e) => e.where)).toEqual([{ mc: 1, layers: [{ pos: 2 }, { pos: 0 }] }, { mc: 0 }, { mc: 0, layers: [{ pos: 0 }, { pos: 0 }, { pos: 0 }] }]);
  });

  it('label, "DIMM location:" and the layers lead to the DIMM, with the SMBIOS table or without it', async () => {
    const dump = dumpBin('_SM3_', [
      memoryDevice({ handle: 0x1100, size: 0x4000, locator: 'DIMM_A1', bank: 'P0_Node0_Channel0', serial: 'S-A1' }),
      memoryDevice({ handle: 0x1101, size: 0x4000, locator: 'DIMM_B1', bank: 'P0_Node0_Channel1', serial: 'S-B1' }),
      arrayMapped(0x1300, 0n, (32n << 30n) - 1n, true),
      endOfTable(),
    ], [3, 3]);
    const machine = (await readWith('dmi', writeIn(dir, 'dump.bin', dump))).records[0] as MachineInfo;
    const idx = new MachineIndex(machine);
    const ev = (await readWith('rasdaemon', dbPath)).records.filter((r): r is MemoryError => r.kind === 'memerr');
    const hits = ev.map((e) => resolveMemoryError(e, idx));
    expect(hits.map((h) => [h?.dimm?.serial, h?.label])).toEqual([[undefined, 'CPU_SrcID#0_MC#1_Chan#2_DIMM#0'], ['S-B1', undefined], ['S-A1', 'P0_Node0_Channel0 DIMM_A1']]);
    expect(hits[0]!.how).toBe('the platform names it "CPU_SrcID#0_MC#1_Chan#2_DIMM#0" (mc 1 layer 2 layer 0)');
    expect(hits[1]!.how).toBe('the kernel printed "DIMM location: P0_Node0_Channel1 DIMM_B1"');
  });
});
