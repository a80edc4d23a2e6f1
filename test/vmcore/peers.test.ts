// crashlog dmesg beside the peers themselves, run live (Debian: kexec-tools' vmcore-dmesg,
// makedumpfile; each test is skipped with its reason when its tool is missing): the corpus
// kdump through `makedumpfile --dump-dmesg`, and a kexec-style ELF core made from the same
// dump's pages (bench/vmcore-inputs.ts) through vmcore-dmesg, plain and gzip'd.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gzipTo, makeElf } from '../../bench/vmcore-inputs.js';
import { corpus } from '../corpus.js';
import { runCli } from '../helpers/run.js';

const tool = (name: string) => ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, name)).find((p) => existsSync(p));
const VMCORE_DMESG = tool('vmcore-dmesg');
const MAKEDUMPFILE = tool('makedumpfile');
const KDUMP = () => corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31');

async function dmesg(path: string): Promise<string> {
  const r = await runCli(['dmesg', path]);
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('peers run live', () => {
  it.skipIf(!MAKEDUMPFILE)('makedumpfile --dump-dmesg on the kdump gives what crashlog dmesg gives', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'crashlog-peer-md-')), 'dmesg.txt');
    const md = spawnSync(MAKEDUMPFILE!, ['--dump-dmesg', KDUMP(), out], { encoding: 'utf8' });
    expect(md.status, md.stderr).toBe(0);
    expect(await dmesg(KDUMP())).toBe(readFileSync(out, 'latin1'));
    rmSync(out);
  });

  it.skipIf(!VMCORE_DMESG)('vmcore-dmesg on a kexec-style ELF core of the same pages gives what crashlog dmesg gives, plain and gzip\'d', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-peer-elf-'));
    try {
      const elf = join(dir, 'vmcore');
      await makeElf(KDUMP(), elf, 0);
      const vd = spawnSync(VMCORE_DMESG!, [elf], { encoding: 'latin1', maxBuffer: 1 << 26 });
      expect(vd.status, vd.stderr).toBe(0);
      expect(vd.stdout.split('\n').length).toBeGreaterThan(400);
      expect(await dmesg(elf)).toBe(vd.stdout);
      await gzipTo(elf, `${elf}.gz`, 6);
      expect(await dmesg(`${elf}.gz`)).toBe(vd.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
