// crashlog beside Debian's dmidecode (apt package `dmidecode`, `dmidecode --from-dump`)
// on generated dumps that sweep what the reader decides on: every entry point kind and a
// spread of SMBIOS versions, type 17 lengths of every SMBIOS generation (0x15 .. 0x5C),
// sizes in MB, KB and the extended field, speeds plain and extended, strings with bytes
// dmidecode filters, string numbers past the set, UUID byte order before and after 2.6.
// Skipped, saying so, where dmidecode is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWith } from '../helpers/read.js';
import { writeIn } from '../helpers/files.js';
import { fixture } from '../corpus.js';
import type { MachineInfo } from '../../src/model/index.js';
import { differences, parseDmidecode } from './dmidecode-view.js';
import { arrayMapped, baseboard, bios, deviceMapped, dumpBin, endOfTable, memoryDevice, system, type Anchor, type Dimm } from './build.js';

const DMIDECODE = ['dmidecode', '/usr/sbin/dmidecode'].find((bin) => spawnSync(bin, ['--version']).status === 0);
const TYPES = '0,1,2,17';

function dmidecode(path: string): string {
  const r = spawnSync(DMIDECODE!, ['--from-dump', path, '-t', TYPES], { encoding: 'latin1' });
  if (r.status !== 0) throw new Error(`dmidecode failed: ${r.stderr}`);
  return r.stdout;
}

/** Type 17 sizes and speeds, with what each exercises. */
const DEVICES: Omit<Dimm, 'handle' | 'length'>[] = [
  { size: 0 }, // no module installed: dmidecode prints nothing after Type Detail
  { size: 0xffff, locator: 'DIMM_UNK' },
  { size: 16384, speed: 3200, locator: 'DIMM_A1', bank: 'P0_Node0_Channel0', manufacturer: 'Samsung', serial: '4A3B2C1D', part: 'M393A2K43DB3-CWE' },
  { size: 0x8000 | 512, speed: 1600, locator: 'KB module' },
  { size: 1536, locator: 'MB, two units' },
  { size: 0x7fff, extendedSize: 32768, speed: 0xffff, extendedSpeed: 8800, locator: 'CPU1_DIMM_B2', manufacturer: 'Micron\u0001', serial: 'SN\u00e9' },
  { size: 0x7fff, extendedSize: 1536, locator: 'ext MB' },
  { size: 0x7fff, extendedSize: 0x100001, locator: 'ext odd' },
  { size: 0x7fff, extendedSize: 1 << 20, locator: 'ext TB', asset: 'AT-1' },
];

/** SMBIOS generations by the type 17 length they define. */
const LENGTHS = [0x15, 0x17, 0x1b, 0x1c, 0x22, 0x28, 0x54, 0x5c];
const VERSIONS: [Anchor, [number, number]][] = [['_SM3_', [3, 3]], ['_SM3_', [3, 0]], ['_SM_', [2, 8]], ['_SM_', [2, 5]], ['_SM_', [2, 3]], ['_DMI_', [2, 0]]];

const UUID = Uint8Array.from([0x6f, 0x1c, 0x2a, 0x3e, 0x8b, 0x4d, 0x4c, 0x5e, 0x9f, 0x60, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f]);

function table(length: number): Buffer[] {
  const s = [
    bios('Forge Systems Inc.', 'FS1.07.2', '11/28/2025'),
    system({ manufacturer: 'Forge Systems Inc.', product: 'FS-2200 Compute Node', serial: 'FSN2200-0042-7731', uuid: UUID, family: 'FS-2000' }),
    baseboard('Forge Systems Inc.', 'FSB-220', 'MB22-0009815'),
    ...DEVICES.map((d, i) => memoryDevice({ ...d, handle: 0x1100 + i, length })),
    arrayMapped(0x1300, 0n, (16n << 30n) - 1n),
    deviceMapped(0x1400, 0x1102, 0n, (16n << 30n) - 1n),
    endOfTable(),
  ];
  const bad = memoryDevice({ handle: 0x11ff, size: 2048, locator: 'only one string', length });
  bad[0x11] = 9; // bank locator past the set
  s.splice(3, 0, bad);
  return s;
}

describe.skipIf(!DMIDECODE)('dmi: crashlog agrees with dmidecode --from-dump', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-dmi-peer-'));
  const cases = VERSIONS.flatMap(([anchor, ver]) => LENGTHS.map((len) => [anchor, ver, len] as const));

  it.each(cases)('%s %j, type 17 of 0x%s bytes', async (anchor, ver, len) => {
    const path = writeIn(dir, `${anchor}-${ver.join('.')}-${len}.bin`, dumpBin(anchor, table(len), ver));
    const { records, problems } = await readWith('dmi', path);
    expect(problems).toEqual([]);
    const m = records[0] as MachineInfo;
    expect(m.dimms).toHaveLength(DEVICES.length + 1);
    expect(differences(m, parseDmidecode(dmidecode(path)))).toEqual([]);
  });

  it.each(['q35-2g-smp2', 'q35-4g-numa2-smbios3'])('the real dump of %s', async (guest) => {
    const path = fixture('dmi', guest, 'dmidecode-dump.bin');
    const { records } = await readWith('dmi', path);
    expect(differences(records[0] as MachineInfo, parseDmidecode(dmidecode(path)))).toEqual([]);
  });
});

describe.skipIf(DMIDECODE)('dmi: dmidecode peer test', () => {
  it.skip('skipped: dmidecode is not installed (apt-get install dmidecode)', () => {});
});
