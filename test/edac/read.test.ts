// The edac backend on EDAC sysfs trees written as edac_mc_sysfs.c prints them
// (fixtures/edac/SOURCE.md): every controller and populated DIMM with its label, layers,
// size and counts; the sysfs folder, its parent, and a collect entry's flat copy read
// alike; a damaged file is a problem naming it, and every other DIMM is still read.
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edac } from '../../backends/edac/index.js';
import type { EdacController, MachineInfo } from '../../src/model/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { resolveInputs } from '../../src/input/resolve.js';
import { readWith } from '../helpers/read.js';
import { fixture } from '../corpus.js';
import { tempDir } from '../collect/helpers.js';

const SKX = fixture('edac', 'skx-2mc');

async function controllers(path: string): Promise<{ edac: EdacController[]; problems: string[]; machine: MachineInfo }> {
  const { records, problems } = await readWith('edac', path);
  expect(records).toHaveLength(1);
  const m = records[0] as MachineInfo;
  return { edac: m.edac!, machine: m, problems: problems.map((p) => `${relative(path, p.path)}: ${p.message}`) };
}

/** label @ layers, size, counts: one line per DIMM. */
const lines = (cs: EdacController[]): string[] =>
  cs.flatMap((c) => c.dimms.map((d) => `mc${d.mc} ${d.from}${d.index} ${d.label ?? '-'} @ ${d.layers.map((l) => `${l.name} ${l.pos}`).join(' ') || '(nowhere)'} ${d.sizeMB ?? '?'} MiB ${d.memType ?? '?'} ce ${d.ceCount ?? '?'} ue ${d.ueCount ?? '?'}`));

const SKX_DIMMS = [
  'mc0 dimm0 CPU1_DIMM_A1 @ channel 0 slot 0 16384 MiB Registered-DDR4 ce 0 ue 0',
  'mc0 dimm1 CPU1_DIMM_A2 @ channel 0 slot 1 16384 MiB Registered-DDR4 ce 0 ue 0',
  'mc0 dimm2 CPU1_DIMM_B1 @ channel 1 slot 0 16384 MiB Registered-DDR4 ce 5 ue 0',
  'mc0 dimm3 CPU1_DIMM_B2 @ channel 1 slot 1 16384 MiB Registered-DDR4 ce 0 ue 0',
  'mc0 dimm4 CPU1_DIMM_C1 @ channel 2 slot 0 16384 MiB Registered-DDR4 ce 0 ue 0',
  'mc0 dimm5 CPU1_DIMM_C2 @ channel 2 slot 1 16384 MiB Registered-DDR4 ce 0 ue 0',
  'mc1 dimm0 CPU1_DIMM_D1 @ channel 0 slot 0 16384 MiB Registered-DDR4 ce 2 ue 0',
  'mc1 dimm2 CPU1_DIMM_E1 @ channel 1 slot 0 16384 MiB Registered-DDR4 ce 0 ue 1',
  'mc1 dimm4 CPU_SrcID#0_MC#1_Chan#2_DIMM#0 @ channel 2 slot 0 16384 MiB Registered-DDR4 ce 0 ue 0',
];

/** A collect entry's copy: every file of the tree under its ':'-joined name. */
function flatCopy(tree: string, into: string): string {
  const out = join(into, 'edac');
  mkdirSync(out, { recursive: true });
  const walk = (dir: string, parts: string[]): void => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) { if (n !== 'power') walk(p, [...parts, n]); } else cpSync(p, join(out, [...parts, n].join(':')));
    }
  };
  walk(tree, []);
  return out;
}

