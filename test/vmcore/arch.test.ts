// The arch of a dump comes from what the dump says of itself, never from the kdump header
// alone: QEMU's kdump writer (qemu dump/dump.c) leaves the utsname machine "Unknown" for an
// arm64 guest. Built from the real arm64 item's memory, rewritten in QEMU's kdump layout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { run, type RunIO } from '../../src/cli.js';
import { archFromClues, requireArch } from '../../src/vmcore/arch.js';
import { openDump } from '../../src/vmcore/open.js';
import { buildKdump, elfCoreToKdump } from '../builders/vmcore.js';
import { corpus } from '../corpus.js';
import { readTruth, expectTruth } from '../correlate/truth.js';

describe('the arch from the clues a dump carries', () => {
  it('takes the utsname machine when it names one, else VMCOREINFO, else the prstatus size', () => {
    expect(archFromClues({ utsMachine: 'aarch64' })).toBe('arm64');
    expect(archFromClues({ utsMachine: 'Unknown', vmcoreinfoRaw: 'OSRELEASE=6.1\nNUMBER(VA_BITS)=48\n' })).toBe('arm64');
    expect(archFromClues({ utsMachine: 'Unknown', vmcoreinfoRaw: 'SYMBOL(init_top_pgt)=ffffffff8ae0a000\n' })).toBe('x86_64');
    expect(archFromClues({ utsMachine: 'Unknown', prstatusSize: 392 })).toBe('arm64');
    expect(archFromClues({ utsMachine: 'Unknown', prstatusSize: 336 })).toBe('x86_64');
    expect(archFromClues({ utsMachine: 'Unknown', vmcoreinfoRaw: 'OSRELEASE=6.1\n' })).toBeUndefined();
  });

  it('an unknown arch is an error naming what was looked at', () => {
    expect(() => requireArch('/x/vmcore', { utsMachine: 'Unknown', vmcoreinfoRaw: 'OSRELEASE=6.1\n' }))
      .toThrow(/\/x\/vmcore.*cannot tell which architecture.*"Unknown".*VMCOREINFO has none of .*NUMBER\(VA_BITS\).*no NT_PRSTATUS/);
  });

  it('a kdump with an "Unknown" machine and no other clue is an input error, never a verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-arch-'));
    try {
      const p = join(dir, 'vmcore');
      writeFileSync(p, buildKdump({ pages: new Map([[1, new Uint8Array(4096).fill(1)]]), maxPfn: 16, compression: 'none', machine: 'Unknown', vmcoreinfo: 'OSRELEASE=6.1.0\n' }));
      const a = await analyze([p]);
      expect(a.incidents).toEqual([]);
      expect(a.inputs[0]!.problems.map((x) => x.message).join('\n')).toMatch(/cannot tell which architecture/);
      const err: string[] = [];
      const io: RunIO = { stdout: () => undefined, stderr: (s) => void err.push(s) };
      expect(await run(['report', p], io)).toBe(1);
      expect(await run(['dmesg', p], io)).not.toBe(0);
      expect(err.join('')).toMatch(/cannot tell which architecture/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a QEMU kdump-zlib dump of the real arm64 guest (utsname "Unknown")', () => {
  let dir: string;
  let dump: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crashlog-arm64-kdump-'));
    const elf = join(dir, 'vmcore.elf');
    await pipeline(createReadStream(corpus('arm64-qemu-dump', 'vmcore.elf.gz')), createGunzip(), createWriteStream(elf));
    dump = join(dir, 'vmcore.kdump-zlib');
    writeFileSync(dump, await elfCoreToKdump(elf));
    rmSync(elf);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens as arm64, with the CPUs\' pc from NT_PRSTATUS', async () => {
    const d = await openDump(dump);
    try {
      expect(d.arch).toBe('arm64');
      expect(d.release).toBe('6.1.0-56-arm64');
      expect(d.cpus[0]?.regs?.pc).toBeDefined();
    } finally {
      await d.close();
    }
  });

  it('`dmesg` prints the log and `report` gives the item\'s truth', async () => {
    const out: string[] = [];
    const io: RunIO = { stdout: (s) => void out.push(s), stderr: () => undefined };
    expect(await run(['dmesg', dump], io)).toBe(0);
    expect(out.join('')).toMatch(/Kernel panic - not syncing: sysrq triggered crash/);
    const a = await analyze([dump]);
    expect(a.inputs[0]!.problems).toEqual([]);
    expectTruth(a.incidents, readTruth(corpus('arm64-qemu-dump')));
  }, 60_000);
});
