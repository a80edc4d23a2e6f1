// The man page and the completions come from the commander definitions: every command
// and option is in them, and the bash script completes as the CLI parses.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, leafCommands } from '../../src/cli.js';
import { manPage } from '../../src/util/manpage.js';
import { runCli } from '../helpers/run.js';

const program = buildProgram({ stdout: () => {}, stderr: () => {} });
const leaves = leafCommands(program).filter((c) => c !== program);
const pathOf = (c: (typeof leaves)[number]) => {
  const words: string[] = [];
  for (let p: typeof c | null = c; p && p !== program; p = p.parent) words.unshift(p.name());
  return words.join(' ');
};

describe('man page', () => {
  it('has every command and every long option', () => {
    const man = manPage(program, { version: '9.9.9', date: '2026-01-01' });
    expect(man).toMatch(/^\.TH CRASHLOG 1 "2026-01-01" "crashlog 9\.9\.9"/);
    for (const c of leaves) {
      expect(man).toContain(`.SS "crashlog ${pathOf(c)} `);
      for (const o of c.options) expect(man).toContain(o.long!.replace(/-/g, '\\-'));
    }
    expect(man).toMatch(/\.SH EXIT STATUS/);
  });
});

describe('completion', () => {
  it('bash: commands, options of a command, choices of an option', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    const script = join(mkdtempSync(join(tmpdir(), 'crashlog-compl-')), 'crashlog.bash');
    writeFileSync(script, r.stdout);
    const complete = (...words: string[]) => execFileSync('bash', ['-c', `source "${script}"; COMP_WORDS=(crashlog ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}; _crashlog; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' }).trim().split(' ');
    expect(complete('')).toEqual(expect.arrayContaining(leaves.map((c) => pathOf(c).split(' ')[0]!)));
    expect(complete('report', '--j')).toEqual(['--json']);
    expect(complete('timeline', '--color', '')).toEqual(['auto', 'always', 'never']);
    const mcg = complete('mce', 'decode', '--mcg');
    expect(mcg).toContain('--mcg-status');
    expect(mcg.every((o) => o.startsWith('--mcg'))).toBe(true);
  });

  it('zsh: one function per the same table', async () => {
    const r = await runCli(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^#compdef crashlog\n/);
    expect(r.stdout).toContain("'--json:print the JSON report (schema in the README)'");
  });

  it('another shell is a usage error', async () => {
    expect((await runCli(['completion', 'fish'])).code).toBe(2);
  });
});
