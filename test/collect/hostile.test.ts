// Hostile and broken inputs: a clear error, nothing deleted that is not archived, nothing
// written outside the archive.
import { mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, type FsOps } from '../../src/collect/index.js';
import type { SourceSpec } from '../../src/collect/index.js';
import { ApplicationError } from '../../src/util/errors.js';
import { copyPstore, entries, hashes, tempDir, walk } from './helpers.js';
import { extraNames, fullDisk, noAccess, readOnly } from './faults.js';

/** A pstore copy with a decoy folder beside it that nothing may touch. */
function setup() {
  const root = tempDir('hostile');
  const src = copyPstore('ramoops-oops-panic', root);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'do not touch\n');
  writeFileSync(join(root, 'evil'), 'beside the pstore folder\n');
  const archive = join(root, 'archive');
  const sources: SourceSpec[] = [{ kind: 'pstore', path: src, explicit: true }];
  const before = { src: hashes(src), root: walk(root) };
  /** Nothing outside the archive changed (sources too, unless `removed`). */
  const untouchedOutside = (removed: string[] = []) => {
    expect(walk(root).filter((p) => !p.startsWith('archive/') && p !== 'archive/')).toEqual(
      before.root.filter((p) => !removed.includes(p)),
    );
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('do not touch\n');
  };
  return { root, src, outside, archive, sources, before, untouchedOutside };
}

const run = (s: ReturnType<typeof setup>, fs?: FsOps, unlink = true) => collect({ archive: s.archive, sources: s.sources, unlink, keep: 0, fs });

