// Pages the dump's own log reports as poisoned (uncorrected machine checks) are never read
// after the report; corrected errors change nothing.
import { describe, expect, it } from 'vitest';
import { readPrintkLog, type LogItem } from '../../src/vmcore/printk/index.js';
import { PoisonWatch } from '../../src/vmcore/printk/mce.js';
import { dumpInfo, MapMemory, mapX86 } from '../builders/pagetables.js';
import { RINGBUFFER_VMCOREINFO, START_KERNEL_MAP, writeRingbuffer, type SynthRecord } from '../builders/printk.js';

const PHYS_BASE = 0x1000000n;
const TOP = 0xffffffff82010000n;
const DATA_V = 0xffff888040000000n;
const DATA_P = 0x40000000n;
const hex = (v: bigint) => v.toString(16);

async function machine(recs: SynthRecord[]) {
  const mem = new MapMemory();
  for (let o = 0n; o < 1n << 14n; o += 4096n) await mapX86(mem, TOP - START_KERNEL_MAP + PHYS_BASE, DATA_V + o, DATA_P + o, 4096n, 4);
  writeRingbuffer(mem, { physBase: PHYS_BASE, prbSym: 0xffffffff82a00000n, ringVaddr: 0xffffffff82a00100n, descsVaddr: 0xffffffff82b00000n,
    infosVaddr: 0xffffffff82c00000n, dataVaddr: DATA_V, dataPaddr: DATA_P, countBits: 8, sizeBits: 14 }, recs);
  const info = dumpInfo('x86_64', mem, { ...RINGBUFFER_VMCOREINFO, 'SYMBOL(prb)': 'ffffffff82a00000', 'SYMBOL(init_top_pgt)': hex(TOP), 'NUMBER(phys_base)': PHYS_BASE.toString() });
  return { mem, info };
}

const line = (k: number): SynthRecord => ({ text: `record ${k} ${'p'.repeat(56)}`, tsNs: BigInt(k) * 1000n });

describe('poisoned pages named by the log', () => {
  it('an uncorrected MCE address in the log puts its page off limits before later records are read', async () => {
    const recs = Array.from({ length: 190 }, (_, k) => line(k));
    recs[10] = { text: 'mce: [Hardware Error]: CPU 0: Machine Check: 0 Bank 8: 9c0000400001009f', tsNs: 10_000n }; // corrected
    recs[11] = { text: `mce: [Hardware Error]: TSC 0 ADDR ${hex(DATA_P + 0x2000n)} MISC 8c`, tsNs: 11_000n };
    recs[12] = { text: 'mce: [Hardware Error]: CPU 1: Machine Check Exception: 4 Bank 8: be0000000001009f', tsNs: 12_000n }; // UC|PCC
    recs[13] = { text: `mce: [Hardware Error]: TSC a3e072df6 ADDR ${hex(DATA_P + 0x3123n)} MISC 8c`, tsNs: 13_000n };
    const { mem, info } = await machine(recs);
    const items: LogItem[] = [];
    for await (const i of readPrintkLog(info)) items.push(i);
    expect(mem.touched.has(DATA_P / 4096n + 2n)).toBe(true); // the corrected error's page is read
    expect(mem.touched.has(DATA_P / 4096n + 3n)).toBe(false); // the fatal one's never
    expect(items.filter((i) => i.kind === 'gap')).toEqual([{ kind: 'gap', vaddr: DATA_V + 0x3000n, paddr: DATA_P + 0x3000n, length: 4096, reason: 'avoided' }]);
    expect(info.problems.map((p) => p.message)).toEqual([`not reading physical page 0x${hex(DATA_P + 0x3000n)}: the log reports an uncorrected memory error at 0x${hex(DATA_P + 0x3123n)}`]);
    const entries = items.filter((i) => i.kind === 'entry');
    expect(entries).toHaveLength(190);
    expect(entries.filter((e) => e.truncated).length).toBeGreaterThan(0);
    expect(entries[100]!.text).toBe(recs[100]!.text);
  });

  it('reads the other reports of poisoned memory: user-access MCE, memory_failure()', () => {
    const { info } = { info: dumpInfo('x86_64', new MapMemory(), {}) };
    const w = new PoisonWatch(info);
    expect(w.line('mce: Uncorrected hardware memory error in user-access at 3f2e41000')).toEqual([0x3f2e41000n]);
    expect(w.line('Memory failure: 0x12345: recovery action for dirty LRU page: Recovered')).toEqual([0x12345000n]);
    expect(w.line('Memory failure: 0x12345: already hardware poisoned')).toEqual([]); // already off limits
    expect(w.line('mce: [Hardware Error]: TSC 0 ADDR 777000 MISC 8c')).toEqual([]); // no uncorrected bank line before it
    expect(info.phys.avoid(0x12345000n)).toBe(false); // it is off limits already
  });
});
