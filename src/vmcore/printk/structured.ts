// struct printk_log records (3.5–5.9), as vmcore-dmesg dump_dmesg_structured reads them:
// from log_first_idx to log_next_idx in *log_buf (the pointer: log_buf_len= moves it),
// a zero len means "wrap to 0". Layout: kernel/printk/printk.c (struct printk_log).
import type { DumpInfo } from '../types.js';
import { symbol } from '../translate/types.js';
import { textFields, callerName, off, size } from './fields.js';
import type { LogItem } from './types.js';
import { LazyRegion, PrintkError, type VirtReader } from './virt.js';
import { checkLogBufLen } from './plain.js';
import { startWork } from '../../input/work.js';

const LOG_CONT = 8;

export async function* readPrintkLogRecords(dump: DumpInfo, mem: VirtReader, maxRecords: number): AsyncGenerator<LogItem> {
  const need = (n: string) => {
    const v = symbol(dump, n);
    if (v === undefined) throw new PrintkError(`VMCOREINFO has no SYMBOL(${n})`);
    return v;
  };
  const buf = await mem.u64(need('log_buf'));
  const len = await mem.u32(need('log_buf_len'));
  let idx = await mem.u32(need('log_first_idx'));
  const nextIdx = await mem.u32(need('log_next_idx'));
  checkLogBufLen(len);
  if (idx >= len || nextIdx >= len) throw new PrintkError(`log_first_idx ${idx} / log_next_idx ${nextIdx} outside the ${len}-byte log_buf`);
  // 3.5–3.10 called it `struct log` (renamed printk_log in 3.11, commit 62e32ac3505a)
  const s = dump.vmcoreinfo?.has('OFFSET(printk_log.ts_nsec)') ? 'printk_log' : 'log';
  const hdr = size(dump, s);
  const tsOff = off(dump, `${s}.ts_nsec`);
  const lenOff = off(dump, `${s}.len`);
  const textLenOff = off(dump, `${s}.text_len`);
  const callerOff = dump.vmcoreinfo?.has(`OFFSET(${s}.caller_id)`) ? off(dump, `${s}.caller_id`) : undefined;
  const r = new LazyRegion(mem, buf, len);
  let seq = 0n;
  let consumed = 0;
  // The work is bytes of records walked, of those from first to next (src/input/work.ts).
  const work = startWork(`reading the log in ${dump.path}`, nextIdx >= idx ? nextIdx - idx : len - idx + nextIdx, 'bytes');
  for (let n = 0; idx !== nextIdx && n < maxRecords; n++) {
    if ((n & 0xff) === 0) work.at(consumed);
    // no room for a header: the kernel wrapped here (log_store keeps a header's room, so
    // this is the zero-length record's place or damage; either way go on at 0)
    const head = idx + hdr > len ? undefined : await r.get(idx, hdr);
    for (const g of r.takeGaps()) yield { kind: 'gap', ...g };
    if (head?.lost) throw new PrintkError(`printk_log header at index ${idx} of log_buf is unreadable`);
    const v = head && new DataView(head.bytes.buffer, head.bytes.byteOffset, hdr);
    const recLen = v ? v.getUint16(lenOff, true) : 0;
    if (recLen === 0) {
      if (idx === 0) throw new PrintkError(`zero-length printk_log at index 0 of log_buf`);
      idx = 0;
      continue;
    }
    if (recLen < hdr || !v) throw new PrintkError(`printk_log at index ${idx}: len ${recLen} shorter than its header`);
    const textLen = Math.min(v.getUint16(textLenOff, true), len - idx - hdr);
    const flagsLevel = v.getUint8(textLenOff + 5);
    const text = await r.get(idx + hdr, textLen);
    for (const g of r.takeGaps()) yield { kind: 'gap', ...g };
    yield {
      kind: 'entry',
      seq: seq++,
      tsNs: v.getBigUint64(tsOff, true),
      facility: v.getUint8(textLenOff + 4),
      level: flagsLevel >> 5,
      cont: (flagsLevel & LOG_CONT) !== 0 || undefined,
      ...textFields(text.bytes),
      caller: callerOff === undefined ? undefined : callerName(v.getUint32(callerOff, true)),
      vaddr: buf + BigInt(idx),
      truncated: text.lost || undefined,
    };
    idx += recLen;
    consumed += recLen;
    // the records between first and next fill the buffer at most once
    if (consumed > len) throw new PrintkError(`log_next_idx ${nextIdx} not reached after a whole log_buf of records`);
    if (idx >= len) idx = 0;
  }
  work.end();
}