describe('edac: reading the sysfs tables', () => {
  it('skx_edac: two controllers, every populated DIMM with its label, location, size and counts', async () => {
    const { edac: cs, problems, machine } = await controllers(join(SKX, 'mc'));
    expect(problems).toEqual([]);
    expect(machine.source).toEqual({ backend: 'edac', path: join(SKX, 'mc') });
    expect(cs.map(({ dimms: _d, ...c }) => c)).toEqual([
      { mc: 0, name: 'Skylake Socket#0 IMC#0', sizeMB: 98304, ceCount: 5, ueCount: 0, ceNoInfoCount: 0, ueNoInfoCount: 0, secondsSinceReset: 86012 },
      { mc: 1, name: 'Skylake Socket#0 IMC#1', sizeMB: 49152, ceCount: 2, ueCount: 1, ceNoInfoCount: 0, ueNoInfoCount: 0, secondsSinceReset: 86012 },
    ]);
    expect(lines(cs)).toEqual(SKX_DIMMS);
    expect(cs[0]!.dimms[0]).toMatchObject({ devType: 'x4', edacMode: 'SECDED' });
  });

  it('the parent folder (/sys/devices/system/edac) and a collect entry\'s flat copy read the same', async () => {
    expect(lines((await controllers(SKX)).edac)).toEqual(SKX_DIMMS);
    const flat = flatCopy(join(SKX, 'mc'), tempDir('edac-flat'));
    expect(readdirSync(flat)).toContain('mc0:dimm2:dimm_label');
    const { edac: cs, problems } = await controllers(flat);
    expect(problems).toEqual([]);
    expect(lines(cs)).toEqual(SKX_DIMMS);
  });

  it('the legacy csrow layout (before 3.6): one DIMM per chX_ channel at "csrow N channel X"', async () => {
    const { edac: cs, problems } = await controllers(fixture('edac', 'legacy-csrow'));
    expect(problems).toEqual([]);
    expect(cs[0]).toMatchObject({ mc: 0, name: 'i3200', sizeMB: 4096, ceCount: 3 });
    // size_mb and ue_count are the csrow's, not a channel's: left unknown.
    expect(lines(cs)).toEqual([
      'mc0 csrow0 DIMM_A0 @ csrow 0 channel 0 ? MiB Unbuffered-DDR2 ce 3 ue ?',
      'mc0 csrow0 DIMM_B0 @ csrow 0 channel 1 ? MiB Unbuffered-DDR2 ce 0 ue ?',
      'mc0 csrow1 - @ csrow 1 channel 0 ? MiB Unbuffered-DDR2 ce 0 ue ?',
      'mc0 csrow1 DIMM_B1 @ csrow 1 channel 1 ? MiB Unbuffered-DDR2 ce 0 ue ?',
    ]);
  });

  it('a 10 KiB label, a size that is no number, a missing location, a link: each a problem naming the file, the rest read', async () => {
    const root = tempDir('edac-bad');
    const mc = join(root, 'mc');
    cpSync(join(SKX, 'mc'), mc, { recursive: true });
    writeFileSync(join(mc, 'mc0', 'dimm2', 'dimm_label'), 'X'.repeat(10 * 1024));
    writeFileSync(join(mc, 'mc0', 'dimm3', 'size'), 'sixteen gigs\n');
    rmSync(join(mc, 'mc1', 'dimm0', 'dimm_location'));
    // sysfs links (subsystem, device) lead out of the tree: never followed.
    symlinkSync('/nonexistent/edac', join(mc, 'mc0', 'subsystem'));
    symlinkSync(join(mc, 'mc0', 'dimm0'), join(mc, 'mc1', 'dimm5'));
    const { edac: cs, problems } = await controllers(mc);
    expect(problems).toEqual([
      'mc0/dimm2/dimm_label: more than 4096 bytes, more than a sysfs attribute holds; not read',
      'mc0/dimm3/size: size: expected a number, have "sixteen gigs\\n"',
      'mc1/dimm0/dimm_location: missing: the DIMM cannot be placed by its layers',
    ]);
    expect(lines(cs)).toEqual(SKX_DIMMS.map((l) => l
      .replace('dimm2 CPU1_DIMM_B1', 'dimm2 -')
      .replace('dimm3 CPU1_DIMM_B2 @ channel 1 slot 1 16384', 'dimm3 CPU1_DIMM_B2 @ channel 1 slot 1 ?')
      .replace('CPU1_DIMM_D1 @ channel 0 slot 0', 'CPU1_DIMM_D1 @ (nowhere)')));
  });
});

describe('edac: probe', () => {
  it('claims the mc folder, its parent and a flat copy; nothing else', async () => {
    expect(edac.probe(await makeProbe(join(SKX, 'mc')))).toBeGreaterThan(0.5);
    expect(edac.probe(await makeProbe(SKX))).toBeGreaterThan(0.5);
    expect(edac.probe(await makeProbe(fixture('edac', 'legacy-csrow', 'mc')))).toBeGreaterThan(0.5);
    expect(edac.probe(await makeProbe(join(SKX, 'mc', 'mc0')))).toBe(0);
    expect(edac.probe(await makeProbe(join(SKX, 'mc', 'mc0', 'mc_name')))).toBe(0);
    expect(edac.probe(await makeProbe(fixture('dmi', 'q35-2g-smp2')))).toBe(0);
    // Folders named mc0, mc1 that hold no controller files.
    const other = tempDir('edac-not');
    mkdirSync(join(other, 'mc0', 'stuff'), { recursive: true });
    writeFileSync(join(other, 'mc0', 'notes.txt'), 'hello\n');
    expect(edac.probe(await makeProbe(other))).toBe(0);
  });

  it('a crash folder with an edac copy beside other inputs: the copy is read as edac', async () => {
    const { inputs } = await resolveInputs([SKX]);
    expect(inputs.map((i) => i.backend.id)).toEqual(['edac']);
  });
});
