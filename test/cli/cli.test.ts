import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';

const ERST = fixture('pstore', 'erst-mce-memory', 'pstore');

describe('crashlog argv -> outcome', () => {
  it.each([
    { argv: ['report'], code: 2, stderr: /name at least one input/ },
    { argv: ['report', '--as', 'nope', ERST], code: 2, stderr: /--as nope: no such backend \(one of: .*pstore/ },
    { argv: ['report', '--opt', 'novalue', ERST], code: 2, stderr: /expected key=value/ },
    { argv: ['report', '/no/such/file'], code: 1, stdout: /\/no\/such\/file: .*cannot read: .*ENOENT/ },
    { argv: ['frobnicate'], code: 2, stderr: /unknown command/ },
  ])('$argv', async ({ argv, code, stdout, stderr }) => {
    const r = await runCli(argv);
    expect(r.code).toBe(code);
    if (stdout) expect(r.stdout).toMatch(stdout);
    if (stderr) expect(r.stderr).toMatch(stderr);
  });

  it('timeline prints each line with where it came from', async () => {
    const r = await runCli(['timeline', ERST]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-- boot 6\.1\.0-56-amd64-[0-9a-f]{10} \(6\.1\.0-56-amd64\)/);
    expect(r.stdout).toMatch(/\[   14\.502446\] Kernel panic - not syncing: Fatal machine check  <.*dmesg-erst-7711071329893482498\+0x[0-9a-f]+ part 1>/);
    expect(r.stdout).toMatch(/machine check: bank 8 status 0xbe0000000001009f/);
  });

  it('reports a damaged input beside the good one, naming file and offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-cli-'));
    const bad = join(dir, 'journal.json');
    writeFileSync(bad, '{"__CURSOR":"s=1","_BOOT_ID":"x","MESSAGE":"fine"}\n{"__CURSOR": broken\n');
    const r = await runCli(['report', ERST, bad]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/journal\.json\+0x[0-9a-f]+: not a journal JSON entry/);
    expect(r.stdout).toMatch(/HARDWARE: /);
  });
});
