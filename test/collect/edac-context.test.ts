// EDAC's sysfs tables go into every new archive entry beside the SMBIOS tables (src/collect/
// edac-source.ts): only the small files the edac backend reads, under flat "mc0:dimm2:dimm_label"
// names, links never followed, each file at most a page; the entry's report reads them back.
// Absent (no EDAC driver, most machines) they are quietly left out.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { realFs } from '../../src/collect/fsops.js';
import { readSource, type SourceNote } from '../../src/collect/sources.js';
import { DEFAULT_SOURCES } from '../../src/collect/index.js';
import { runCli } from '../helpers/run.js';
import { fixture } from '../corpus.js';
import { copyPstore, entries, tempDir } from './helpers.js';

/** A writable copy of fixtures/edac/skx-2mc/mc with what sysfs has besides: links, power/, a uevent. */
function sysfsCopy(root: string): string {
  const mc = join(root, 'sys-edac', 'mc');
  cpSync(fixture('edac', 'skx-2mc', 'mc'), mc, { recursive: true });
  const secret = join(root, 'secret');
  mkdirSync(secret);
  writeFileSync(join(secret, 'mc_name'), 'not EDAC\n');
  symlinkSync(secret, join(mc, 'mc0', 'subsystem'));
  rmSync(join(mc, 'mc1', 'dimm0', 'dimm_mem_type'));
  symlinkSync(join(secret, 'mc_name'), join(mc, 'mc1', 'dimm0', 'dimm_mem_type'));
  symlinkSync(secret, join(mc, 'mc7'));
  return mc;
}

describe('collect --edac', () => {
  it('copies the EDAC files into each new entry under flat names; the entry\'s report reads them back; --unlink leaves them', async () => {
    const root = tempDir('edac');
    const src = copyPstore('erst-mce-memory', root);
    const mc = sysfsCopy(root);
    writeFileSync(join(mc, 'mc1', 'dimm2', 'dimm_label'), 'L'.repeat(10 * 1024)); // larger than a sysfs page
    const archive = join(root, 'archive');
    const args = ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--systemd-pstore', 'none', '--edac', mc, '--archive', archive, '--unlink'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`${join(mc, 'mc1', 'dimm2', 'dimm_label')}: 10240 bytes, more than a sysfs attribute holds (4096); not copied`);
    const [id] = entries(archive);
    const copied = readdirSync(join(archive, id!, 'edac')).sort();
    expect(copied).toContain('mc0:mc_name');
    expect(copied).toContain('mc0:dimm2:dimm_label');
    expect(copied).toContain('mc1:dimm4:dimm_location');
    // Not followed (links), not read (max_location, uevent, power/), not copied (too large).
    expect(copied.filter((n) => /subsystem|mc7|max_location|uevent|power|mc1:dimm0:dimm_mem_type|mc1:dimm2:dimm_label/.test(n))).toEqual([]);
    expect(copied).toHaveLength(2 * 7 + 9 * 8 - 2);
    expect(readFileSync(join(archive, id!, 'edac', 'mc0:dimm2:dimm_label'), 'utf8')).toBe('CPU1_DIMM_B1\n');
    const manifest = JSON.parse(readFileSync(join(archive, id!, 'manifest.json'), 'utf8')) as { records: { source: string; file: string; path: string }[] };
    expect(manifest.records.find((r) => r.file === 'edac/mc0:dimm2:dimm_label')).toMatchObject({ source: 'edac', path: join(mc, 'mc0', 'dimm2', 'dimm_label') });

    // The entry's own report, and `report --archive`, read the copy back.
    type Json = { inputs: { backend: string }[]; machine?: { edac?: { dimms: { label?: string; location: string }[] } } };
    const report = JSON.parse(readFileSync(join(archive, id!, 'report.json'), 'utf8')) as Json;
    expect(report.machine?.edac?.dimms.map((d) => `${d.label ?? '-'} @ ${d.location}`)).toContain('CPU1_DIMM_B1 @ channel 1 slot 0');
    const again = JSON.parse((await runCli(['report', '--json', '--archive', archive, id!])).stdout) as Json;
    expect(again.inputs.map((i) => i.backend)).toContain('edac');
    expect(again.machine?.edac?.dimms).toHaveLength(9);
    expect(again.machine?.edac?.dimms.find((d) => d.location === 'channel 1 slot 0' && d.label === undefined)).toBeDefined(); // mc1 dimm2's label was not copied
    expect((await runCli(['report', '--archive', archive, id!])).stdout).toMatch(/^machine: EDAC 9 DIMMs on 2 controllers, errors: CPU1_DIMM_B1 5 CE; CPU1_DIMM_D1 2 CE; mc 1 channel 1 slot 0 1 UE$/m);

    // Pstore emptied, the sysfs tables untouched; the tables alone make no entry.
    expect(readdirSync(src)).toEqual([]);
    expect(readFileSync(join(mc, 'mc0', 'dimm2', 'dimm_label'), 'utf8')).toBe('CPU1_DIMM_B1\n');
    expect((await runCli(args)).code).toBe(0);
    expect(entries(archive)).toEqual([id]);
  });

  it('is a default source, and absent (no EDAC driver) it is quietly left out; named and absent, an error', () => {
    expect(DEFAULT_SOURCES.edac).toBe('/sys/devices/system/edac/mc');
    const missing = join(tempDir('edac-none'), 'edac', 'mc');
    const taken: string[] = [];
    const quiet: SourceNote[] = [];
    readSource(realFs, { kind: 'edac', path: missing, explicit: false }, (r) => taken.push(r.name), quiet);
    expect([taken, quiet]).toEqual([[], []]);
    const named: SourceNote[] = [];
    readSource(realFs, { kind: 'edac', path: missing, explicit: true }, (r) => taken.push(r.name), named);
    expect(named).toEqual([{ path: missing, message: expect.stringMatching(/^cannot read .*: ENOENT/), error: true }]);
  });

  it('the parent folder (/sys/devices/system/edac) named instead of mc', () => {
    const mc = sysfsCopy(tempDir('edac-parent'));
    const taken: string[] = [];
    const notes: SourceNote[] = [];
    readSource(realFs, { kind: 'edac', path: join(mc, '..'), explicit: true }, (r) => taken.push(r.name), notes);
    expect(notes).toEqual([]);
    expect(taken).toHaveLength(2 * 7 + 9 * 8 - 1);
  });
});
