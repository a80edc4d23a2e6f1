// Streams as inputs: a pipe (what `<(cmd)` and /dev/fd/N are) is probed by its first
// bytes; a text-like input is read from the pipe itself, anything else from a private
// temporary copy that is gone when the run ends.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { runCli } from '../helpers/run.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-streams-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A named pipe fed with `file` by a child process (as the shell feeds <(cat file)). */
function pipeOf(file: string, name: string): string {
  const fifo = join(work, name);
  execFileSync('mkfifo', [fifo]);
  spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', file, fifo], { stdio: 'ignore' });
  return fifo;
}

describe('a pipe as input', () => {
  it('a console log is read from the pipe itself, under the pipe\'s name', async () => {
    const log = fixture('mtdoops', 'mtdoops-oops-panic', 'serial-console.log');
    const fifo = pipeOf(log, 'console');
    const r = await runCli(['report', '--json', fifo]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { inputs: { path: string; backend: string; records: number }[]; incidents: unknown[] };
    expect(rep.inputs).toMatchObject([{ path: fifo, backend: 'text' }]);
    expect(rep.inputs[0]!.records).toBeGreaterThan(10);
    expect(rep.incidents.length).toBeGreaterThan(0);
  });

  it('the same verdict as from the file', async () => {
    const log = fixture('mtdoops', 'mtdoops-oops-panic', 'serial-console.log');
    const fromFile = JSON.parse((await runCli(['report', '--json', log])).stdout) as { incidents: { title: string }[] };
    const fromPipe = JSON.parse((await runCli(['report', '--json', pipeOf(log, 'console2')])).stdout) as { incidents: { title: string }[] };
    expect(fromPipe.incidents.map((i) => i.title)).toEqual(fromFile.incidents.map((i) => i.title));
  });

  it('a binary image needing random access is copied to a temporary file, removed afterwards', async () => {
    const image = fixture('mtdoops', 'mtdoops-oops-panic', 'mtdoops-partition.bin');
    const before = new Set(readdirSync(tmpdir()));
    const r = await runCli(['report', '--json', pipeOf(image, 'mtd')]);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { inputs: { path: string; backend: string; records: number }[] };
    expect(rep.inputs[0]).toMatchObject({ backend: 'mtdoops' });
    expect(rep.inputs[0]!.records).toBeGreaterThan(0);
    expect(rep.inputs[0]!.path).toMatch(/crashlog-mtd-\w+\/dump$/);
    expect(existsSync(rep.inputs[0]!.path)).toBe(false);
    expect(readdirSync(tmpdir()).filter((n) => !before.has(n) && n.startsWith('crashlog-mtd-'))).toEqual([]);
  });

  it('timeline reads a pipe too', async () => {
    const r = await runCli(['timeline', pipeOf(fixture('mcelog', 'intel-memory.log'), 'mcelog')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/machine check/i);
  });
});
