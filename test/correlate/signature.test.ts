// Incident signatures (fleet dedup): the same bug on two machines gives one; two bugs that
// both end in "kernel panic: sysrq triggered crash" give two (the lead's frames count).
// `crashlog list` groups archived incidents by them.
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { run, type RunIO } from '../../src/cli.js';
import { corpus, fixture } from '../corpus.js';

const sig = async (p: string) => {
  const a = await analyze([p]);
  expect(a.incidents).toHaveLength(1);
  return a.incidents[0]!;
};

describe('incident signatures', () => {
  it('one bug seen through two stores and two boots: one signature', async () => {
    const ramoops = await sig(corpus('ramoops-oops-panic', 'pstore'));
    const efi = await sig(corpus('efi-oops-panic', 'pstore'));
    expect(ramoops.title).toBe(efi.title);
    expect(ramoops.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(ramoops.signature).toBe(efi.signature);
  });

  it('two bugs that both end in a SysRq panic: two signatures', async () => {
    const nullDeref = await sig(corpus('ramoops-oops-panic', 'pstore'));
    const bugOn = await sig(corpus('ramoops-ecc-bug', 'pstore'));
    expect(nullDeref.title).toBe(bugOn.title);
    expect(nullDeref.signature).not.toBe(bugOn.signature);
  });

  it('hardware verdicts are signed too', async () => {
    expect((await sig(corpus('erst-mce-memory', 'pstore'))).signature).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('crashlog list', () => {
  async function cli(argv: string[]) {
    const out: string[] = [];
    const io: RunIO = { stdout: (s) => void out.push(s), stderr: () => undefined };
    return { code: await run(argv, io), out: out.join('') };
  }

  it('groups the archived incidents of one bug (two boots, two stores) into one row with its count; --all lists each', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crashlog-sig-'));
    const archive = join(root, 'archive');
    for (const item of ['ramoops-oops-panic', 'efi-oops-panic']) {
      const src = join(root, item, 'pstore');
      cpSync(fixture('pstore', item, 'pstore'), src, { recursive: true });
      expect((await cli(['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive])).code).toBe(0);
    }
    expect(readdirSync(archive).filter((n) => !n.startsWith('.'))).toHaveLength(2);
    const grouped = (await cli(['list', '--json', '--archive', archive])).out.trim().split('\n').map((l) => JSON.parse(l) as { count: number; ids: string[] });
    expect(grouped).toHaveLength(1);
    expect(grouped[0]!.count).toBe(2);
    expect((await cli(['list', '--all', '--json', '--archive', archive])).out.trim().split('\n')).toHaveLength(2);
    expect((await cli(['list', '--archive', archive])).out).toMatch(/^COUNT .*\n +2 +\S+ +\S+ +\S+ +software +kernel panic: sysrq triggered crash\n$/);
  });
});
