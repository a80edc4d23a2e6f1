// The npm package as a server gets it: `npm pack` of this checkout, then `npm install -g` of
// the tarball into a fresh prefix (runtime dependencies only, nothing compiled, no sources),
// and the installed `crashlog` run on a corpus item with only Node on PATH. Packed with
// --ignore-scripts: the checkout's dist/ is built already (npm ci), and prepack's tsc would
// rewrite it under the tests that run the built CLI beside this one.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, REPO } from '../corpus.js';
import { tempDir } from '../collect/helpers.js';

const work = tempDir('pack');
const prefix = join(work, 'prefix');
const installed = join(prefix, 'lib', 'node_modules', 'crashlog');
const env = { PATH: dirname(process.execPath), HOME: process.env['HOME'] ?? work };

beforeAll(() => {
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: REPO, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tgz = readdirSync(work).find((n) => n.endsWith('.tgz'))!;
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(work, tgz)], { cwd: work, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install -g of the tarball failed: ${install.stderr}`);
}, 240_000);

describe('npm install -g of the packed tarball', () => {
  it('gives a working crashlog: --version, and the verdict of a corpus item', () => {
    const bin = join(prefix, 'bin', 'crashlog');
    expect(spawnSync(bin, ['--version'], { env, encoding: 'utf8' }).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const r = spawnSync(bin, ['report', join(CORPUS, 'erst-mce-memory', 'pstore')], { env, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^HARDWARE: machine check: Memory controller read error/);
  });

  it('ships only what runs: built files, no TypeScript sources or tests, no dev dependencies', () => {
    expect(existsSync(join(installed, 'dist', 'src', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'test'))).toBe(false);
    const deps = existsSync(join(installed, 'node_modules')) ? readdirSync(join(installed, 'node_modules')) : readdirSync(join(prefix, 'lib', 'node_modules'));
    for (const dev of ['vitest', 'typescript', 'esbuild', 'playwright-core']) expect(deps).not.toContain(dev);
  });
});
