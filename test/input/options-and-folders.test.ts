// What `--opt` and folders do with what they are given: an option no backend takes or a
// value of the wrong shape is a usage error; a layout option that does not fit the image is
// a problem and the image is read by what it holds; a folder is read entry by entry; a
// symlink named on the command line is followed.
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { run, type RunIO } from '../../src/cli.js';
import { buildMtdoops } from '../builders/mtdoops.js';
import { consoleLog, x86Trace } from '../builders/console-log.js';
import { corpus } from '../corpus.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crashlog-opts-'));
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: RunIO = { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) };
  const code = await run(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('--opt', () => {
  const mtd = corpus('mtdoops-oops-panic', 'mtdoops-partition.bin');

  it('a key no backend of the inputs takes is a usage error naming what they take', async () => {
    const r = await cli(['report', '--opt', 'recordsize=4096', mtd]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--opt recordsize: no input here is read by a backend that takes it \(mtdoops takes record_size\)/);
  });

  it('a value of the wrong shape is a usage error', async () => {
    const r = await cli(['report', '--opt', 'record_size=big', mtd]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--opt record_size=big: mtdoops takes a number/);
  });

  it('pstore_blk kmsg_size alone, as the module was loaded, fits the real disk: no mismatch', async () => {
    const a = await analyze([corpus('pstore-blk-gpf-panic', 'pstore-blk-disk.bin')], { options: { kmsg_size: 64 } });
    expect(a.inputs[0]!.problems).toEqual([]);
    expect(a.incidents[0]!.title).toBe('general protection fault in forgedev_walk_list');
  });

  it('a wrong mtdoops record_size is a problem, and the records are read as they are', async () => {
    const text = (n: number) => consoleLog(`oops number ${n}`, ...x86Trace(`forge_f${n}`)).repeat(40).slice(0, 6000);
    const img = buildMtdoops({ size: 64 * 1024, recordSize: 8192, records: [0, 1, 2].map((i) => ({ slot: i, seq: i + 1, text: text(i) })) });
    const p = join(tmp(), 'mtd.bin');
    writeFileSync(p, img);
    const right = await analyze([p], { options: { record_size: 8192 } });
    expect(right.inputs[0]!.problems).toEqual([]);
    const small = await analyze([p], { options: { record_size: 4096 } });
    expect(small.inputs[0]!.problems.map((x) => x.message)).toEqual([expect.stringMatching(/^record_size 0x1000 does not fit this image: record 1's text runs on past \+0x1000; records read header to header instead$/)]);
    expect(small.inputs[0]!.records).toBe(right.inputs[0]!.records);
    const big = await analyze([p], { options: { record_size: 16384 } });
    expect(big.inputs[0]!.problems.map((x) => x.message)).toEqual([expect.stringMatching(/a record header at \+0x2000 lies inside a record/)]);
    expect(big.inputs[0]!.records).toBe(right.inputs[0]!.records);
  });
});

describe('folders and symlinks', () => {
  it('a folder holding a raw ramoops image is read entry by entry: the console log beside it counts too', async () => {
    const dir = tmp();
    cpSync(corpus('ramoops-zones-div-oopspanic', 'ramoops-region.bin'), join(dir, 'ramoops-region.bin'));
    cpSync(corpus('ramoops-zones-div-oopspanic', 'serial-console.log'), join(dir, 'serial-console.log'));
    const a = await analyze([dir]);
    expect(a.inputs.map((i) => i.backend).sort()).toEqual(['ramoops', 'text']);
    expect(a.incidents).toHaveLength(1);
  });

  it('report follows a symlink named on the command line', async () => {
    const dir = tmp();
    symlinkSync(corpus('erst-mce-memory', 'pstore'), join(dir, 'link'));
    const r = await cli(['report', '--json', join(dir, 'link')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).incidents[0].cause).toBe('hardware');
  });
});
