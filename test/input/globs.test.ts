// Glob inputs (fast-glob): `crashlog report '/var/crash/*/vmcore'`, quoted past the shell.
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { corpus } from '../corpus.js';

describe('a glob named as an input', () => {
  it('reads every match, sorted; a pattern that matches nothing is a problem', async () => {
    const root = mkdtempSync(join(tmpdir(), 'crashlog-glob-'));
    for (const item of ['erst-mce-memory', 'ramoops-oops-panic']) {
      mkdirSync(join(root, item));
      cpSync(corpus(item, 'pstore'), join(root, item, 'pstore'), { recursive: true });
    }
    const a = await analyze([join(root, '*', 'pstore'), join(root, 'nothing-*')]);
    expect(a.inputs.filter((i) => i.backend === 'pstore').map((i) => i.path)).toEqual([join(root, 'erst-mce-memory', 'pstore'), join(root, 'ramoops-oops-panic', 'pstore')]);
    expect(a.inputs.flatMap((i) => i.problems).map((p) => p.message)).toEqual(['no file matches this pattern']);
    expect(a.incidents.map((i) => i.cause).sort()).toEqual(['hardware', 'software']);
  });
});
