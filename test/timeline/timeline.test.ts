import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../../src/timeline/build.js';
import { wallAt } from '../../src/timeline/clock.js';
import { fixture } from '../corpus.js';
import { readWith } from '../helpers/read.js';

async function inputs(...pairs: [string, string][]) {
  return Promise.all(pairs.map(async ([id, path]) => ({ path, records: (await readWith(id, path)).records })));
}

describe('timeline', () => {
  it('merges a pstore dump and the serial console of the same crash into one boot', async () => {
    const dir = fixture('pstore', 'erst-mce-memory');
    const t = buildTimeline(await inputs(['pstore', join(dir, 'pstore')], ['text', join(dir, 'serial-console.log')]));
    expect(t.boots).toHaveLength(1);
    const boot = t.boots[0]!;
    expect(boot.release).toBe('6.1.0-56-amd64');
    expect(boot.mces).toHaveLength(1);
    const panic = boot.messages.filter((m) => m.text === 'Kernel panic - not syncing: Fatal machine check');
    expect(panic).toHaveLength(1);
    expect([panic[0]!.source.backend, ...(panic[0]!.alsoIn ?? []).map((s) => s.backend)].sort()).toEqual(['pstore', 'text']);
    // The machine-check TIME line anchors the kernel clock to wall time.
    expect(boot.clock?.why).toMatch(/machine-check TIME/);
    expect(wallAt(boot, panic[0]!.tsNs)!.getTime()).toBe(1_795_373_701_000 + Math.floor((14_502_446 - 14_501_320) / 1000));
    for (let i = 1; i < boot.messages.length; i++) {
      const a = boot.messages[i - 1]!.tsNs;
      const b = boot.messages[i]!.tsNs;
      if (a !== undefined && b !== undefined) expect(b >= a).toBe(true);
    }
  });

  it('joins the overlapping dumps of one boot without duplicates (EFI, 28 parts, 2 dumps)', async () => {
    const dir = fixture('pstore', 'efi-oops-panic', 'pstore');
    const t = buildTimeline(await inputs(['pstore', dir]));
    expect(t.boots).toHaveLength(1);
    const keys = t.boots[0]!.messages.map((m) => `${m.tsNs}|${m.text}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(t.boots[0]!.messages.some((m) => (m.alsoIn?.length ?? 0) > 0)).toBe(true);
    // EFI variable names carry the dump time: the clock is anchored.
    expect(t.boots[0]!.clock?.why).toMatch(/pstore time/);
  });

  it('splits a console log holding two boots at the second banner', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-tl-')), 'two-boots.log');
    const banner = '[    0.000000] Linux version 6.1.0-56-amd64 (x) #1 SMP\n';
    writeFileSync(path, `${banner}[    5.000000] first boot line\n[  100.000000] Kernel panic - not syncing: one\n${banner}[    2.000000] second boot line\n`);
    const t = buildTimeline(await inputs(['text', path]));
    expect(t.boots.map((b) => b.messages.map((m) => m.text).slice(1))).toEqual([
      ['first boot line', 'Kernel panic - not syncing: one'],
      ['second boot line'],
    ]);
    expect(t.boots[0]!.key).not.toBe(t.boots[1]!.key);
    expect(t.boots[0]!.noClock).toMatch(/no record/);
  });

  it('gives machine-check records with no log a boot of their own', async () => {
    const file = fixture('pstore', 'erst-mce-memory', 'pstore', 'mce-erst-7711071329893482497');
    const t = buildTimeline(await inputs(['pstore', file]));
    expect(t.boots).toHaveLength(1);
    expect(t.boots[0]!.messages).toHaveLength(0);
    expect(t.boots[0]!.mces.map((m) => m.status)).toEqual([0xbe0000000001009fn]);
  });

  it('keeps separate boots apart: two crashes of the same kernel share only early lines', async () => {
    const a = fixture('pstore', 'ramoops-oops-panic', 'pstore');
    const b = fixture('pstore', 'ramoops-ecc-bug', 'pstore');
    const t = buildTimeline(await inputs(['pstore', a], ['pstore', b]));
    expect(t.boots).toHaveLength(2);
  });
});
