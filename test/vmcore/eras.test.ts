// Synthetic dumps for what no real file here covers, written as ELF files and read back
// through openDump: the ringbuffer moved by log_buf_len= on a 5-level x86_64 machine, the
// ringbuffer on arm64 found through kimage_voffset, and a dynamically allocated printk_log
// buffer (4.x) in the direct map. Structures at the 6.1 VMCOREINFO offsets (builders/printk.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';
import { readPrintkLog, type LogEntry } from '../../src/vmcore/printk/index.js';
import { MapMemory, mapArm64, mapX86 } from '../builders/pagetables.js';
import { PRINTK_LOG_VMCOREINFO, RINGBUFFER_VMCOREINFO, START_KERNEL_MAP, writePrintkLog, writeRingbuffer, type SynthRecord } from '../builders/printk.js';
import { machineToElf } from '../builders/vmcore.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-eras-'));
const hex = (v: bigint) => v.toString(16);

const recs = (n: number): SynthRecord[] => Array.from({ length: n }, (_, k) => ({ text: `era line ${k}: ${'z'.repeat(k % 50)}`, tsNs: BigInt(k) * 3_000_000n + 7n, level: k % 8, caller: 1 + k }));

async function logOf(elf: Buffer, name: string): Promise<LogEntry[]> {
  const path = join(dir, name);
  writeFileSync(path, elf);
  const d = await openDump(path);
  try {
    const out: LogEntry[] = [];
    for await (const i of readPrintkLog(d)) {
      if (i.kind === 'gap') throw new Error(`unexpected gap ${JSON.stringify(i, (_k, v: unknown) => (typeof v === 'bigint' ? hex(v) : v))}`);
      out.push(i);
    }
    return out;
  } finally {
    await d.close();
  }
}

async function mapRange(map: (v: bigint, p: bigint) => Promise<void>, v: bigint, p: bigint, bytes: bigint) {
  for (let o = 0n; o < bytes; o += 4096n) await map(v + o, p + o);
}

describe('printk eras and paging modes no real dump here covers', () => {
  it('x86_64 5-level, KASLR phys_base: ringbuffer moved by log_buf_len= (descs, infos, text in the direct map)', async () => {
    const mem = new MapMemory();
    const physBase = 0x2e000000n;
    const top = 0xffffffffb5e10000n; // KASLR'd init_top_pgt
    const direct = 0xff11000000000000n; // 5-level page_offset_base
    const [descsP, infosP, dataP] = [0x70000000n, 0x70100000n, 0x70200000n];
    const map = (v: bigint, p: bigint) => mapX86(mem, top - START_KERNEL_MAP + physBase, v, p, 4096n, 5);
    await mapRange(map, direct + descsP, descsP, 1n << 16n);
    await mapRange(map, direct + infosP, infosP, 1n << 16n);
    await mapRange(map, direct + dataP, dataP, 1n << 15n);
    const at = (v: bigint) => (v >= START_KERNEL_MAP ? v - START_KERNEL_MAP + physBase : v - direct);
    const want = recs(400);
    const kept = writeRingbuffer(mem, {
      physBase, prbSym: 0xffffffffb5a643e0n, ringVaddr: 0xffffffffb5a65000n /* printk_rb_dynamic */,
      descsVaddr: direct + descsP, infosVaddr: direct + infosP, dataVaddr: direct + dataP, dataPaddr: dataP, countBits: 9, sizeBits: 15, imagePhys: at,
    }, want);
    expect(kept).toHaveLength(400);
    const log = await logOf(machineToElf(mem, {
      ...RINGBUFFER_VMCOREINFO, PAGESIZE: '4096', 'SYMBOL(prb)': 'ffffffffb5a643e0', 'SYMBOL(init_top_pgt)': hex(top),
      'NUMBER(phys_base)': physBase.toString(), 'NUMBER(pgtable_l5_enabled)': '1', KERNELOFFSET: '34800000',
    }), 'x86-5level');
    expect(log.map((e) => e.text)).toEqual(want.map((r) => r.text));
    expect(log.map((e) => e.tsNs)).toEqual(want.map((r) => r.tsNs));
    expect(log[77]!.caller).toBe('T78');
  });

  it('arm64 VA_BITS 48, 4K pages: ringbuffer in the kernel image, reached by walking swapper_pg_dir', async () => {
    const mem = new MapMemory(4096, 0x40000000n);
    const kimageVoffset = 0xffff800008000000n - 0x40200000n; // _text at VA 0xffff800008000000, PA 0x40200000
    const pgdSym = 0xffff80000a000000n;
    const pgd = pgdSym - kimageVoffset;
    const image = (v: bigint) => v - kimageVoffset;
    const map = (v: bigint, p: bigint) => mapArm64(mem, pgd, v, p, 4096n, 48);
    const L = { prbSym: 0xffff800009a00000n, ringVaddr: 0xffff800009a00100n, descsVaddr: 0xffff800009b00000n, infosVaddr: 0xffff800009c00000n, dataVaddr: 0xffff800009d00000n };
    for (const [v, bytes] of [[L.prbSym, 4096n], [L.descsVaddr, 256n * 24n], [L.infosVaddr, 256n * 88n], [L.dataVaddr, 1n << 14n]] as const) {
      await mapRange(map, v & ~4095n, image(v & ~4095n), bytes + 4095n);
    }
    const want = recs(150);
    writeRingbuffer(mem, { physBase: 0n, ...L, dataPaddr: image(L.dataVaddr), countBits: 8, sizeBits: 14, imagePhys: image }, want);
    const log = await logOf(machineToElf(mem, {
      ...RINGBUFFER_VMCOREINFO, PAGESIZE: '4096', 'SYMBOL(prb)': hex(L.prbSym), 'SYMBOL(swapper_pg_dir)': hex(pgdSym),
      'NUMBER(kimage_voffset)': `0x${hex(kimageVoffset)}`, 'NUMBER(VA_BITS)': '48', 'NUMBER(TCR_EL1_T1SZ)': '16',
    }, 183), 'arm64');
    expect(log.map((e) => e.text)).toEqual(want.map((r) => r.text));
    expect(log[5]!.level).toBe(5);
  });

  it('struct printk_log (3.5-5.9) in a log_buf_len= buffer: *log_buf points into the direct map', async () => {
    const mem = new MapMemory();
    const physBase = 0n;
    const top = 0xffffffff82a0a000n;
    const bufV = 0xffff888077a00000n; // memblock_alloc'd new_log_buf
    const bufP = 0x77a00000n;
    const len = 1 << 14;
    await mapRange((v, p) => mapX86(mem, top - START_KERNEL_MAP, v, p, 4096n, 4), bufV, bufP, BigInt(len));
    const syms = { log_buf: 0xffffffff82b00000n, log_buf_len: 0xffffffff82b00008n, log_first_idx: 0xffffffff82b00010n, log_next_idx: 0xffffffff82b00018n };
    const want = recs(120);
    writePrintkLog(mem, physBase, syms, bufV, len, want, 9000, bufP);
    const vmi: Record<string, string> = { ...PRINTK_LOG_VMCOREINFO, PAGESIZE: '4096', 'SYMBOL(init_top_pgt)': hex(top), 'NUMBER(phys_base)': '0' };
    for (const [k, v] of Object.entries(syms)) vmi[`SYMBOL(${k})`] = hex(v);
    const log = await logOf(machineToElf(mem, vmi), 'printk-log');
    expect(log.map((e) => e.text)).toEqual(want.map((r) => r.text));
    expect(log[3]).toMatchObject({ level: 3, tsNs: 9_000_007n, caller: 'T4' });
  });
});
