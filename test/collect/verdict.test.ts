// The verdict collect writes beside a new entry is what `crashlog report --archive` says of
// that entry later, word for word, in text and JSON: whether collect read the records once
// (the usual case) or read the entry again (a boot known only by where it was read), for a
// boot longer than a verdict keeps, and with many records (their copies fsync'd by a worker
// thread while the verdict is made).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';
import { fsyncInBackground } from '../../src/collect/fsync.js';
import { realFs } from '../../src/collect/index.js';
import { entries, hashes, tempDir } from './helpers.js';

const NONE = ['--pstore', 'none', '--efivars', 'none', '--bert', 'none', '--dmi', 'none'];

/** Collect once into a fresh archive; the one entry, and what report --archive says of it. */
async function collectOnce(root: string, sources: string[]) {
  const archive = join(root, 'archive');
  const r = await runCli(['collect', ...NONE, ...sources, '--archive', archive]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const [id, ...more] = entries(archive);
  expect(more).toEqual([]);
  const entry = join(archive, id!);
  const json = await runCli(['report', '--json', '--archive', entry]);
  const text = await runCli(['report', '--archive', entry]);
  return { archive, entry, out: r.stdout, json: json.stdout, text: text.stdout };
}

describe('the verdict written at collect time', () => {
  it('of a BERT table alone (its boot keyed by where it was read): what report --archive says', async () => {
    const root = tempDir('verdict-bert');
    const bert = join(root, 'BERT');
    writeFileSync(bert, readFileSync(fixture('bert', 'memory-v3.BERT')));
    const c = await collectOnce(root, ['--bert', bert]);
    expect(readFileSync(join(c.entry, 'report.json'), 'utf8')).toBe(c.json);
    expect(readFileSync(join(c.entry, 'report.txt'), 'utf8')).toBe(c.text);
    expect(JSON.parse(c.json).incidents.map((i: { boot: string }) => i.boot)).toHaveLength(1);
  });

  it('of a boot longer than a verdict keeps: read as report reads it, its lines not kept counted alike', async () => {
    const root = tempDir('verdict-long');
    const src = join(root, 'pstore');
    mkdirSync(src);
    const lines = ['<6>[    0.000000] Linux version 6.1.0-56-amd64 (test) #1 SMP'];
    for (let i = 1; i < 14_000; i++) lines.push(`<6>[${String(Math.floor(i / 100)).padStart(5)}.${String((i % 100) * 10_000).padStart(6, '0')}] routine line ${i}`);
    lines.push('<0>[  140.000000] Kernel panic - not syncing: a long boot');
    writeFileSync(join(src, 'console-ramoops-0'), lines.join('\n') + '\n');
    const c = await collectOnce(root, ['--pstore', src]);
    expect(readFileSync(join(c.entry, 'report.txt'), 'utf8')).toBe(c.text);
    expect(readFileSync(join(c.entry, 'report.json'), 'utf8')).toBe(c.json);
    expect(c.text).toMatch(/14001 records, \d+ lines not kept/);
    expect(c.out).toContain('SOFTWARE: kernel panic: a long boot');
  });

  it('of 300 records, fsync\'d by a worker thread: every copy whole, the verdict what report --archive says', async () => {
    const root = tempDir('verdict-many');
    const src = join(root, 'pstore');
    mkdirSync(src);
    for (let r = 0; r < 300; r++) {
      const lines = ['Oops#1 Part1', `<6>[${String(r).padStart(5)}.000000] Linux version 6.1.0-${r} (test) #1 SMP`];
      for (let i = 1; i < 20; i++) lines.push(`<6>[${String(r).padStart(5)}.${String(i).padStart(6, '0')}] record ${r} line ${i}`);
      if (r === 299) lines.push(`<0>[  299.500000] Kernel panic - not syncing: the last one`);
      writeFileSync(join(src, `dmesg-ramoops-${r}`), lines.join('\n') + '\n');
    }
    const c = await collectOnce(root, ['--pstore', src]);
    expect(hashes(join(c.entry, 'pstore'))).toEqual(hashes(src));
    expect(c.out).toContain(`archived 300 record(s) as ${c.entry}`);
    const report = readFileSync(join(c.entry, 'report.json'), 'utf8');
    expect(report).toBe(c.json);
    expect(readFileSync(join(c.entry, 'report.txt'), 'utf8')).toBe(c.text);
    expect(JSON.parse(report).incidents.some((i: { panic?: string }) => i.panic === 'the last one')).toBe(true);
    const again = await runCli(['collect', ...NONE, '--pstore', src, '--archive', c.archive]);
    expect(again.stdout).toBe('nothing new to collect (300 record(s) already archived)\n');
  });
});

describe('fsync of many copies in the background', () => {
  it('says which file it could not fsync, and nothing when all were', async () => {
    const root = tempDir('fsync');
    const paths = Array.from({ length: 300 }, (_, i) => join(root, `f${i}`));
    for (const p of paths) writeFileSync(p, 'x');
    expect(await fsyncInBackground(realFs, paths)).toBeUndefined();
    const missing = join(root, 'gone');
    const err = await fsyncInBackground(realFs, [...paths.slice(0, 150), missing, ...paths.slice(150)]);
    expect(err).toMatchObject({ code: 'ENOENT', path: missing });
  });
});
