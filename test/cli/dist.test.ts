// The one-file builds of `npm run dist`: dist/crashlog.mjs and the single executable
// dist/crashlog, both built here (esbuild, then a copy of the 100 MB node binary with the
// CLI injected: about 20 s), so CI runs what `npm run dist` ships. Both run with no Node on PATH.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, CORPUS } from '../corpus.js';

const MJS = join(REPO, 'dist', 'crashlog.mjs');
const SEA = join(REPO, 'dist', 'crashlog');
const ITEM = join(CORPUS, 'erst-mce-memory', 'pstore');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** Run with an environment holding no PATH: nothing from the machine's Node is found. */
function bare(cmd: string, args: string[], input?: string) {
  return spawnSync(cmd, args, { env: {}, input, encoding: 'utf8', cwd: '/' });
}

// Built afresh, so the test never runs a build older than the sources.
beforeAll(() => {
  execFileSync(process.execPath, [join(REPO, 'scripts', 'dist.mjs'), 'build'], { cwd: REPO, stdio: 'ignore' });
}, 300_000);

describe('dist/crashlog.mjs', () => {
  it('is one self-contained file: --version, and a report on a corpus item', () => {
    expect(bare(process.execPath, [MJS, '--version']).stdout).toBe(`${version}\n`);
    const r = bare(process.execPath, [MJS, 'report', ITEM]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HARDWARE: machine check: Memory controller read error/);
  });

  it('reads rasdaemon records with the SQLite inlined in it', () => {
    const r = bare(process.execPath, [MJS, 'report', '--json', join(REPO, 'fixtures', 'rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db')]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { inputs: { backend: string; records: number }[] }).inputs[0]).toMatchObject({ backend: 'rasdaemon', records: 3 });
  });

  it("reads standard input with 'report -'", () => {
    const r = bare(process.execPath, [MJS, 'report', '-'], '[    1.000000] Kernel panic - not syncing: sysrq triggered crash\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SOFTWARE: kernel panic: sysrq triggered crash/);
  });

  it('a closed pipe ends it quietly, with status 0', () => {
    // Far more than a pipe holds: the writes after `head` exits fail with EPIPE.
    const log = join(mkdtempSync(join(tmpdir(), 'crashlog-epipe-')), 'big.log');
    writeFileSync(log, Array.from({ length: 40_000 }, (_, i) => `[${(i / 1000).toFixed(6).padStart(12)}] line ${i} of a long boot`).join('\n'));
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${MJS}" timeline "${log}" | head -1`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toHaveLength(2);
  });
});

describe('dist/crashlog, the single executable', () => {
  it('reports a corpus item with no Node on PATH', () => {
    expect(bare(SEA, ['--version']).stdout).toBe(`${version}\n`);
    const r = bare(SEA, ['report', ITEM]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HARDWARE: machine check: Memory controller read error/);
  });

  it('reads rasdaemon records', () => {
    const r = bare(SEA, ['report', '--json', join(REPO, 'fixtures', 'rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db')]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { inputs: { records: number }[] }).inputs[0]!.records).toBe(3);
  });
});
