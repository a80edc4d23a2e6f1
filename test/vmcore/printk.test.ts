import { describe, expect, it } from 'vitest';
import { formatVmcoreDmesg, readPrintkLog, type LogEntry, type LogItem } from '../../src/vmcore/printk/index.js';
import { dumpInfo, MapMemory, mapX86 } from '../builders/pagetables.js';
import { checkLogBufLen } from '../../src/vmcore/printk/plain.js';
import { PRINTK_LOG_VMCOREINFO, RINGBUFFER_VMCOREINFO, START_KERNEL_MAP, writePrintkLog, writeRingbuffer, type SynthRecord } from '../builders/printk.js';

const PHYS_BASE = -0x15000000n;
const TOP_PGT = 0xffffffffa3010000n;
const hex = (v: bigint) => v.toString(16);
const textPhys = (v: bigint) => v - START_KERNEL_MAP + PHYS_BASE;

async function collect(items: AsyncIterable<LogItem>) {
  const out: LogItem[] = [];
  for await (const i of items) out.push(i);
  return { entries: out.filter((i): i is LogEntry => i.kind === 'entry'), gaps: out.filter((i) => i.kind === 'gap'), all: out };
}

function records(n: number, long = 0): SynthRecord[] {
  return Array.from({ length: n }, (_, k) => ({
    text: `message ${k}${'x'.repeat((k * 7) % (long + 1))}`,
    tsNs: 1_000_000n * BigInt(k) + 123_456n,
    level: k % 8,
    facility: k % 3,
    caller: k % 2 ? 0x80000000 | (k % 4) : 100 + k,
  }));
}

/** x86_64 machine, 4-level, dynamically allocated data ring in the direct map (walked). */
async function ringMachine(recs: SynthRecord[], countBits: number, sizeBits: number) {
  const mem = new MapMemory();
  const dataVaddr = 0xffff89dc6f200000n;
  const dataPaddr = 0x6f200000n;
  for (let o = 0n; o < 1n << BigInt(sizeBits); o += 4096n) await mapX86(mem, textPhys(TOP_PGT), dataVaddr + o, dataPaddr + o, 4096n, 4);
  const kept = writeRingbuffer(mem, {
    physBase: PHYS_BASE, prbSym: 0xffffffffa30643e0n, ringVaddr: 0xffffffffa3064400n,
    descsVaddr: 0xffffffffa3070000n, infosVaddr: 0xffffffffa3080000n, dataVaddr, dataPaddr, countBits, sizeBits,
  }, recs);
  const info = dumpInfo('x86_64', mem, {
    ...RINGBUFFER_VMCOREINFO, 'SYMBOL(prb)': 'ffffffffa30643e0', 'SYMBOL(init_top_pgt)': hex(TOP_PGT),
    'NUMBER(phys_base)': PHYS_BASE.toString(), 'NUMBER(pgtable_l5_enabled)': '0',
  });
  return { mem, info, kept, dataPaddr };
}

describe('lockless printk_ringbuffer (5.10+)', () => {
  it('reads every record with caller id and level, in order', async () => {
    const recs = records(20);
    recs[3]!.dev = { subsystem: 'pci', device: '+pci:0000:00:02.0' };
    const { info } = await ringMachine(recs, 5, 12);
    const { entries, gaps } = await collect(readPrintkLog(info));
    expect(gaps).toEqual([]);
    expect(entries.map((e) => e.text)).toEqual(recs.map((r) => r.text));
    expect(entries[1]!.caller).toBe('C1');
    expect(entries[2]!.caller).toBe('T102');
    expect(entries[5]!.level).toBe(5);
    expect(entries[3]!.device).toEqual({ subsystem: 'pci', device: '+pci:0000:00:02.0' });
    expect(formatVmcoreDmesg(entries[2]!)).toBe('[    0.002123] message 2\n');
    expect(formatVmcoreDmesg(entries[2]!, { caller: true })).toBe('[    0.002123][  T102] message 2\n');
  });

  it('follows wrapped data blocks and skips reused descriptors', async () => {
    const { info, kept } = await ringMachine(records(300, 40), 6, 12);
    const { entries } = await collect(readPrintkLog(info));
    expect(kept.length).toBeLessThan(300);
    expect(entries.map((e) => e.text)).toEqual(kept.map((r) => r.text));
    expect(entries[entries.length - 1]!.text).toMatch(/^message 299/);
  });

  it('escapes non-printable bytes as vmcore-dmesg does and keeps newlines', async () => {
    const recs: SynthRecord[] = [{ text: new Uint8Array([0x61, 0x01, 0x0a, 0x62, 0xc3, 0xa9]), tsNs: 5_000_000_001n }];
    const { info } = await ringMachine(recs, 4, 12);
    const { entries } = await collect(readPrintkLog(info));
    expect(formatVmcoreDmesg(entries[0]!)).toBe('[    5.000000] a\\x01\nb\\xc3\\xa9\n');
    expect(entries[0]!.text).toBe('a\u0001\nbé');
  });

  it('marks an unreadable log page as a gap and reads the rest', async () => {
    const { info, mem, dataPaddr } = await ringMachine(records(200, 30), 8, 14);
    mem.unreadable.add(dataPaddr / 4096n);
    const { entries, gaps } = await collect(readPrintkLog(info));
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ kind: 'gap', length: 4096, reason: 'io' });
    const intact = entries.filter((e) => !e.truncated);
    expect(intact.length).toBeGreaterThan(50);
    expect(entries.filter((e) => e.truncated).length).toBeGreaterThan(0);
    expect(entries[entries.length - 1]!.text).toMatch(/^message 199/);
  });

  it('reads only the log pages and page tables', async () => {
    const { info, mem } = await ringMachine(records(10), 4, 13);
    await collect(readPrintkLog(info));
    expect(mem.touched.size).toBeLessThanOrEqual(3 + 2 + 4); // text-map pages, data ring, tables
  });
});

