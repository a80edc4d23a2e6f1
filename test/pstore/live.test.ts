// On a live pstore mount a record file's mtime is its record's time (fs/pstore/inode.c
// pstore_mkfile): the dump's wall-clock anchor. Tests cannot mount pstorefs, so statfs is
// made to say so for folders named "live-*"; a copy's mtime says nothing and is not used.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { messagesOf, readWith } from '../helpers/read.js';
import { runCli } from '../helpers/run.js';

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const statfsSync = ((p: string) => (/\/live-[^/]*$/.test(p) ? { ...fs.statfsSync('/'), type: 0x6165676c } : fs.statfsSync(p))) as typeof fs.statfsSync;
  return { ...fs, statfsSync, default: { ...fs, statfsSync } };
});

function store(tag: string, mtime: number): string {
  const dir = mkdtempSync(join(tmpdir(), tag));
  const file = join(dir, 'dmesg-ramoops-0');
  writeFileSync(file, 'Panic#1 Part1\n<6>[    1.500000] up\n<0>[    2.000000] Kernel panic - not syncing: live\n');
  utimesSync(file, mtime, mtime);
  return dir;
}

describe('pstore records on a live mount', () => {
  it('anchor the dump at the record file\'s mtime', async () => {
    const msgs = messagesOf((await readWith('pstore', store('live-', 1_795_000_000))).records);
    expect(msgs.map((m) => m.wallTime?.getTime())).toEqual([undefined, 1_795_000_000_000]);
  });

  it('but not in a copy, nor when the kernel had no time for the record (mtime 0)', async () => {
    expect(messagesOf((await readWith('pstore', store('copy-', 1_795_000_000))).records).some((m) => m.wallTime)).toBe(false);
    expect(messagesOf((await readWith('pstore', store('live-', 0))).records).some((m) => m.wallTime)).toBe(false);
  });

  it('keep their time through crashlog collect: the entry\'s manifest holds it and its report says when', async () => {
    const live = store('live-', 1_795_000_000);
    const archive = join(mkdtempSync(join(tmpdir(), 'crashlog-live-archive-')), 'archive');
    mkdirSync(archive);
    const first = await runCli(['collect', '--pstore', live, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive]);
    expect(first.code).toBe(0);
    const [id] = readdirSync(archive).filter((n) => !n.startsWith('.'));
    const entry = join(archive, id!);
    const manifest = JSON.parse(readFileSync(join(entry, 'manifest.json'), 'utf8')) as { records: { file: string; recordTime?: string }[] };
    expect(manifest.records).toEqual([expect.objectContaining({ file: 'pstore/dmesg-ramoops-0', recordTime: new Date(1_795_000_000_000).toISOString() })]);
    // The archived copy's mtime is the copy's; the manifest's time anchors the dump.
    const report = await runCli(['report', '--archive', entry]);
    expect(report.stdout).toMatch(/^ {2}when +2026-11-18T/m);
    expect(readFileSync(join(entry, 'report.txt'), 'utf8')).toBe(report.stdout);
  });
});
