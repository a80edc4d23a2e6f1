// The lockless printk_ringbuffer (5.10+), read as kexec-tools vmcore-dmesg
// (dump_dmesg_lockless) and makedumpfile printk.c do: walk descriptor ids from tail_id to
// head_id; keep committed/finalized descriptors; text in the data ring at
// text_blk_lpos.begin (after the block's u64 id), wrapped blocks restart at 0.
// Layouts: kernel/printk/printk_ringbuffer.h, include/linux/dev_printk.h.
import type { DumpInfo } from '../types.js';
import { textFields, callerName, cString, off, size } from './fields.js';
import type { LogItem } from './types.js';
import { ArrayReader, LazyRegion, PrintkError, type VirtReader } from './virt.js';
import { startWork } from '../../input/work.js';

const DESC_FLAGS_SHIFT = 62n; // DESC_SV_BITS - 2
const DESC_ID_MASK = (1n << 62n) - 1n;
const DESC_COMMITTED = 1n;
const DESC_FINALIZED = 2n;
const MAX_COUNT_BITS = 24;
const MAX_DATA_BITS = 26;
const LOG_CONT = 8;
/** kernel/printk/printk_ringbuffer.h: average bytes per record, as a power of two. */
const PRB_AVGBITS = 5;

export async function* readRingbuffer(dump: DumpInfo, mem: VirtReader, prbSym: bigint, maxRecords: number): AsyncGenerator<LogItem> {
  const rb = await mem.u64(prbSym); // the pointer prb, not printk_rb_static (log_buf_len=)
  const descRing = rb + BigInt(off(dump, 'printk_ringbuffer.desc_ring'));
  const textRing = rb + BigInt(off(dump, 'printk_ringbuffer.text_data_ring'));
  const countBits = await mem.u32(descRing + BigInt(off(dump, 'prb_desc_ring.count_bits')));
  const descs = await mem.u64(descRing + BigInt(off(dump, 'prb_desc_ring.descs')));
  const infos = await mem.u64(descRing + BigInt(off(dump, 'prb_desc_ring.infos')));
  const headId = await mem.u64(descRing + BigInt(off(dump, 'prb_desc_ring.head_id')));
  const tailId = await mem.u64(descRing + BigInt(off(dump, 'prb_desc_ring.tail_id')));
  const sizeBits = await mem.u32(textRing + BigInt(off(dump, 'prb_data_ring.size_bits')));
  const data = await mem.u64(textRing + BigInt(off(dump, 'prb_data_ring.data')));
  if (countBits > MAX_COUNT_BITS || sizeBits > MAX_DATA_BITS) throw new PrintkError(`implausible ring sizes: count_bits ${countBits}, size_bits ${sizeBits}`);
  // The kernel gives the ring one descriptor per 2^PRB_AVGBITS (32) bytes of text
  // (kernel/printk/printk.c setup_log_buf: descs = log_buf_len >> PRB_AVGBITS; the static
  // ring likewise): more descriptors than that is a lie that would cost a read per slot.
  if (countBits > sizeBits - PRB_AVGBITS + 1) throw new PrintkError(`implausible ring sizes: ${2 ** countBits} descriptors for ${2 ** sizeBits} bytes of text (the kernel makes one per ${2 ** PRB_AVGBITS} bytes)`);

  const count = 1n << BigInt(countBits);
  const dataSize = 1 << sizeBits;
  const descSize = size(dump, 'prb_desc');
  const infoSize = size(dump, 'printk_info');
  const svOff = off(dump, 'prb_desc.state_var');
  const lposOff = off(dump, 'prb_desc.text_blk_lpos');
  const beginOff = lposOff + off(dump, 'prb_data_blk_lpos.begin');
  const nextOff = lposOff + off(dump, 'prb_data_blk_lpos.next');
  const seqOff = off(dump, 'printk_info.seq');
  const tsOff = off(dump, 'printk_info.ts_nsec');
  const lenOff = off(dump, 'printk_info.text_len');
  const callerOff = dump.vmcoreinfo?.has('OFFSET(printk_info.caller_id)') ? off(dump, 'printk_info.caller_id') : undefined;
  const devOff = dump.vmcoreinfo?.has('OFFSET(printk_info.dev_info)') ? off(dump, 'printk_info.dev_info') : undefined;
  const subOff = off(dump, 'dev_printk_info.subsystem', 0);
  const devNameOff = off(dump, 'dev_printk_info.device', 16);
  const subLen = Number(dump.vmcoreinfo?.get('LENGTH(printk_info_subsystem)') ?? 16);
  const devLen = Number(dump.vmcoreinfo?.get('LENGTH(printk_info_device)') ?? 48);

  // Every field read must lie inside its structure as VMCOREINFO sizes it: a SIZE() or
  // OFFSET() that lies is named here, not met as a DataView range error per record.
  fits('prb_desc', descSize, [[svOff, 8], [beginOff, 8], [nextOff, 8]]);
  fits('printk_info', infoSize, [[seqOff, 8], [tsOff, 8], [lenOff, 4],
    ...(callerOff === undefined ? [] : [[callerOff, 4] as const]),
    ...(devOff === undefined ? [] : [[devOff + subOff, subLen] as const, [devOff + devNameOff, devLen] as const])]);

  const ring = new LazyRegion(mem, data, dataSize);

  // ids tail..head; more than the ring holds means damage: read the newest `count`
  const head = headId & DESC_ID_MASK;
  let span = ((head - (tailId & DESC_ID_MASK)) & DESC_ID_MASK) + 1n;
  if (span > count) span = count;
  let id = (head - span + 1n) & DESC_ID_MASK;
  const descArr = new ArrayReader(mem, descs, descSize, count);
  const infoArr = new ArrayReader(mem, infos, infoSize, count);
  let lastGap: object | undefined;
  // The work is descriptors walked, of the span (src/input/work.ts; the command's meter
  // ends it if this generator is left early).
  const work = startWork(`reading the log in ${dump.path}`, Number(span), 'records');
  for (let n = 0n; n < span && n < BigInt(maxRecords); n++, id = (id + 1n) & DESC_ID_MASK) {
    if ((n & 0xffn) === 0n) work.at(Number(n));
    const slot = id % count;
    const d = await descArr.get(slot);
    const i = await infoArr.get(slot);
    const gap = d.gap ?? i.gap;
    if (gap) {
      if (gap !== lastGap) yield { kind: 'gap', ...gap }; // one item per unreadable run, not per slot
      lastGap = gap;
    } else {
      const dv = new DataView(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength);
      const iv = new DataView(i.bytes.buffer, i.bytes.byteOffset, i.bytes.byteLength);
      const state = (dv.getBigUint64(svOff, true) >> DESC_FLAGS_SHIFT) & 3n;
      if (state === DESC_COMMITTED || state === DESC_FINALIZED) {
        let textLen = iv.getUint16(lenOff, true);
        let begin = Number(dv.getBigUint64(beginOff, true) % BigInt(dataSize));
        const next = Number(dv.getBigUint64(nextOff, true) % BigInt(dataSize));
        let raw: Uint8Array = new Uint8Array(0);
        let truncated = false;
        if ((dv.getBigUint64(beginOff, true) & 1n) === 0n) {
          if (begin > next) begin = 0; // the block wrapped: it starts at the ring's beginning
          begin += 8; // the block's descriptor id
          if (next - begin < textLen) {
            textLen = Math.max(0, next - begin);
            truncated = true;
          }
          const t = await ring.get(begin, textLen);
          if (t.lost) truncated = true;
          raw = t.bytes;
          for (const g of ring.takeGaps()) yield { kind: 'gap', ...g };
        }
        const flagsLevel = iv.getUint8(lenOff + 3);
        const device = devOff === undefined ? undefined : {
          subsystem: cString(i.bytes.subarray(devOff + subOff, devOff + subOff + subLen)),
          device: cString(i.bytes.subarray(devOff + devNameOff, devOff + devNameOff + devLen)),
        };
        yield {
          kind: 'entry',
          seq: iv.getBigUint64(seqOff, true),
          tsNs: iv.getBigUint64(tsOff, true),
          facility: iv.getUint8(lenOff + 2),
          level: flagsLevel >> 5,
          cont: (flagsLevel & LOG_CONT) !== 0 || undefined,
          ...textFields(raw),
          caller: callerOff === undefined ? undefined : callerName(iv.getUint32(callerOff, true)),
          device: device && (device.subsystem || device.device) ? device : undefined,
          vaddr: d.vaddr,
          truncated: truncated || undefined,
        };
      }
    }
  }
  work.end();
}

function fits(struct: string, structSize: number, fields: readonly (readonly [number, number])[]): void {
  for (const [at, width] of fields) {
    if (at + width > structSize) throw new PrintkError(`VMCOREINFO SIZE(${struct})=${structSize} is smaller than a field it holds (${width} bytes at offset ${at})`);
  }
}
