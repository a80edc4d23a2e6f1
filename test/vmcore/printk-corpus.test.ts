// The printk readers on the real dumps, through the container side's openDump.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import { formatVmcoreDmesg, readPrintkLog } from '../../src/vmcore/printk/index.js';
import { corpus } from '../corpus.js';

async function dmesg(path: string) {
  const dump = await openDump(path);
  try {
    let out = '';
    for await (const item of readPrintkLog(dump)) out += formatVmcoreDmesg(item);
    return { out, pages: dump.phys.pagesRead };
  } finally {
    await dump.close();
  }
}

/** Kernel lines of a serial capture ("[  ts] ..."), CRs and anything before the stamp dropped. */
function kernelLines(path: string): string[] {
  return readFileSync(path, 'latin1').split('\n').map((l) => l.replace(/\r$/, '').replace(/^.*?(?=\[\s*\d+\.\d{6}\] )/, ''))
    .filter((l) => /^\[\s*\d+\.\d{6}\] /.test(l));
}

describe('printk log from real dumps', () => {
  it('kdump-oops-panic (x86_64, KASLR, ringbuffer) equals vmcore-dmesg line for line', async () => {
    const { out, pages } = await dmesg(corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31'));
    expect(out.split('\n')).toEqual(readFileSync(corpus('kdump-oops-panic', 'expected-vmcore-dmesg.txt'), 'latin1').split('\n'));
    expect(pages).toBeLessThan(100);
  });

  for (const [item, file] of [['qemu-dump-hung', 'vmcore.kdump-zlib'], ['arm64-qemu-dump', 'vmcore.elf.gz']] as const) {
    it(`${item} (physical addresses only: page tables walked) holds every kernel line of the serial console`, async () => {
      const { out, pages } = await dmesg(corpus(item, file));
      const lines = new Set(out.split('\n'));
      const expected = kernelLines(corpus(item, 'serial-console.log'));
      expect(expected.length).toBeGreaterThan(200);
      expect(expected.filter((l) => !lines.has(l))).toEqual([]);
      expect(pages).toBeLessThan(100);
    });
  }
});
