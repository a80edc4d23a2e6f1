// gzip'd vmcores as a user gives them (issues 15, 16): read through the gzip index with
// nothing written to disk; on stdin spilled compressed (the disk holds the stream's own size)
// and removed at the end, on an error, and when the process is stopped by SIGINT or SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpus } from '../corpus.js';
import { runCli, withStdin } from '../helpers/run.js';

const PAGING = () => corpus('qemu-dump-paging-gpf-logbuf4m', 'vmcore.paging.elf.gz');
const EXPECTED = () => readFileSync(corpus('qemu-dump-paging-gpf-logbuf4m', 'expected-vmcore-dmesg.txt'), 'latin1');

/** Everything under `dir`, recursively (what a run left in its TMPDIR). */
const left = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String);

describe('crashlog dmesg on a gzip\'d vmcore', () => {
  // A TMPDIR of this test's own: what a run leaves there is seen, and nothing else.
  let tmp = '';
  let saved: string | undefined;
  beforeEach(() => { saved = process.env.TMPDIR; tmp = mkdtempSync(join(tmpdir(), 'crashlog-gzdump-')); process.env.TMPDIR = tmp; });
  afterEach(() => { if (saved === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = saved; });

  it('QEMU\'s paging ELF, gzip\'d: equals vmcore-dmesg on the plain file, with no temporary file', async () => {
    const r = await runCli(['dmesg', '--stats', PAGING()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED());
    expect(r.stderr).toMatch(/format elf64, \d+ bytes read, \d+ pages read, [\d.]+ ms/);
    expect(r.stderr).not.toMatch(/temporary file/);
    expect(left(tmp)).toEqual([]);
  });

  it('on stdin: spilled compressed (the stream\'s own size on disk), read, then removed', async () => {
    // The flattened kdump, gzip'd: a smaller stream than the ELF, the same path through the spill.
    const gz = join(tmp, '..', `${tmp.split('/').pop()}-flat.gz`);
    writeFileSync(gz, gzipSync(readFileSync(corpus('kdump-oops-panic', 'vmcore.flat-zlib-d31')), { level: 1 }));
    const r = await withStdin(gz, () => runCli(['dmesg', '--stats', '-']));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(corpus('kdump-oops-panic', 'expected-vmcore-dmesg.txt'), 'latin1'));
    expect(r.stderr).toMatch(new RegExp(`format flattened, .* ${statSync(gz).size} bytes copied to a temporary file first`));
    expect(left(tmp)).toEqual([]);
  });

  it('on stdin, not a dump: an error, and the spill removed', async () => {
    const junk = join(tmp, '..', `${tmp.split('/').pop()}-junk`);
    writeFileSync(junk, Buffer.alloc(100_000, 'x'));
    const r = await withStdin(junk, () => runCli(['dmesg', '-']));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a vmcore/);
    expect(left(tmp)).toEqual([]);
  });
});

describe('a stdin spill stopped by a signal', () => {
  // A child that spills its stdin as `crashlog dmesg -` does (src/vmcore/spill.ts with the
  // temporary folder's exit hooks), bundled from the sources by esbuild.
  const child = join(mkdtempSync(join(tmpdir(), 'crashlog-spill-child-')), 'child.mjs');
  buildSync({ entryPoints: [fileURLToPath(new URL('./spill-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error' });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while the stream is being written: the temporary folder is removed, and the signal is the exit status`, async () => {
      const tmp = mkdtempSync(join(tmpdir(), 'crashlog-spill-sig-'));
      const p = spawn(process.execPath, [child], { env: { ...process.env, TMPDIR: tmp }, stdio: ['pipe', 'ignore', 'pipe'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => p.on('exit', (_code, sig) => resolve(sig)));
      const chunk = Buffer.alloc(1 << 20, 0x5a); // not zero: written, not skipped as a hole
      let written = 0;
      // Feed until part of the stream is on disk, then stop it mid-way.
      while (!left(tmp).some((f) => f.endsWith('dump') && statSync(join(tmp, f)).size > 0) && written < 256) {
        await new Promise<void>((resolve) => p.stdin.write(chunk, () => resolve()));
        written++;
      }
      expect(left(tmp).length).toBeGreaterThan(0);
      p.kill(signal);
      expect(await exited).toBe(signal);
      expect(left(tmp)).toEqual([]);
    }, 30_000);
  }
});
