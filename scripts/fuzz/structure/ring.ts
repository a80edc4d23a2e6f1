// The kernel log inside an ELF vmcore, lied about in the dumped memory itself: the printk
// ring's count_bits and size_bits (descriptor counts, text size), its head and tail ids,
// a descriptor's text positions, a record's text_len and time (5.10+,
// kernel/printk/printk_ringbuffer.h); log_buf_len, log_first_idx, log_next_idx and a
// record's len (3.5-5.9, struct printk_log); log_buf_len and log_end of the plain buffer.
// Where each field lives in the file is found with crashlog's own reader (VMCOREINFO,
// page tables) and the dump's PT_LOADs; an ELF keeps memory as it was, so a lie is a
// positioned write.
import { openDump } from '../../../src/vmcore/open.js';
import { printkEra } from '../../../src/vmcore/printk/index.js';
import { makeTranslator } from '../../../src/vmcore/translate/index.js';
import { symbol } from '../../../src/vmcore/translate/types.js';
import type { DumpInfo } from '../../../src/vmcore/types.js';
import { VirtReader } from '../../../src/vmcore/printk/virt.js';
import { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU16, lieU32, lieU64 } from './lies.js';
import { readPhdrs } from './elf.js';
import type { StructureMutator } from './types.js';

interface Field { name: string; at: number; width: 2 | 4 | 8; value: bigint; bounds: bigint[] }

const PT_LOAD = 1;
/** Descriptor slots besides the head's whose fields are lied about. */
const SLOTS = 4;
/** Fields of each seed, found once (the seed is put back after every case). */
const cache = new Map<string, Field[]>();

async function fieldsOf(path: string): Promise<Field[]> {
  const dump = await openDump(path).catch(() => undefined);
  if (!dump) return [];
  const out: Field[] = [];
  try {
    if (dump.format !== 'elf64' && dump.format !== 'elf32') return [];
    const loads = readPhdrs(new FileEdit(path))?.list.filter((p) => p.type === PT_LOAD) ?? [];
    const t = makeTranslator(dump);
    const mem = new VirtReader(dump);
    const fileAt = async (vaddr: bigint): Promise<number | undefined> => {
      const p = await t.toPhys(vaddr).catch(() => undefined);
      const seg = p === undefined ? undefined : loads.find((s) => s.paddr <= p && p < s.paddr + s.filesz);
      return seg && p !== undefined ? Number(seg.offset + (p - seg.paddr)) : undefined;
    };
    const add = async (name: string, vaddr: bigint, width: 2 | 4 | 8, bounds: bigint[] = []) => {
      const at = await fileAt(vaddr);
      if (at === undefined) return;
      const value = width === 8 ? await mem.u64(vaddr) : width === 4 ? BigInt(await mem.u32(vaddr)) : BigInt((await mem.u32(vaddr)) & 0xffff);
      out.push({ name, at, width, value, bounds });
    };
    const era = printkEra(dump);
    if (era === 'ringbuffer') await ringFields(dump, mem, add);
    else if (era) await logBufFields(dump, mem, era, add);
  } catch {
    // A seed whose log cannot be walked gives the fields found so far.
  } finally {
    await dump.close();
  }
  return out;
}

type Add = (name: string, vaddr: bigint, width: 2 | 4 | 8, bounds?: bigint[]) => Promise<void>;
const num = (d: DumpInfo, key: string) => BigInt(d.vmcoreinfo?.get(key) ?? '0');

