// The container side on the real dumps: headers, notes, VMCOREINFO, and page reads that
// decompress (the printk_ringbuffer struct at SYMBOL(prb) must look like one). The log
// itself (tests at the end) needs src/vmcore/printk, the log helper's half.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import type { OpenDump } from '../../src/vmcore/types.js';
import { corpus } from '../corpus.js';
import { Command } from 'commander';
import type { RunIO } from '../../src/cli.js';
import { register } from '../../src/commands/dmesg.js';

const START_KERNEL_MAP = 0xffffffff80000000n;

/** x86_64 kernel image address → physical (arch/x86/include/asm/page_64.h __phys_addr_symbol). */
function kernelSymbolPhys(d: OpenDump, sym: string): bigint {
  const va = BigInt(`0x${d.vmcoreinfo!.get(`SYMBOL(${sym})`)}`);
  const physBase = BigInt(d.vmcoreinfo!.get('NUMBER(phys_base)') ?? '0');
  return va - START_KERNEL_MAP + physBase;
}

async function checkPrb(d: OpenDump) {
  const off = (k: string) => Number(d.vmcoreinfo!.get(`OFFSET(${k})`));
  const prb = await d.phys.read(kernelSymbolPhys(d, 'prb'), 8);
  const ptr = Buffer.from(prb).readBigUInt64LE(0); // prb is a pointer to printk_rb_static / dynamic
  expect(ptr >> 40n).toBe(0xffffffn); // a kernel address
  const dv = Buffer.from(await d.phys.read(kernelSymbolPhys(d, 'printk_rb_static'), 128));
  const countBits = dv.readUInt32LE(off('printk_ringbuffer.desc_ring') + off('prb_desc_ring.count_bits'));
  const sizeBits = dv.readUInt32LE(off('printk_ringbuffer.text_data_ring') + off('prb_data_ring.size_bits'));
  expect(countBits).toBeGreaterThan(8);
  expect(countBits).toBeLessThan(30);
  expect(sizeBits).toBe(countBits + 5); // the kernel sizes the text ring at 32 bytes per descriptor
}

describe('real x86_64 kdump dumps (container side)', () => {
  for (const [item, file, format] of [['kdump-oops-panic', 'vmcore.kdump-zlib-d31', 'kdump'], ['kdump-oops-panic', 'vmcore.flat-zlib-d31', 'flattened'], ['qemu-dump-hung', 'vmcore.kdump-zlib', 'qemu-kdump']] as const) {
    it(`${item}/${file}: header, notes, VMCOREINFO, decompressed pages`, async () => {
      const d = await openDump(corpus(item, file));
      try {
        expect(d.format).toBe(format);
        expect(d.arch).toBe('x86_64');
        expect(d.release).toBe('6.1.0-56-amd64');
        expect(d.vmcoreinfo?.get('PAGESIZE')).toBe('4096');
        expect(d.cpus.length).toBe(2);
        expect(d.cpus.every((c) => c.ip !== undefined && c.ip >> 44n === 0xfffffn)).toBe(true);
        if (item === 'kdump-oops-panic') { expect(d.crashTime).toBeDefined(); expect(d.live).toBeUndefined(); }
        else expect(d.live).toBe(true); // QEMU dump-guest-memory: no panic, no CRASHTIME
        expect(d.problems).toEqual([]);
        await checkPrb(d);
      } finally {
        await d.close();
      }
    });
  }

  it('kdump-zlib: the dump level 31 excluded pages are PageUnavailable, not zeros', async () => {
    const d = await openDump(corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31'));
    try {
      let excluded = 0;
      for (let pfn = 0n; pfn < 4096n; pfn += 7n) {
        await d.phys.read(pfn * 4096n, 1).catch((e: { reason?: string }) => { expect(e.reason).toBe('excluded'); excluded++; });
      }
      expect(excluded).toBeGreaterThan(0);
    } finally {
      await d.close();
    }
  });
});

describe('real arm64 QEMU ELF (gzip)', () => {
  it('reads notes and VMCOREINFO through the gzip index', async () => {
    const d = await openDump(corpus('arm64-qemu-dump', 'vmcore.elf.gz'));
    try {
      expect(d.format).toBe('elf64');
      expect(d.arch).toBe('arm64');
      expect(d.release).toBe('6.1.0-56-arm64');
      expect(d.vmcoreinfo?.get('NUMBER(VA_BITS)')).toMatch(/^\d+$/);
      expect(d.cpus.length).toBeGreaterThan(0);
      expect(d.cpus[0]?.regs?.pc).toBeDefined();
      expect(d.virt).toBeUndefined(); // QEMU ELF: physical addresses only
    } finally {
      await d.close();
    }
  });
});

// The log, end to end: needs src/vmcore/printk (the log helper's half). Through run() of
// src/cli.ts; while the CLI cannot load (src/analyze.ts's parts in progress) through the
// dmesg command's own registration on a bare program.
async function runCli(argv: string[], io: RunIO): Promise<number> {
  try {
    const { run } = await import('../../src/cli.js');
    return await run(argv, io);
  } catch (err) {
    if (!/Cannot find module|Failed to load/.test(String(err))) throw err;
    const program = new Command('crashlog').exitOverride();
    register(program, io);
    process.exitCode = undefined;
    await program.parseAsync(argv, { from: 'user' });
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  }
}
describe('crashlog dmesg on the real dumps', () => {
  async function dmesg(path: string): Promise<string> {
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: () => undefined };
    const code = await runCli(['dmesg', path], io);
    expect(code).toBe(0);
    return out;
  }
  for (const file of ['vmcore.kdump-zlib-d31', 'vmcore.flat-zlib-d31']) {
    it(`kdump-oops-panic/${file} equals vmcore-dmesg line for line`, async () => {
      const want = readFileSync(corpus('kdump-oops-panic', 'expected-vmcore-dmesg.txt'), 'utf8').split('\n');
      expect((await dmesg(corpus('kdump-oops-panic', file))).split('\n')).toEqual(want);
    });
  }
  for (const [item, file] of [['qemu-dump-hung', 'vmcore.kdump-zlib'], ['arm64-qemu-dump', 'vmcore.elf.gz']]) {
    it(`${item}: the log holds every line of the serial console`, async () => {
      const strip = (l: string) => l.replace(/^\[\s*\d+\.\d+\]\s?/, '').trimEnd();
      const got = new Set((await dmesg(corpus(item!, file!))).split('\n').map(strip));
      const want = readFileSync(corpus(item!, 'serial-console.log'), 'utf8').split('\n').filter((l) => /^\[\s*\d+\.\d+\]/.test(l)).map(strip);
      expect(want.filter((l) => !got.has(l))).toEqual([]);
    });
  }
});
