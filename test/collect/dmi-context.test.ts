// The machine's SMBIOS tables go into every new archive entry (src/collect/sources.ts
// CONTEXT_KINDS): the entry's verdict can name the DIMM later, on another machine; they are
// never a reason for an entry and never removed from where they were read.
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { fixture } from '../corpus.js';
import { copyPstore, entries, tempDir } from './helpers.js';

function dmiCopy(root: string): string {
  const dir = join(root, 'dmi-tables');
  mkdirSync(dir);
  for (const n of ['DMI', 'smbios_entry_point']) cpSync(fixture('dmi', 'q35-2g-smp2', n), join(dir, n));
  return dir;
}

describe('collect --dmi', () => {
  it('copies the tables into each new entry; its report.json carries the machine; --unlink leaves them', async () => {
    const root = tempDir('dmi');
    const src = copyPstore('erst-mce-memory', root);
    const dmi = dmiCopy(root);
    const archive = join(root, 'archive');
    const args = ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', dmi, '--archive', archive, '--unlink'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    const [id] = entries(archive);
    expect(readdirSync(join(archive, id!, 'dmi')).sort()).toEqual(['DMI', 'smbios_entry_point']);
    const report = JSON.parse(readFileSync(join(archive, id!, 'report.json'), 'utf8')) as { machine?: { system?: { manufacturer?: string } } };
    expect(report.machine?.system?.manufacturer).toBe('QEMU');
    expect(readdirSync(src)).toEqual([]);
    expect(readdirSync(dmi).sort()).toEqual(['DMI', 'smbios_entry_point']);
    // Nothing new in pstore: the tables alone make no entry.
    expect((await runCli(args)).code).toBe(0);
    expect(entries(archive)).toEqual([id]);
    // The next crash's entry has its own copy.
    const next = copyPstore('ramoops-oops-panic', tempDir('dmi-b'));
    for (const n of readdirSync(next)) { cpSync(join(next, n), join(src, n)); chmodSync(join(src, n), 0o644); }
    expect((await runCli(args)).code).toBe(0);
    const ids = entries(archive);
    expect(ids).toHaveLength(2);
    for (const e of ids) expect(readdirSync(join(archive, e, 'dmi')).sort()).toEqual(['DMI', 'smbios_entry_point']);
  });
});
