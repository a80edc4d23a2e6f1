// `crashlog dmesg` as a user runs it: a pipe on stdin, --stats, --json, --caller, --avoid
// (its progress bar: test/cli/progress.test.ts). Real dumps first; a synthetic ELF
// (test/builders) where the real ones cannot show a case.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpus, fixture } from '../corpus.js';
import { runCli, withStdin } from '../helpers/run.js';
import { MapMemory, mapX86 } from '../builders/pagetables.js';
import { RINGBUFFER_VMCOREINFO, START_KERNEL_MAP, writeRingbuffer, type SynthRecord } from '../builders/printk.js';
import { machineToElf, note } from '../builders/vmcore.js';

const EXPECTED = () => readFileSync(corpus('kdump-oops-panic', 'expected-vmcore-dmesg.txt'), 'latin1');

describe('crashlog dmesg on the real kdump-oops-panic dumps', () => {
  it('reads a flattened dump from a pipe (stdin "-") and equals vmcore-dmesg', async () => {
    const r = await withStdin(corpus('kdump-oops-panic', 'vmcore.flat-zlib-d31'), () => runCli(['dmesg', '--stats', '-']));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/format flattened, \d+ bytes read, \d+ pages read, 17238178 bytes copied to a temporary file first/);
    expect(r.stdout.split('\n')).toEqual(EXPECTED().split('\n'));
  });

  it('--stats: the bytes read are a small part of the file', async () => {
    const path = corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31');
    const r = await runCli(['dmesg', '--stats', path]);
    const m = /stats: format kdump, (\d+) bytes read, (\d+) pages read/.exec(r.stderr);
    expect(m).not.toBeNull();
    // header + sub-header + notes + bitmaps up to the log's pfns + one descriptor and one
    // compressed page per page read: well under 1 MiB of the 16 MiB file
    expect(Number(m![2])).toBeLessThan(100);
    expect(Number(m![1])).toBeLessThan(1 << 20);
    expect(r.stdout).toBe(EXPECTED());
  });

  it('--json: one object per record with the same text; --caller: the caller id after the time', async () => {
    const path = corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31');
    const want = EXPECTED().trimEnd().split('\n');
    const json = (await runCli(['dmesg', '--json', path])).stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json.length).toBeGreaterThan(400);
    expect(json[0]).toMatchObject({ kind: 'entry', seq: '0', tsNs: '0', level: expect.any(Number), facility: 0 });
    expect(json.every((e) => typeof e.vaddr === 'string' && /^0x[0-9a-f]+$/.test(e.vaddr as string))).toBe(true);
    const stamp = (ns: bigint) => `[${(ns / 1_000_000_000n).toString().padStart(5)}.${((ns % 1_000_000_000n) / 1000n).toString().padStart(6, '0')}]`;
    expect(json.map((e) => `${stamp(BigInt(e.tsNs as string))} ${String(e.text)}\n`).join('')).toBe(EXPECTED());
    const caller = (await runCli(['dmesg', '--caller', path])).stdout.trimEnd().split('\n');
    expect(caller).toHaveLength(want.length);
    caller.forEach((l, i) => {
      const m = /^(\[[ \d.]+\])\[ *[TC]\d+\] (.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      expect(`${m![1]} ${m![2]}`).toBe(want[i]);
    });
  });
});

/** A 5.10+ x86_64 machine whose data ring lies in the direct map, as a phys-only ELF. */
async function syntheticDump(n: number, extraNotes: Buffer[] = []): Promise<Buffer> {
  const mem = new MapMemory();
  const physBase = 0x1000000n;
  const top = 0xffffffff82010000n;
  const dataVaddr = 0xffff888012000000n;
  const dataPaddr = 0x12000000n;
  const sizeBits = 14;
  for (let o = 0n; o < 1n << BigInt(sizeBits); o += 4096n) await mapX86(mem, top - START_KERNEL_MAP + physBase, dataVaddr + o, dataPaddr + o, 4096n, 4);
  const recs: SynthRecord[] = Array.from({ length: n }, (_, k) => ({ text: `line ${k} ${'y'.repeat(60)}`, tsNs: BigInt(k) * 1_000_000n, caller: 100 + k }));
  writeRingbuffer(mem, { physBase, prbSym: 0xffffffff82a00000n, ringVaddr: 0xffffffff82a00100n, descsVaddr: 0xffffffff82b00000n,
    infosVaddr: 0xffffffff82c00000n, dataVaddr, dataPaddr, countBits: 8, sizeBits }, recs);
  return machineToElf(mem, {
    OSRELEASE: '6.1.0-synthetic', PAGESIZE: '4096', ...RINGBUFFER_VMCOREINFO, 'SYMBOL(prb)': 'ffffffff82a00000',
    'SYMBOL(init_top_pgt)': top.toString(16), 'NUMBER(phys_base)': physBase.toString(), 'NUMBER(pgtable_l5_enabled)': '0',
  }, 62, extraNotes);
}

describe('crashlog dmesg --avoid', () => {
  it('never reads the named pages (repeatable), marks the gap and reads the rest', async () => {
    const elf = await syntheticDump(200);
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-dmesg-')), 'vmcore');
    writeFileSync(path, elf);
    const whole = await runCli(['dmesg', '--stats', path]);
    expect(whole.code).toBe(0);
    expect(whole.stdout.trimEnd().split('\n')).toHaveLength(200);
    const r = await runCli(['dmesg', '--stats', '--avoid', '0x12001000', '--avoid', String(0x12002000 + 17), path]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    // the ring is read page by page as records need it: one mark per page found unreadable
    expect(lines.filter((l) => l.startsWith('[gap: '))).toEqual(['[gap: 4096 bytes at 0xffff888012001000 unreadable (avoided)]', '[gap: 4096 bytes at 0xffff888012002000 unreadable (avoided)]']);
    expect(lines.filter((l) => /^\[ *\d+\.\d{6}\] line 199 y+$/.test(l))).toHaveLength(1); // the newest record is whole
    expect(lines.filter((l) => / line \d+ y{60}$/.test(l)).length).toBeGreaterThan(90); // 2 of 4 ring pages lost
    const read = (s: string) => Number(/(\d+) bytes read/.exec(s)![1]);
    expect(read(whole.stderr) - read(r.stderr)).toBe(2 * 4096);
    expect(r.stderr).toMatch(/log gap of 4096 bytes at 0xffff888012002000 \(avoided\)/);
  });

  it('rejects an --avoid that is not an address', async () => {
    const r = await runCli(['dmesg', '--avoid', 'nowhere', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--avoid: not an address: nowhere/);
  });
});

describe('slim dumps', () => {
  it('headers and notes only: the reason and the notes, no log, exit 1', async () => {
    const r = await runCli(['dmesg', fixture('vmcore', 'synthetic', 'vmcore.slim')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/the dump says why memory was left out: PANIC_MCE/);
    expect(r.stderr).toMatch(/slim dump \(headers and notes only\): release 6\.1\.0-test, crashed at 2023-11-14T22:15:00\.000Z; no log/);
  });

  it('a reason note beside the log pages: the reason, then the log', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-dmesg-')), 'vmcore');
    writeFileSync(path, await syntheticDump(20, [note('LINUX', 0x4e434400, Buffer.from('PANIC_MCE\0'))]));
    const r = await runCli(['dmesg', path]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/why memory was left out: PANIC_MCE/);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(20);
  });
});
