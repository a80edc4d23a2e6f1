// The shipped units as systemd judges them: `systemd-analyze verify` passes, and
// `systemd-analyze security --offline=yes` gives each the exposure the README states, no
// worse than "OK". Skipped, saying why, where systemd-analyze is missing or too old for
// --offline (systemd 250; Debian's systemd package has it: .ci/run installs it).
import { spawnSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../corpus.js';
import { tempDir } from '../collect/helpers.js';

const PACKAGING = join(REPO, 'packaging');
const UNITS = readdirSync(PACKAGING).filter((n) => n.endsWith('.service')).sort();
const probe = spawnSync('systemd-analyze', ['security', '--offline=yes', join(PACKAGING, UNITS[0]!)], { encoding: 'utf8' });
const usable = probe.status === 0 && /Overall exposure level/.test(probe.stdout);
if (!usable) console.log(`systemd unit tests skipped: systemd-analyze security --offline=yes is not available here (${probe.error?.message ?? probe.stderr.trim().split('\n')[0]})`);

/** "crashlog-collect.service: 0.7" from the README's table of exposure scores. */
function readmeScores(): Map<string, number> {
  const text = readFileSync(join(REPO, 'README.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `(crashlog-[\w-]+\.service)` \| (\d+\.\d) /gm)].map((m) => [m[1]!, Number(m[2])]));
}

describe.runIf(usable)('packaging/*.service under systemd-analyze', () => {
  // The units name /usr/local/bin/crashlog, which verify wants to exist: copies point at a stand-in.
  const dir = tempDir('units');
  beforeAll(() => {
    const exe = join(dir, 'crashlog');
    writeFileSync(exe, '#!/bin/sh\nexit 0\n');
    chmodSync(exe, 0o755);
    for (const u of UNITS) writeFileSync(join(dir, u), readFileSync(join(PACKAGING, u), 'utf8').replaceAll('/usr/local/bin/crashlog', exe));
  });

  it.each(UNITS)('%s: verify finds nothing wrong', (u) => {
    const r = spawnSync('systemd-analyze', ['verify', join(dir, u)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(UNITS)('%s: the exposure the README states, at most 2.0', (u) => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=yes', join(dir, u)], { encoding: 'utf8' });
    const score = Number(/Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(2);
    expect(readmeScores().get(u)).toBe(score);
  });
});
