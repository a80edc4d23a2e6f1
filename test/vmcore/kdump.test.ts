// kdump-compressed header versions 1-6, zstd and LZO pages, and a page whose read fails
// with EIO (as the kernel refuses a poisoned page of /proc/vmcore).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readKdump } from '../../src/vmcore/kdump.js';
import { openDump } from '../../src/vmcore/open.js';
import type { ByteSource } from '../../src/vmcore/source.js';
import { PageUnavailable } from '../../src/vmcore/types.js';
import { buildElf, buildKdump, prstatusX86 } from '../builders/vmcore.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-kdump-test-'));
let n = 0;
const put = (b: Buffer) => { const p = join(dir, `k${n++}`); writeFileSync(p, b); return p; };
const page = (fill: number, text: string) => { const p = Buffer.alloc(4096, fill); p.write(text, 0, 'latin1'); return p; };
const VI = 'OSRELEASE=5.4.0-vi\nPAGESIZE=4096\nCRASHTIME=1700000100\n';
const pages = new Map([[3, page(0x41, 'three')], [40, page(0x42, 'forty')], [1000, page(0x43, 'a thousand')]]);

describe('kdump-compressed header versions', () => {
  for (const version of [1, 2, 3, 4, 5, 6]) {
    it(`version ${version}: pages; vmcoreinfo from 3, notes from 4`, async () => {
      const d = await openDump(put(buildKdump({ pages, maxPfn: 2048, compression: 'zlib', version, vmcoreinfo: VI, notes: [prstatusX86(9, 1n, 2n)], release: '5.4.0-hdr' })));
      try {
        expect(d.format).toBe('kdump');
        expect(Buffer.from(await d.phys.read(1000n * 4096n, 10)).toString()).toBe('a thousand');
        await expect(d.phys.read(4n * 4096n, 1)).rejects.toBeInstanceOf(PageUnavailable);
        expect(d.release).toBe(version >= 3 ? '5.4.0-vi' : '5.4.0-hdr'); // else the header's utsname
        expect(d.vmcoreinfo?.get('PAGESIZE')).toBe(version >= 3 ? '4096' : undefined);
        expect(d.cpus.map((c) => c.pid)).toEqual(version >= 4 ? [9] : []);
        expect(d.problems).toEqual([]);
      } finally {
        await d.close();
      }
    });
  }
});

describe('kdump-compressed page encodings', () => {
  it('zstd pages (DUMP_DH_COMPRESSED_ZSTD) decode through fzstd', async () => {
    const d = await openDump(put(buildKdump({ pages, maxPfn: 2048, compression: 'zstd', vmcoreinfo: VI })));
    try {
      expect(Buffer.from(await d.phys.read(40n * 4096n, 4096)).equals(pages.get(40)!)).toBe(true);
    } finally {
      await d.close();
    }
  });

  it('LZO pages that makedumpfile -l wrote decode to the zlib dump\'s pages', async () => {
    const lzoDir = join(import.meta.dirname, 'lzo-pages');
    const names = readdirSync(lzoDir).filter((f) => f.endsWith('.lzo'));
    const encoded = new Map(names.map((f) => [Number.parseInt(f.slice(4, -4), 16), { data: readFileSync(join(lzoDir, f)), flags: 0x2 }]));
    const d = await openDump(put(buildKdump({ pages: new Map(), encoded, maxPfn: 8192, compression: 'none', vmcoreinfo: VI })));
    try {
      expect(encoded.size).toBeGreaterThanOrEqual(5);
      for (const [pfn, f] of [...encoded.keys()].map((p, i) => [p, names[i]!] as const)) {
        const want = readFileSync(join(lzoDir, f.replace('.lzo', '.page')));
        expect(Buffer.from(await d.phys.read(BigInt(pfn) * 4096n, 4096)).equals(want)).toBe(true);
      }
    } finally {
      await d.close();
    }
  });
});

describe('a page that fails to read (EIO)', () => {
  it('is skipped as PageUnavailable io with a problem naming it; the others still read', async () => {
    const file = buildKdump({ pages, maxPfn: 2048, compression: 'none', vmcoreinfo: VI });
    // page data lies in pfn order after the descriptors: page 40's data is the 2nd block of 4096
    const descOff = 4096 * 2 + 4096 * 2;
    const bad = Number(file.readBigInt64LE(descOff + 24));
    let bytesRead = 0;
    const src: ByteSource = {
      path: 'poisoned.kdump', size: file.length, get bytesRead() { return bytesRead; },
      read: async (pos, len) => {
        if (pos < bad + 4096 && pos + len > bad) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        bytesRead += Math.min(len, file.length - pos);
        return file.subarray(pos, pos + len);
      },
    };
    const problems: { path: string; message: string }[] = [];
    const k = await readKdump(src, problems, []);
    const e = await k.phys.read(40n * 4096n + 8n, 8).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(PageUnavailable);
    expect((e as PageUnavailable).reason).toBe('io');
    expect(problems).toEqual([{ path: 'poisoned.kdump', message: 'page 0x28000: EIO; skipped' }]);
    expect(Buffer.from(await k.phys.read(3n * 4096n, 5)).toString()).toBe('three');
    expect(Buffer.from(await k.phys.read(1000n * 4096n, 10)).toString()).toBe('a thousand');
  });
});

describe('ELF e_phnum PN_XNUM', () => {
  for (const is64 of [true, false]) {
    it(`${is64 ? 64 : 32}-bit: the program header count comes from section header 0`, async () => {
      const segs = Array.from({ length: 40 }, (_, i) => ({ paddr: BigInt(i) * 0x10000n, data: page(i, `seg ${i}`) }));
      const d = await openDump(put(buildElf({ is64, segs, xnum: true })));
      try {
        expect(Buffer.from(await d.phys.read(39n * 0x10000n, 6)).toString()).toBe('seg 39');
      } finally {
        await d.close();
      }
    });
  }
});
