// Seeds for the fuzz campaign's printk lies (scripts/fuzz/structure/ring.ts): a small x86_64
// ELF vmcore for each printk era, each holding a real log the reader gives back:
// the lockless ringbuffer (5.10+), struct printk_log records (3.5-5.9) and the plain text
// buffer (< 3.5). The real 6.1 dumps of the corpus have only the first. Written to
// fixtures/vmcore/synthetic/ with WRITE_FIXTURES=1; otherwise the stored files must be what
// the builders make, and must read back.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import { readPrintkLog } from '../../src/vmcore/printk/index.js';
import { MapMemory, mapX86 } from '../builders/pagetables.js';
import { PRINTK_LOG_VMCOREINFO, RINGBUFFER_VMCOREINFO, START_KERNEL_MAP, writePrintkLog, writeRingbuffer, type SynthRecord } from '../builders/printk.js';
import { machineToElf } from '../builders/vmcore.js';
import { fixture } from '../corpus.js';

const hex = (v: bigint) => v.toString(16);
const TOP = 0xffffffff82a0a000n; // init_top_pgt, no KASLR
const lines = (n: number): SynthRecord[] => Array.from({ length: n }, (_, k) => ({ text: k === n - 1 ? 'Kernel panic - not syncing: sysrq triggered crash' : `era seed line ${k}`, tsNs: BigInt(k) * 1_000_000n + 1n, level: k === n - 1 ? 0 : 6, caller: 1 + k }));
const base = (): Record<string, string> => ({ OSRELEASE: '6.1.0-fuzz', PAGESIZE: '4096', 'SYMBOL(init_top_pgt)': hex(TOP), 'NUMBER(phys_base)': '0', 'BUILD-ID': 'ab'.repeat(20), CRASHTIME: '1795375091' });

async function mapRange(mem: MapMemory, v: bigint, p: bigint, bytes: bigint): Promise<void> {
  for (let o = 0n; o < bytes; o += 4096n) await mapX86(mem, TOP - START_KERNEL_MAP, v + o, p + o, 4096n, 4);
}

const seeds: Record<string, () => Promise<Buffer>> = {
  'vmcore.ringbuffer.elf': async () => {
    const mem = new MapMemory();
    const L = { physBase: 0n, prbSym: 0xffffffff82b643e0n, ringVaddr: 0xffffffff82b64400n, descsVaddr: 0xffffffff82c00000n, infosVaddr: 0xffffffff82c10000n, dataVaddr: 0xffffffff82d00000n, dataPaddr: 0x2d00000n, countBits: 7, sizeBits: 12 };
    for (const [v, n] of [[L.prbSym & ~4095n, 8192n], [L.descsVaddr, 128n * 24n], [L.infosVaddr, 128n * 88n], [L.dataVaddr, 1n << 12n]] as const) await mapRange(mem, v, v - START_KERNEL_MAP, n);
    writeRingbuffer(mem, L, lines(60));
    return machineToElf(mem, { ...base(), ...RINGBUFFER_VMCOREINFO, 'SYMBOL(prb)': hex(L.prbSym) });
  },
  'vmcore.printk_log.elf': async () => {
    const mem = new MapMemory();
    const syms = { log_buf: 0xffffffff82b00000n, log_buf_len: 0xffffffff82b00008n, log_first_idx: 0xffffffff82b00010n, log_next_idx: 0xffffffff82b00018n };
    const buf = 0xffffffff82c00000n;
    await mapRange(mem, syms.log_buf, syms.log_buf - START_KERNEL_MAP, 4096n);
    await mapRange(mem, buf, buf - START_KERNEL_MAP, 4096n);
    writePrintkLog(mem, 0n, syms, buf, 4096, lines(60), 1000);
    const vmi: Record<string, string> = { ...base(), ...PRINTK_LOG_VMCOREINFO };
    for (const [k, v] of Object.entries(syms)) vmi[`SYMBOL(${k})`] = hex(v);
    return machineToElf(mem, vmi);
  },
  'vmcore.plain.elf': async () => {
    // < 3.5: *log_buf holds "<6>[ ts] text\n" lines, log_end counts bytes ever written (printk.c).
    const mem = new MapMemory();
    const syms = { log_buf: 0xffffffff82b00000n, log_buf_len: 0xffffffff82b00008n, log_end: 0xffffffff82b00010n };
    const buf = 0xffffffff82c00000n;
    const len = 4096;
    await mapRange(mem, syms.log_buf, syms.log_buf - START_KERNEL_MAP, 4096n);
    await mapRange(mem, buf, buf - START_KERNEL_MAP, BigInt(len));
    const text = Buffer.from(lines(60).map((r) => `<${r.level}>[${(Number(r.tsNs) / 1e9).toFixed(6).padStart(12)}] ${String(r.text)}\n`).join(''));
    const end = text.length; // more than log_buf_len: the buffer wrapped
    const ring = Buffer.alloc(len);
    for (let i = 0; i < end; i++) ring[i % len] = text[i]!;
    mem.write(buf - START_KERNEL_MAP, ring);
    mem.u64(syms.log_buf - START_KERNEL_MAP, buf);
    mem.u64(syms.log_buf_len - START_KERNEL_MAP, BigInt(len));
    mem.u64(syms.log_end - START_KERNEL_MAP, BigInt(end));
    const vmi: Record<string, string> = base();
    for (const [k, v] of Object.entries(syms)) vmi[`SYMBOL(${k})`] = hex(v);
    return machineToElf(mem, vmi);
  },
};

describe('the fuzz campaign\'s printk era seeds', () => {
  it.each(Object.keys(seeds))('%s is what its builder makes, and its log reads back to the panic', async (name) => {
    const made = await seeds[name]!();
    const path = fixture('vmcore', 'synthetic', name);
    if (process.env.WRITE_FIXTURES === '1') writeFileSync(path, made);
    expect(existsSync(path), `${path}: run with WRITE_FIXTURES=1 to write it`).toBe(true);
    expect(readFileSync(path).equals(made)).toBe(true);
    const d = await openDump(path);
    try {
      const texts: string[] = [];
      for await (const i of readPrintkLog(d)) if (i.kind === 'entry') texts.push(i.text);
      expect(texts.length).toBeGreaterThan(20);
      expect(texts[texts.length - 1]).toBe('Kernel panic - not syncing: sysrq triggered crash');
    } finally {
      await d.close();
    }
  });
});

