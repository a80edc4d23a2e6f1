// keep: old entries pruned, and never archived again while their records stay in pstore;
// unlink trusts an earlier run's copy only after reading it back.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOT_MARK, collect } from '../../src/collect/index.js';
import { runCli } from '../helpers/run.js';
import { copyPstore, entries, hashes, tempDir, walk } from './helpers.js';

/** One pstore folder holding the records of several real crashed boots. */
function pstoreOf(items: string[]): string {
  const src = copyPstore(items[0]!, tempDir('prune-src'));
  for (const item of items.slice(1)) {
    const other = copyPstore(item, tempDir('prune-other'));
    for (const n of readdirSync(other)) writeFileSync(join(src, n), readFileSync(join(other, n)));
  }
  return src;
}

describe('keep', () => {
  it('prunes to the newest N entries, separate runs', async () => {
    const archive = join(tempDir('keep'), 'archive');
    const ids: string[] = [];
    for (const item of ['erst-mce-memory', 'ramoops-oops-panic', 'ramoops-ecc-bug']) {
      const r = await collect({ archive, unlink: false, keep: 2, sources: [{ kind: 'pstore', path: copyPstore(item, tempDir('keep-src')), explicit: true }] });
      ids.push(r.entries[0]!.id);
    }
    expect(entries(archive)).toEqual([...ids].sort().slice(1));
  });

  it('a pruned entry whose records are still in pstore is not archived again; --unlink then frees them', async () => {
    const src = pstoreOf(['erst-mce-memory', 'ramoops-oops-panic']);
    const before = hashes(src);
    const archive = join(tempDir('keep-again'), 'archive');
    const args = ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive, '--keep', '1'];
    const first = await runCli(args);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('crashlog: pruned 1 old archive entry\n');
    const [kept] = entries(archive);
    expect(entries(archive)).toHaveLength(1);

    const again = await runCli(args);
    expect(again).toEqual({ code: 0, stdout: `nothing new to collect (${before.size} record(s) already archived)\n`, stderr: '' });
    expect(entries(archive)).toEqual([kept]);
    expect(hashes(src)).toEqual(before);

    const freed = await runCli([...args, '--unlink']);
    expect(freed.code).toBe(0);
    expect(readdirSync(src)).toEqual([]);
    expect(entries(archive)).toEqual([kept]);
    // Nothing left to remember once the records are gone from pstore (the boot mark aside).
    expect(walk(archive).filter((p) => !p.startsWith(`${kept}`) && p !== BOOT_MARK)).toEqual([]);
  });
});

describe('unlink after an earlier collect', () => {
  it('a record whose archived copy was damaged meanwhile stays in pstore, with a clear error', async () => {
    const src = copyPstore('ramoops-oops-panic', tempDir('damaged'));
    const archive = join(tempDir('damaged-archive'), 'archive');
    const o = { archive, keep: 0, sources: [{ kind: 'pstore' as const, path: src, explicit: true }] };
    const first = await collect({ ...o, unlink: false });
    const dir = first.entries[0]!.dir;
    writeFileSync(join(dir, 'pstore', 'dmesg-ramoops-0'), 'truncated');
    const r = await collect({ ...o, unlink: true });
    expect(r.failed).toBe(true);
    expect(r.notes.map((n) => n.message)).toEqual([`${join(src, 'dmesg-ramoops-0')}: its archived copy ${join(dir, 'pstore', 'dmesg-ramoops-0')} does not match its sha256; left in place`]);
    expect(readdirSync(src)).toEqual(['dmesg-ramoops-0']);
    expect(r.unlinked).toEqual([join(src, 'dmesg-ramoops-1')]);
  });
});
