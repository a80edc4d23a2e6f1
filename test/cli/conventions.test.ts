// Command-line conventions: --version, exit 2 on every usage error (commander's too),
// 1 when nothing could be read, --color, control bytes escaped in text output.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';
import { buildProgram, leafCommands } from '../../src/cli.js';
import { wantColor } from '../../src/util/color.js';
import { escapeBytes, escapeControl, escapeControlKeepSgr, stringifyJsonLine } from '../../src/util/escape.js';

const ERST = fixture('pstore', 'erst-mce-memory', 'pstore');
const work = mkdtempSync(join(tmpdir(), 'crashlog-conv-'));
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** A kernel log whose lines carry terminal escapes: reset, clear screen, window title, CSI, bidi. */
const HOSTILE = join(work, 'hostile.log');
writeFileSync(HOSTILE, [
  '[    0.000000] Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP',
  '[   10.000000] evil: \x1bc\x1b[2J\x1b]0;owned\x07 title \x9b31m \u202etxt.exe',
  '[   11.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000',
  '[   11.000001] #PF: supervisor read access in kernel mode\r',
  '[   11.000002] RIP: 0010:forge_checksum+0x1d/0x40 [forgecrash]',
  '[   11.000003] Kernel panic - not syncing: Fatal exception \x1b[31m',
  '',
].join('\n'));

describe('exit status and --version', () => {
  it.each([
    { argv: ['--version'], code: 0, stdout: new RegExp(`^${version.replace(/\./g, '\\.')}\\n$`) },
    { argv: ['-V'], code: 0 },
    { argv: ['--help'], code: 0, stdout: /Usage: crashlog/ },
    { argv: ['report', '--help'], code: 0, stdout: /--color <when>/ },
    { argv: [], code: 2, stderr: /Usage: crashlog/ },
    { argv: ['frobnicate'], code: 2, stderr: /unknown command/ },
    { argv: ['report', '--frob', ERST], code: 2, stderr: /unknown option/ },
    { argv: ['timeline'], code: 2, stderr: /missing required argument/ },
    { argv: ['dmesg', 'a', 'b'], code: 2, stderr: /too many arguments/ },
    { argv: ['report', '--color=sometimes', ERST], code: 2, stderr: /Allowed choices are auto, always, never/ },
    { argv: ['mce', 'decode', '--status'], code: 2, stderr: /argument missing/ },
    { argv: ['mce', 'decode', '--status', 'zz'], code: 2, stderr: /not a number/ },
    { argv: ['timeline', '/no/such/file'], code: 1 },
    { argv: ['report', '/no/such/file'], code: 1 },
  ])('$argv -> $code', async ({ argv, code, stdout, stderr }) => {
    const r = await runCli(argv);
    expect(r.code).toBe(code);
    if (stdout) expect(r.stdout).toMatch(stdout);
    if (stderr) expect(r.stderr).toMatch(stderr);
  });

  it('every command takes --color', () => {
    const program = buildProgram({ stdout: () => {}, stderr: () => {} });
    for (const cmd of leafCommands(program)) expect(cmd.options.map((o) => o.long), cmd.name()).toContain('--color');
  });
});

describe('colour', () => {
  it.each([
    ['auto', true, {}, true], ['auto', false, {}, false], ['auto', true, { NO_COLOR: '1' }, false],
    ['auto', false, { FORCE_COLOR: '1' }, true], ['auto', false, { FORCE_COLOR: '' }, true], ['auto', true, { FORCE_COLOR: '0' }, false],
    ['auto', true, { TERM: 'dumb' }, false], ['always', false, { NO_COLOR: '1' }, true], ['never', true, { FORCE_COLOR: '1' }, false],
  ] as const)('--color=%s, tty %s, env %o -> %s', (when, tty, env, want) => {
    expect(wantColor(when, tty, env)).toBe(want);
  });

  it('a bare --color is always, before an input too; --color WHEN with a space works', async () => {
    for (const argv of [['report', '--color', ERST], ['report', ERST, '--color'], ['report', '--color', 'always', ERST]]) {
      const r = await runCli(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/\x1b\[1m/);
    }
    expect((await runCli(['report', '--color', 'never', ERST])).stdout).not.toMatch(/\x1b/);
  });

  it('--color=always colours the text report; never leaves it plain', async () => {
    const on = await runCli(['report', '--color=always', ERST]);
    expect(on.stdout).toMatch(/\x1b\[1m/);
    const off = await runCli(['report', '--color=never', ERST]);
    expect(off.stdout).not.toMatch(/\x1b/);
  });
});

describe('control bytes from inputs', () => {
  it.each([['report'], ['timeline'], ['report', '--color=always']])('%s: none reaches stdout; each is shown escaped', async (...argv) => {
    const r = await runCli([...argv, HOSTILE]);
    expect(r.code).toBe(0);
    const plain = argv.includes('--color=always') ? r.stdout.replace(/\x1b\[[0-9;]*m/g, '') : r.stdout;
    // eslint-disable-next-line no-control-regex
    expect(plain).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    if (argv[0] === 'timeline') expect(r.stdout).toContain('evil: \\x1bc\\x1b[2J\\x1b]0;owned\\x07 title \\x9b31m \\u{202e}txt.exe');
  });

  it('a file name with an escape is escaped in error messages', async () => {
    const r = await runCli(['report', join(work, 'no\x1b]0;x\x07such')]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('\x1b');
  });

  it('one rule: dmesg bytes as vmcore-dmesg, text for a terminal, colours of the renderer kept', () => {
    expect(escapeBytes(Buffer.from('a\tb\x1b[0m\xff\r\n', 'latin1'))).toBe('a\tb\\x1b[0m\\xff\r\n');
    expect(escapeControl('t\x1b]0;x\x07\r\nü')).toBe('t\\x1b]0;x\\x07\\x0d\\x0aü');
    expect(escapeControl('two\nlines\r', true)).toBe('two\nlines\\x0d');
    expect(escapeControlKeepSgr('\x1b[1mtitle\x1b[22m \x1bc\x1b[2J')).toBe('\x1b[1mtitle\x1b[22m \\x1bc\\x1b[2J');
    expect(stringifyJsonLine({ t: 'a\x1b\u009b\u2028', n: 1n })).toBe('{"t":"a\\u001b\\u009b\\u2028","n":"0x1"}');
  });
});

describe('the stdout guard', () => {
  it('keeps JSON valid and the same value, colours as they are, and escapes every other control', async () => {
    const { escapeOutput } = await import('../../src/util/escape.js');
    const json = JSON.stringify({ t: 'a\u009b[2J\u202e\x7fz' });
    expect(JSON.parse(escapeOutput(json))).toEqual(JSON.parse(json));
    expect(escapeOutput(json)).not.toMatch(/[\x7f-\x9f\u202e]/);
    expect(escapeOutput('\x1b[31mred\x1b[39m \x1bc\r\n')).toBe('\x1b[31mred\x1b[39m \\x1bc\\x0d\n');
  });

  it('report --json of a hostile log: valid JSON, no raw control', async () => {
    const r = await runCli(['report', '--json', HOSTILE]);
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  });
});
