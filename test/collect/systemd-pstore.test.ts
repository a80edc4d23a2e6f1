// Records systemd-pstore.service already moved out of pstore (Storage=external, its default)
// are collected from /var/lib/systemd/pstore: read in its layout, never removed from it,
// and given the same verdict as from pstore itself.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SOURCES } from '../../src/collect/index.js';
import { runCli } from '../helpers/run.js';
import { copyPstore, entries, tempDir, walk } from './helpers.js';

/**
 * A pstore folder moved as systemd-pstore moves it (src/pstore/pstore.c, process_dmesg_files
 * and move_file): files taken in reverse name order; an EFI dmesg part to <id less its last
 * 5 digits>/<its last 3 digits>/, an ERST one to the folder named by the first id of its run
 * of consecutive ids, with each part also appended to that folder's dmesg.txt; the rest to the top.
 */
function moveAsSystemdPstore(pstore: string, into: string): void {
  let erstDir: string | undefined;
  let last = 0n;
  for (const name of readdirSync(pstore).sort().reverse()) {
    const bytes = readFileSync(join(pstore, name));
    let dir = into;
    const efi = /^dmesg-efi(?:_pstore)?-(\d{6,})$/.exec(name);
    const erst = /^dmesg-erst-(\d+)$/.exec(name);
    if (efi) dir = join(into, efi[1]!.slice(0, -5), efi[1]!.slice(-3));
    else if (erst) {
      const id = BigInt(erst[1]!);
      if (last - 1n !== id) erstDir = erst[1]!;
      last = id;
      dir = join(into, erstDir!);
    }
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), bytes, { mode: 0o600 });
    if (efi || erst) appendFileSync(join(dir, 'dmesg.txt'), bytes);
  }
}

const NO_OTHER = ['--pstore', 'none', '--efivars', 'none', '--bert', 'none', '--dmi', 'none'];

describe('systemd-pstore\'s archive as a source', () => {
  it('is read by default from /var/lib/systemd/pstore', () => {
    expect(DEFAULT_SOURCES['systemd-pstore']).toBe('/var/lib/systemd/pstore');
  });

  it.each(['efi-oops-panic', 'erst-mce-memory', 'ramoops-oops-panic'])('%s: the same verdict as from pstore, dmesg.txt left out, nothing removed', async (item) => {
    const fromPstore = await runCli(['collect', '--json', '--archive', join(tempDir('sp-a'), 'archive'), '--pstore', copyPstore(item), '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--systemd-pstore', 'none']);
    expect(fromPstore.code).toBe(0);

    const moved = join(tempDir('sp-src'), 'pstore');
    moveAsSystemdPstore(copyPstore(item), moved);
    const before = walk(moved);
    expect(before.some((p) => p.endsWith('/'))).toBe(item !== 'ramoops-oops-panic'); // EFI and ERST parts sit in folders
    const archive = join(tempDir('sp-b'), 'archive');
    const args = ['collect', '--json', '--unlink', '--archive', archive, ...NO_OTHER, '--systemd-pstore', moved];
    const r = await runCli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const strip = (out: string) => out.trim().split('\n').map((l) => { const { entry: _e, boot: _b, ...rest } = JSON.parse(l) as Record<string, unknown>; return rest; });
    expect(strip(r.stdout)).toEqual(strip(fromPstore.stdout));

    const [entry] = entries(archive);
    const archived = readdirSync(join(archive, entry!, 'systemd-pstore')).sort();
    expect(archived).toEqual(readdirSync(copyPstore(item)).sort());
    expect(archived).not.toContain('dmesg.txt');
    expect(walk(moved)).toEqual(before); // --unlink never removes systemd-pstore's copies

    const again = await runCli(args);
    expect(again.stdout).toBe('');
    expect(entries(archive)).toEqual([entry]);
  });

  it('a folder name that could forge a line is refused, and its records stay where they are', async () => {
    const moved = join(tempDir('sp-odd'), 'pstore');
    moveAsSystemdPstore(copyPstore('efi-oops-panic'), moved);
    const odd = join(moved, 'x\nFAKE');
    mkdirSync(odd);
    writeFileSync(join(odd, 'dmesg-efi-1'), 'hello\n');
    const r = await runCli(['collect', '--json', '--archive', join(tempDir('sp-odd-a'), 'archive'), ...NO_OTHER, '--systemd-pstore', moved]);
    expect(r.stderr).toMatch(/left in place, not archived/);
    expect(r.stderr).not.toContain('\nFAKE');
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });
});
