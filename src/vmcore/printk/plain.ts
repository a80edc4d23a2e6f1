// Plain-text log_buf (< 3.5), as vmcore-dmesg dump_dmesg_legacy: *log_buf, log_buf_len,
// log_end; once log_end passed log_buf_len the ring starts at log_end % log_buf_len.
import type { DumpInfo } from '../types.js';
import { symbol } from '../translate/types.js';
import { parseLine } from '../../kmsg/line.js';
import { textFields } from './fields.js';
import type { LogItem } from './types.js';
import { PrintkError, type VirtReader } from './virt.js';

/**
 * log_buf_len is a power of two (kernel/printk/printk.c: __LOG_BUF_LEN is 1 << LOG_BUF_SHIFT,
 * and log_buf_len= is rounded up with roundup_pow_of_two): anything else is a lie, and
 * reading it would cost as many bytes as it claims.
 */
export function checkLogBufLen(len: number): void {
  if (len === 0 || (len & (len - 1)) !== 0) throw new PrintkError(`implausible log_buf_len ${len}: the kernel's is a power of two`);
}

export async function* readPlainLog(dump: DumpInfo, mem: VirtReader, maxRecords: number): AsyncGenerator<LogItem> {
  const sym = (n: string) => symbol(dump, n) ?? (() => { throw new PrintkError(`VMCOREINFO has no SYMBOL(${n})`); })();
  const buf = await mem.u64(sym('log_buf'));
  const len = await mem.u32(sym('log_buf_len'));
  const end = await mem.u32(sym('log_end'));
  checkLogBufLen(len);
  const r = await mem.region(buf, len);
  for (const g of r.gaps) yield { kind: 'gap', ...g };
  // Never spread a buffer into an array literal: 64 MiB of bytes became gigabytes of JS values.
  const bytes = end < len ? r.bytes.subarray(0, end) : Buffer.concat([r.bytes.subarray(end % len), r.bytes.subarray(0, end % len)]);
  let seq = 0n;
  for (let start = 0; start < bytes.length && seq < BigInt(maxRecords); ) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    start = end + 1;
    const p = parseLine(new TextDecoder('latin1').decode(line));
    // the "<6>[ ts ] " prefix is ASCII, so the text's bytes are the line's tail
    const text = line.subarray(line.length - p.text.length);
    yield { kind: 'entry', seq: seq++, tsNs: p.tsNs ?? 0n, level: p.level ?? 4, facility: p.facility ?? 0, ...textFields(text), vaddr: buf };
  }
}
