// Issue 16: one pstore record of 64 MiB of log lines (the reader's size cap) ran the whole
// pipeline out of its heap (1.3 million lines, every one a record): nothing was reported.
// A record's text is read up to MAX_TEXT_BYTES, its newest end where the crash is, and
// what is left out is a problem naming the file and the offset reading starts from.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_BYTES } from '../../backends/pstore/layout.js';
import { analyze } from '../../src/analyze.js';
import { messagesOf, readWith } from '../helpers/read.js';

const PANIC = 'Kernel panic - not syncing: sysrq triggered crash';
/** `bytes` of log lines, ending with the panic. */
function log(bytes: number): Buffer {
  const line = (i: number) => `<6>[${(i / 1000).toFixed(6).padStart(12)}] filler line ${i} ${'x'.repeat(40)}\n`;
  const n = Math.ceil(bytes / line(0).length);
  return Buffer.from(Array.from({ length: n }, (_, i) => line(i)).join('') + `<0>[${(n / 1000).toFixed(6).padStart(12)}] ${PANIC}\n`);
}

describe('a pstore record larger than crashlog reads of one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pstore-budget-'));
  const text = log(3 * MAX_TEXT_BYTES);

  it('dmesg: the newest MAX_TEXT_BYTES are read and the crash found; the cut is a problem at its offset', async () => {
    const d = join(dir, 'plain');
    mkdirSync(d);
    const record = Buffer.concat([Buffer.from('Panic#1 Part1\n'), text]);
    writeFileSync(join(d, 'dmesg-ramoops-0'), record);
    const { records, problems } = await readWith('pstore', d);
    expect(problems).toEqual([expect.objectContaining({ path: join(d, 'dmesg-ramoops-0'), offset: expect.any(Number), message: expect.stringMatching(/more than crashlog reads of one record/) })]);
    const cut = problems[0]!.offset!;
    expect(record.length - cut).toBeLessThanOrEqual(MAX_TEXT_BYTES);
    expect(record[cut - 1]).toBe(0x0a);
    const lines = messagesOf(records);
    expect(lines[0]!.source.offset).toBe(cut);
    expect(lines[lines.length - 1]!.text).toBe(PANIC);
    const a = await analyze([d]);
    expect(a.incidents[0]!.panic).toBe('sysrq triggered crash');
  });

  it('a console record alike', async () => {
    const d = join(dir, 'console');
    mkdirSync(d);
    writeFileSync(join(d, 'console-ramoops-0'), text);
    const { records, problems } = await readWith('pstore', d);
    expect(problems).toEqual([expect.objectContaining({ offset: expect.any(Number), message: expect.stringMatching(/newest read from here/) })]);
    const lines = messagesOf(records);
    expect(lines[lines.length - 1]!.text).toBe(PANIC);
    expect(lines.length).toBeLessThan(MAX_TEXT_BYTES / 50);
  });
});