describe('a log buffer whose length lies (issue 16)', () => {
  it('log_buf_len must be a power of two, as the kernel makes it', () => {
    expect(() => checkLogBufLen(1 << 17)).not.toThrow();
    expect(() => checkLogBufLen((64 << 20) + 4096)).toThrow(/implausible log_buf_len 67112960/);
    expect(() => checkLogBufLen(0)).toThrow(/implausible/);
  });
});

describe('a ring whose sizes lie (issue 16)', () => {
  it('more descriptors than the kernel gives its text ring (one per 32 bytes) is refused before a slot is read', async () => {
    const { info } = await ringMachine(records(4), 12, 12);
    await expect(collect(readPrintkLog(info))).rejects.toThrow(/implausible ring sizes: 4096 descriptors for 4096 bytes of text/);
  });
});

describe('struct printk_log records (3.5–5.9)', () => {
  const syms = { log_buf: 0xffffffffa3100000n, log_buf_len: 0xffffffffa3100008n, log_first_idx: 0xffffffffa3100010n, log_next_idx: 0xffffffffa3100018n };
  async function machine(recs: SynthRecord[], bufLen: number, start: number) {
    const mem = new MapMemory();
    const bufVaddr = 0xffffffffa3200000n; // static __log_buf
    writePrintkLog(mem, PHYS_BASE, syms, bufVaddr, bufLen, recs, start);
    const vmi: Record<string, string> = { ...PRINTK_LOG_VMCOREINFO, 'NUMBER(phys_base)': PHYS_BASE.toString() };
    for (const [k, v] of Object.entries(syms)) vmi[`SYMBOL(${k})`] = hex(v);
    return dumpInfo('x86_64', mem, vmi);
  }
  it('reads records across the zero-length wrap record', async () => {
    const recs = records(30, 20);
    const info = await machine(recs, 2048, 1200);
    const { entries } = await collect(readPrintkLog(info));
    expect(entries.map((e) => e.text)).toEqual(recs.map((r) => r.text));
    expect(entries[7]!.caller).toBe('C3');
    expect(entries[4]!.level).toBe(4);
    expect(entries[4]!.tsNs).toBe(4_123_456n);
  });
  it('reads 3.5–3.10 dumps, where the struct is called `log`', async () => {
    const recs = records(5);
    const info = await machine(recs, 2048, 0);
    for (const [k, v] of Object.entries(PRINTK_LOG_VMCOREINFO)) {
      info.vmcoreinfo!.delete(k);
      if (!k.includes('caller_id')) info.vmcoreinfo!.set(k.replace('printk_log', 'log'), v);
    }
    const { entries } = await collect(readPrintkLog(info));
    expect(entries.map((e) => e.text)).toEqual(recs.map((r) => r.text));
    expect(entries[1]!.caller).toBeUndefined();
  });
});

describe('plain text log_buf (< 3.5)', () => {
  it('reads a wrapped buffer from log_end', async () => {
    const mem = new MapMemory();
    const text = new TextEncoder().encode('<6>[    1.000000] first\n<4>[    2.500000] second\n');
    const len = 64;
    const end = 80; // wrapped: oldest byte at 80 % 64
    const buf = new Uint8Array(len);
    const full = new Uint8Array(end);
    full.set(text.subarray(text.length - end < 0 ? 0 : text.length - end), end - Math.min(end, text.length));
    for (let k = 0; k < end; k++) buf[k % len] = full[k]!;
    const bufV = 0xffffffffa5a00000n;
    mem.write(textPhys(bufV), buf);
    mem.u64(textPhys(0xffffffffa5900000n), bufV);
    mem.u64(textPhys(0xffffffffa5900008n), BigInt(len));
    mem.u64(textPhys(0xffffffffa5900010n), BigInt(end));
    const info = dumpInfo('x86_64', mem, {
      'SYMBOL(log_buf)': 'ffffffffa5900000', 'SYMBOL(log_buf_len)': 'ffffffffa5900008', 'SYMBOL(log_end)': 'ffffffffa5900010',
      'NUMBER(phys_base)': PHYS_BASE.toString(),
    });
    const { entries } = await collect(readPrintkLog(info));
    const last = entries[entries.length - 1]!;
    expect(last).toMatchObject({ text: 'second', level: 4, tsNs: 2_500_000_000n });
  });
});
