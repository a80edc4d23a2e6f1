// The dmi backend on real tables (two QEMU guests, fixtures/dmi) in every form they are
// kept, checked against dmidecode's own output from inside the guest and truth.json.
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWith } from '../helpers/read.js';
import { fixture } from '../corpus.js';
import { writeIn } from '../helpers/files.js';
import { resolveInputs } from '../../src/input/resolve.js';
import type { MachineInfo } from '../../src/model/index.js';
import { differences, parseDmidecode } from './dmidecode-view.js';
import { bios, dumpBin, endOfTable, memoryDevice, system } from './build.js';

const GUESTS = ['q35-2g-smp2', 'q35-4g-numa2-smbios3'] as const;

interface Truth { guests: Record<string, { smbios_version: string; memory_devices: { locator: string; size: string; manufacturer: string }[] }> }
const truth = JSON.parse(readFileSync(fixture('dmi', 'truth.json'), 'utf8')) as Truth;

async function machine(path: string): Promise<{ m: MachineInfo; problems: unknown[] }> {
  const { records, problems } = await readWith('dmi', path);
  expect(records).toHaveLength(1);
  return { m: records[0] as MachineInfo, problems };
}

/** The sysfs folder as the kernel shows it: the two files and nothing else. */
function sysfsCopy(guest: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-dmi-'));
  for (const f of ['DMI', 'smbios_entry_point']) copyFileSync(fixture('dmi', guest, f), join(dir, f));
  return dir;
}

describe.each(GUESTS)('dmi: %s', (guest) => {
  const forms = {
    'dump-bin file': () => fixture('dmi', guest, 'dmidecode-dump.bin'),
    'sysfs folder': () => sysfsCopy(guest),
    'entry point file with DMI beside it': () => fixture('dmi', guest, 'smbios_entry_point'),
    'bare DMI table': () => fixture('dmi', guest, 'DMI'),
  };

  it.each(Object.keys(forms))('%s agrees with dmidecode -t 0,1,2,17 run in the guest', async (form) => {
    const { m, problems } = await machine(forms[form as keyof typeof forms]());
    expect(problems).toEqual([]);
    const expected = parseDmidecode(readFileSync(fixture('dmi', guest, 'expected-dmidecode.txt'), 'utf8'));
    expect(differences(m, expected)).toEqual([]);
    if (form !== 'bare DMI table') expect(m.smbios).toBe(truth.guests[guest]!.smbios_version);
  });

  it('gives the DIMMs truth.json lists, with the table offset of each', async () => {
    const { m } = await machine(fixture('dmi', guest, 'dmidecode-dump.bin'));
    expect(m.dimms.map((d) => ({ locator: d.locator, size: d.size, manufacturer: d.manufacturer }))).toEqual(
      truth.guests[guest]!.memory_devices.map((d) => ({ locator: d.locator, size: d.size, manufacturer: d.manufacturer })),
    );
    expect(m.dimms[0]!.handle).toBe(0x1100);
    expect(m.dimms[0]!.bankLocator).toBeUndefined();
    expect(m.system?.productName).toBe('Standard PC (Q35 + ICH9, 2009)');
    expect(m.bios?.vendor).toBe('SeaBIOS');
    // QEMU maps RAM with type 19 ranges only: below 2 GiB for both guests.
    expect(m.ranges[0]).toMatchObject({ start: 0n, end: 0x7fffffffn, arrayHandle: 0x1000 });
    // The structure is where the offset says (the dump puts the table at 32).
    const bytes = readFileSync(fixture('dmi', guest, 'dmidecode-dump.bin'));
    expect(bytes[m.dimms[0]!.offset]).toBe(17);
  });

  it('is found by content in the guest folder: the entry point file and the dump, not the notes', async () => {
    const { inputs } = await resolveInputs([fixture('dmi', guest)]);
    const dmi = inputs.filter((i) => i.backend.id === 'dmi').map((i) => i.path.split('/').pop()).sort();
    expect(dmi).toEqual(['dmidecode-dump.bin', 'smbios_entry_point']);
    const folder = await resolveInputs([sysfsCopy(guest)]);
    expect(folder.inputs.map((i) => i.backend.id)).toEqual(['dmi']);
  });
});

describe('dmi: damaged and edge-case tables', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-dmi-edge-'));

  it('a table cut inside a structure keeps what came before, with a problem at the cut', async () => {
    const full = dumpBin('_SM3_', [bios('Forge', '1.0', '01/01/2026'), memoryDevice({ handle: 0x1100, size: 0x4000, locator: 'DIMM_A1', serial: 'S1' }), memoryDevice({ handle: 0x1101, size: 0x4000, locator: 'DIMM_B1' }), endOfTable()]);
    const cut = full.subarray(0, full.length - 30);
    const { m, problems } = await machine(writeIn(dir, 'cut.bin', cut));
    expect(m.dimms.map((d) => d.locator)).toEqual(['DIMM_A1']);
    expect(problems).toHaveLength(1);
    expect(String((problems[0] as { message: string }).message)).toMatch(/runs past the table/);
  });

  it('a string number past the string set reads as dmidecode\'s <BAD INDEX>; a structure shorter than 4 bytes stops the walk', async () => {
    const dev = memoryDevice({ handle: 0x1100, size: 0x2000, locator: 'DIMM 0' });
    dev[0x11] = 5; // bank locator: string 5 of 1
    const broken = Buffer.from([17, 2, 0, 0, 0, 0]);
    const { m, problems } = await machine(writeIn(dir, 'bad.bin', dumpBin('_SM3_', [dev, broken, endOfTable()])));
    expect(m.dimms[0]!.bankLocator).toBe('<BAD INDEX>');
    expect(problems.map((p) => (p as { message: string }).message)).toEqual([expect.stringMatching(/length 2 \(at least 4\)/)]);
  });

  it('an entry point with a bad checksum is not taken for one', async () => {
    const b = dumpBin('_SM_', [system({ manufacturer: 'X', product: 'Y' }), endOfTable()], [2, 8]);
    b[4] ^= 1;
    const { inputs } = await resolveInputs([writeIn(dir, 'badsum.bin', b)]);
    expect(inputs.map((i) => i.backend.id)).not.toContain('dmi');
  });

  it('a 2.x table shorter than announced is read with a problem', async () => {
    const b = dumpBin('_SM_', [system({ manufacturer: 'X', product: 'Y' }), memoryDevice({ handle: 0x1100, size: 1024, locator: 'A' }), endOfTable()], [2, 8]);
    const { m, problems } = await machine(writeIn(dir, 'short.bin', b.subarray(0, b.length - 6)));
    expect(m.system?.manufacturer).toBe('X');
    expect(problems.length).toBeGreaterThanOrEqual(1);
  });
});