describe('collect on hostile input', () => {
  it('a record name with "../" is left alone, the rest collected', async () => {
    const s = setup();
    const r = await run(s, extraNames(s.src, ['../evil', 'dmesg-ramoops-../../outside/secret']));
    expect(r.failed).toBe(true);
    expect(r.notes.map((n) => n.message).join('\n')).toMatch(/\.\.\/evil: name holds a path separator; left in place, not archived/);
    expect(r.entries).toHaveLength(1);
    expect(walk(r.entries[0]!.dir).filter((p) => p.startsWith('pstore/') && p !== 'pstore/')).toEqual(['pstore/dmesg-ramoops-0', 'pstore/dmesg-ramoops-1']);
    s.untouchedOutside(['pstore/dmesg-ramoops-0', 'pstore/dmesg-ramoops-1']);
  });

  it('a record name over 255 bytes is refused with a clear message', async () => {
    const s = setup();
    const long = `dmesg-ramoops-${'9'.repeat(300)}`;
    const r = await run(s, extraNames(s.src, [long]), false);
    expect(r.notes.map((n) => n.message).join('\n')).toContain(`${long}: name is ${long.length} bytes (at most 200); left in place`);
    expect(r.failed).toBe(true);
    s.untouchedOutside();
  });

  it('a symlink in the pstore folder is not followed, not archived, not removed', async () => {
    const s = setup();
    symlinkSync(join(s.outside, 'secret'), join(s.src, 'dmesg-ramoops-7'));
    const r = await run(s);
    expect(r.notes.map((n) => n.message)).toContain(`${join(s.src, 'dmesg-ramoops-7')} is a symbolic link; not followed, left in place`);
    expect(readdirSync(s.src)).toEqual(['dmesg-ramoops-7']);
    expect(walk(r.entries[0]!.dir)).not.toContain('pstore/dmesg-ramoops-7');
    expect(readFileSync(join(s.outside, 'secret'), 'utf8')).toBe('do not touch\n');
  });

  it('a pstore folder that is a symlink is not followed', async () => {
    const s = setup();
    const link = join(s.root, 'pstore-link');
    symlinkSync(s.src, link);
    const r = await collect({ archive: s.archive, sources: [{ kind: 'pstore', path: link, explicit: false }], unlink: true, keep: 0 });
    expect(r.failed).toBe(true);
    expect(r.notes.map((n) => n.message)).toEqual([`${link} is a symbolic link, not followed (name the real path)`]);
    expect(r.entries).toEqual([]);
    expect(hashes(s.src)).toEqual(s.before.src);
  });

  it('symlinks in the archive are never followed', async () => {
    const s = setup();
    mkdirSync(s.archive, { mode: 0o700 });
    symlinkSync(s.outside, join(s.archive, '20200101T000000Z-00000000')); // a fake entry
    symlinkSync(s.outside, join(s.archive, '.tmp-20200101T000000Z-11111111')); // a fake leftover
    const r = await run(s, undefined, false);
    expect(r.notes.map((n) => n.message).join('\n')).toMatch(/20200101T000000Z-00000000: a symbolic link where an entry should be; ignored/);
    expect(readdirSync(s.outside)).toEqual(['secret']);
    s.untouchedOutside();

    symlinkSync(join(s.outside, 'secret'), join(s.archive, '.lock'));
    await expect(run(s)).rejects.toThrow(/lock .*\.lock is not a plain file/);
    expect(readFileSync(join(s.outside, 'secret'), 'utf8')).toBe('do not touch\n');
    s.untouchedOutside();

    rmSync(join(s.archive, '.lock'));
    symlinkSync(join(s.outside, 'secret'), join(s.archive, '.pruned'));
    await expect(run(s)).rejects.toThrow(/cannot read .*\.pruned: a symbolic link, not followed/);
    expect(hashes(s.src)).toEqual(s.before.src);
    expect(readFileSync(join(s.outside, 'secret'), 'utf8')).toBe('do not touch\n');

    const linked = join(s.root, 'linked-archive');
    symlinkSync(s.outside, linked);
    await expect(collect({ archive: linked, sources: s.sources, unlink: true, keep: 0 })).rejects.toThrow(/the archive .*linked-archive is a symbolic link; not followed/);
    expect(readdirSync(s.outside)).toEqual(['secret']);
  });

  it('a read-only archive: a clear error, nothing deleted', async () => {
    const s = setup();
    await expect(run(s, readOnly(s.archive))).rejects.toThrow(/cannot create the archive .*archive: EROFS: read-only file system/);
    mkdirSync(s.archive, { mode: 0o700 });
    const err = await run(s, readOnly(s.archive)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationError);
    expect((err as Error).message).toMatch(/cannot create the lock .*EROFS: read-only file system/);
    expect(hashes(s.src)).toEqual(s.before.src);
    expect(readdirSync(s.archive)).toEqual([]);
  });

  it('a full disk: the entry is not made, nothing deleted, no half-written files left', async () => {
    const s = setup();
    await expect(run(s, fullDisk(0))).rejects.toThrow(/cannot create the lock .*: ENOSPC: no space left on device/);
    expect(readdirSync(s.archive)).toEqual([]);
    for (const budget of [50, 100, 40_000, 70_000]) {
      const err = await run(s, fullDisk(budget)).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/cannot write archive entry .*: ENOSPC: no space left on device, write; nothing was removed from the sources/);
      expect(hashes(s.src)).toEqual(s.before.src);
      expect(readdirSync(s.archive)).toEqual([]);
      s.untouchedOutside();
    }
    // Space again: the next run does the job.
    const r = await run(s);
    expect(r.failed).toBe(false);
    expect(entries(s.archive)).toHaveLength(1);
    expect(readdirSync(s.src)).toEqual([]);
  });

  it('a source only root may read: a clear line, the other sources still collected', async () => {
    const s = setup();
    const efi = join(s.root, 'efivars');
    mkdirSync(efi);
    writeFileSync(join(efi, 'dump-type0-1-1-1795375437-C-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0'), Buffer.from([7, 0, 0, 0, 1, 2, 3]));
    writeFileSync(join(efi, 'Boot0000-8be4df61-93ca-11d2-aa0d-00e098032b8c'), 'not a dump');
    const r = await collect({ archive: s.archive, unlink: false, keep: 0, fs: noAccess(s.src), sources: [...s.sources, { kind: 'efivars', path: efi, explicit: false }] });
    expect(r.notes.map((n) => n.message)).toEqual([`cannot read ${s.src}: permission denied (collect must run as root)`]);
    expect(r.failed).toBe(true);
    expect(walk(r.entries[0]!.dir).filter((p) => !p.startsWith('report') && p !== 'manifest.json')).toEqual([
      'efivars/', 'efivars/dump-type0-1-1-1795375437-C-cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0',
    ]);
    expect(existsSync(join(s.archive, '.lock'))).toBe(false);
  });
});
