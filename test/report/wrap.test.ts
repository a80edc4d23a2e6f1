// Text that fits a terminal (issue 18): long lines fold at spaces to the width, indented;
// colour codes take no columns; a pipe gets the lines whole.
import { describe, expect, it } from 'vitest';
import { run, type RunIO } from '../../src/cli.js';
import { fitWidth } from '../../src/report/wrap.js';
import { corpus } from '../corpus.js';

describe('fitWidth', () => {
  it('folds a long line at spaces, continuations indented four more', () => {
    expect(fitWidth('    one two three four five six seven eight nine ten eleven twelve', 40)).toBe('    one two three four five six seven\n        eight nine ten eleven twelve');
  });
  it('keeps runs of spaces inside a folded line', () => {
    expect(fitWidth('  kind       a b c d e f g h i j k l m n o p q r s t u v w x y z', 40)).toBe('  kind       a b c d e f g h i j k l m n\n      o p q r s t u v w x y z');
  });
  it('leaves short lines, and counts no colour codes', () => {
    expect(fitWidth('\x1b[1mshort\x1b[22m', 40)).toBe('\x1b[1mshort\x1b[22m');
    expect(fitWidth('x '.repeat(100), undefined)).toBe('x '.repeat(100));
  });
  it('keeps a word longer than the width whole on its own line', () => {
    const long = 'a'.repeat(60);
    expect(fitWidth(`  see ${long} there`, 40)).toBe(`  see\n      ${long}\n      there`);
  });
});

describe('report on a terminal', () => {
  async function report(tty: boolean) {
    const out: string[] = [];
    const io: RunIO = { stdout: (s) => void out.push(s), stderr: () => undefined, stdoutIsTTY: tty, stdoutColumns: 80 };
    await run(['report', '--color=never', corpus('erst-mce-memory', 'pstore')], io);
    return out.join('');
  }
  it('fits 80 columns on a terminal; a pipe gets the same words on longer lines', async () => {
    const tty = await report(true);
    const pipe = await report(false);
    // Every line fits, but for one that is a single word longer than the width (a path).
    for (const l of tty.split('\n')) if (l.length > 80) expect(l.trim()).not.toContain(' ');
    expect(Math.max(...pipe.split('\n').map((l) => l.length))).toBeGreaterThan(80);
    expect(tty.split(/\s+/).join(' ')).toBe(pipe.split(/\s+/).join(' '));
  });
});