async function ringFields(d: DumpInfo, mem: VirtReader, add: Add): Promise<void> {
  const prb = symbol(d, 'prb')!;
  await add('prb', prb, 8);
  const rb = await mem.u64(prb);
  const desc = rb + num(d, 'OFFSET(printk_ringbuffer.desc_ring)');
  const text = rb + num(d, 'OFFSET(printk_ringbuffer.text_data_ring)');
  const o = (k: string) => num(d, `OFFSET(${k})`);
  await add('desc_ring.count_bits', desc + o('prb_desc_ring.count_bits'), 4, [24n, 25n, 31n, 32n, 63n]);
  await add('desc_ring.descs', desc + o('prb_desc_ring.descs'), 8);
  await add('desc_ring.infos', desc + o('prb_desc_ring.infos'), 8);
  await add('desc_ring.head_id', desc + o('prb_desc_ring.head_id'), 8);
  await add('desc_ring.tail_id', desc + o('prb_desc_ring.tail_id'), 8);
  await add('text_data_ring.size_bits', text + o('prb_data_ring.size_bits'), 4, [26n, 27n, 31n, 32n]);
  await add('text_data_ring.data', text + o('prb_data_ring.data'), 8);
  const countBits = BigInt(await mem.u32(desc + o('prb_desc_ring.count_bits')));
  const count = 1n << (countBits > 24n ? 24n : countBits);
  const descs = await mem.u64(desc + o('prb_desc_ring.descs'));
  const infos = await mem.u64(desc + o('prb_desc_ring.infos'));
  const head = (await mem.u64(desc + o('prb_desc_ring.head_id'))) & ((1n << 62n) - 1n);
  const descSize = num(d, 'SIZE(prb_desc)');
  const infoSize = num(d, 'SIZE(printk_info)');
  const lpos = o('prb_desc.text_blk_lpos');
  for (let k = 0n; k <= BigInt(SLOTS); k++) {
    const slot = (head - k * 7n + count) % count;
    const dv = descs + slot * descSize;
    const iv = infos + slot * infoSize;
    await add(`desc[${slot}].state_var`, dv + o('prb_desc.state_var'), 8);
    await add(`desc[${slot}].begin`, dv + lpos + o('prb_data_blk_lpos.begin'), 8);
    await add(`desc[${slot}].next`, dv + lpos + o('prb_data_blk_lpos.next'), 8);
    await add(`info[${slot}].text_len`, iv + o('printk_info.text_len'), 2, [0xffffn, 0x8000n]);
    await add(`info[${slot}].ts_nsec`, iv + o('printk_info.ts_nsec'), 8);
    await add(`info[${slot}].seq`, iv + o('printk_info.seq'), 8);
  }
}

async function logBufFields(d: DumpInfo, mem: VirtReader, era: 'printk_log' | 'plain', add: Add): Promise<void> {
  const sym = (n: string) => symbol(d, n);
  const s = (n: string) => sym(n) ?? 0n;
  await add('log_buf', s('log_buf'), 8);
  await add('log_buf_len', s('log_buf_len'), 4, [1n << 25n, 1n << 26n, (1n << 26n) + 1n, 64n << 20n, 3n]);
  if (era === 'plain') {
    await add('log_end', s('log_end'), 4);
    return;
  }
  await add('log_first_idx', s('log_first_idx'), 4);
  await add('log_next_idx', s('log_next_idx'), 4);
  const st = d.vmcoreinfo?.has('OFFSET(printk_log.len)') ? 'printk_log' : 'log';
  const buf = await mem.u64(s('log_buf'));
  const first = BigInt(await mem.u32(s('log_first_idx')));
  await add('first record len', buf + first + num(d, `OFFSET(${st}.len)`), 2, [0n, 1n, 0xffffn]);
  await add('first record text_len', buf + first + num(d, `OFFSET(${st}.text_len)`), 2, [0xffffn]);
  await add('first record ts_nsec', buf + first + num(d, `OFFSET(${st}.ts_nsec)`), 8);
}

export const ring: StructureMutator = {
  id: 'printk-ring',
  scope: 'file',
  weight: 3,
  fits: (_path, head) => head.length >= 20 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46 && head[16] === 4,
  async mutate({ edit, rng, seed }) {
    if (!edit) return undefined;
    let fields = cache.get(seed);
    // Learnt from the seed as it is: not while this case has it changed (a large seed is changed in place).
    if (!fields && edit.done.length > 0) return undefined;
    if (!fields) cache.set(seed, (fields = await fieldsOf(seed)));
    if (!fields.length) return undefined;
    const f = rng.pick(fields);
    const v = f.width === 8 ? lieU64(rng, f.value, f.bounds) : BigInt(f.width === 4 ? lieU32(rng, Number(f.value), f.bounds.map(Number)) : lieU16(rng, Number(f.value), f.bounds.map(Number)));
    if (f.width === 8) edit.u64(f.at, v);
    else if (f.width === 4) edit.u32(f.at, Number(v));
    else edit.u16(f.at, Number(v));
    return `printk ${f.name} ${f.value} -> ${v} (file offset 0x${f.at.toString(16)})`;
  },
};
