// The clean-shutdown mark: a boot that collect saw start and that never reached its unit's
// stop at shutdown is reported once, as "unclean reset, no records", when it left nothing;
// a boot shut down cleanly, a first run, a restart of the unit, and a boot that left records
// or a kdump are never so reported.
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOOT_MARK, currentBootId, kdumpsSince, markCleanShutdown, realFs, startBoot } from '../../src/collect/index.js';
import { UNCLEAN_RESET_TITLE, uncleanResetIncident, WHERE_TO_LOOK } from '../../src/correlate/unknown.js';
import { runCli } from '../helpers/run.js';
import { copyPstore, tempDir } from './helpers.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const NOTHING = ['--pstore', 'none', '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--systemd-pstore', 'none'];

const archiveDir = () => join(tempDir('bootmark'), 'archive');
const mark = (archive: string) => JSON.parse(readFileSync(join(archive, BOOT_MARK), 'utf8')) as { boot: string; state: string; since: string; stopped?: string };

describe('the mark', () => {
  it('first run: nothing judged, this boot marked running', () => {
    const archive = archiveDir();
    expect(startBoot(realFs, archive, A, new Date('2026-01-01T00:00:00Z'))).toEqual({});
    expect(mark(archive)).toEqual({ boot: A, state: 'running', since: '2026-01-01T00:00:00.000Z' });
  });

  it('a boot that was not marked clean ended uncleanly; one that was, cleanly', () => {
    const archive = archiveDir();
    startBoot(realFs, archive, A, new Date('2026-01-01T00:00:00Z'));
    expect(startBoot(realFs, archive, B, new Date('2026-01-02T00:00:00Z')).previous).toMatchObject({ end: 'unclean', mark: { boot: A, state: 'running' } });
    markCleanShutdown(realFs, archive, B, new Date('2026-01-03T00:00:00Z'));
    expect(mark(archive)).toEqual({ boot: B, state: 'clean', since: '2026-01-02T00:00:00.000Z', stopped: '2026-01-03T00:00:00.000Z' });
    expect(startBoot(realFs, archive, A, new Date('2026-01-04T00:00:00Z')).previous).toMatchObject({ end: 'clean', mark: { boot: B } });
  });

  it('the unit started again in the same boot judges nothing', () => {
    const archive = archiveDir();
    startBoot(realFs, archive, A, new Date());
    expect(startBoot(realFs, archive, A, new Date())).toEqual({});
  });

  it('a damaged mark is said, not trusted, and replaced', () => {
    const archive = archiveDir();
    startBoot(realFs, archive, A, new Date());
    writeFileSync(join(archive, BOOT_MARK), '{"boot":"x","state":"running"}');
    const r = startBoot(realFs, archive, B, new Date());
    expect(r.previous).toBeUndefined();
    expect(r.problem).toMatch(/not a boot mark/);
    expect(mark(archive).boot).toBe(B);
  });

  it('kdump dumps saved since the boot began', () => {
    const dir = tempDir('kdump');
    mkdirSync(join(dir, 'old'));
    utimesSync(join(dir, 'old'), new Date('2025-01-01T00:00:00Z'), new Date('2025-01-01T00:00:00Z'));
    mkdirSync(join(dir, '202601011200'));
    expect(kdumpsSince(new Date('2025-06-01T00:00:00Z'), dir)).toEqual([join(dir, '202601011200')]);
    expect(kdumpsSince(new Date(), join(dir, 'absent'))).toEqual([]);
  });
});

describe('the verdict', () => {
  it('names the boot, the mark as evidence, and where to look', () => {
    const i = uncleanResetIncident({ boot: A, since: '2026-01-01T00:00:00.000Z', path: '/var/lib/crashlog/.boot' });
    expect(i).toMatchObject({ boot: A, cause: 'unknown', kind: 'reset', title: UNCLEAN_RESET_TITLE });
    expect(i.evidence.every((e) => e.source.path === '/var/lib/crashlog/.boot')).toBe(true);
    expect(i.missing).toEqual(expect.arrayContaining(WHERE_TO_LOOK));
    expect(i.missing!.join('\n')).toMatch(/BERT[\s\S]*ipmitool sel[\s\S]*watchdog/);
    expect(i.signature).toMatch(/^[0-9a-f]{16,}$/);
  });
});

// `crashlog collect` as the unit runs it; the previous boot is faked by writing its mark.
const here = currentBootId();
describe.runIf(here !== undefined)('crashlog collect at boot', () => {
  const previousBoot = (archive: string, state: 'running' | 'clean') =>
    writeFileSync(join(archive, BOOT_MARK), JSON.stringify({ boot: A, state, since: new Date().toISOString() }));

  it('a reset that left nothing: the verdict once, in text and as a JSON line', async () => {
    const archive = archiveDir();
    expect((await runCli(['collect', '--archive', archive, ...NOTHING])).stdout).toMatch(/^nothing new to collect/);
    previousBoot(archive, 'running');
    const r = await runCli(['collect', '--archive', archive, ...NOTHING]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^UNKNOWN: ${UNCLEAN_RESET_TITLE}\\n  boot       ${A}\\n`));
    expect(r.stdout).toMatch(/missing: ACPI BERT/);
    const again = await runCli(['collect', '--archive', archive, ...NOTHING]);
    expect(again.stdout).toMatch(/^nothing new to collect/);

    previousBoot(archive, 'running');
    const json = await runCli(['collect', '--json', '--archive', archive, ...NOTHING]);
    expect(JSON.parse(json.stdout)).toMatchObject({ entry: null, cause: 'unknown', kind: 'reset', title: UNCLEAN_RESET_TITLE, boot: A });
  });

  it('a clean shutdown (the unit\'s ExecStop) is not reported', async () => {
    const archive = archiveDir();
    await runCli(['collect', '--archive', archive, ...NOTHING]);
    expect((await runCli(['collect', '--clean-shutdown', '--archive', archive])).code).toBe(0);
    expect(mark(archive)).toMatchObject({ boot: here, state: 'clean' });
    previousBoot(archive, 'clean');
    const r = await runCli(['collect', '--archive', archive, ...NOTHING]);
    expect(r.stdout).toMatch(/^nothing new to collect/);
    expect(r.stderr).toBe('');
  });

  it('a reset that left records: their verdict, and a note on the reset', async () => {
    const archive = archiveDir();
    await runCli(['collect', '--archive', archive, ...NOTHING]);
    previousBoot(archive, 'running');
    const r = await runCli(['collect', '--archive', archive, '--pstore', copyPstore('ramoops-oops-panic'), '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--systemd-pstore', 'none']);
    expect(r.stdout).toMatch(/SOFTWARE: kernel panic: sysrq triggered crash/);
    expect(r.stdout).not.toContain(UNCLEAN_RESET_TITLE);
    expect(r.stderr).toContain(`boot ${A} was not shut down cleanly`);
  });
});
