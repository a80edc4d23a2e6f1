// readPrintkLog(dump): the kernel log of a dump, era picked from VMCOREINFO (never by
// version, as drgn does): SYMBOL(prb) → lockless ringbuffer; SYMBOL(log_buf) with
// printk_log offsets → structured records; SYMBOL(log_buf) alone → plain text.
import type { DumpInfo } from '../types.js';
import { symbol } from '../translate/types.js';
import { readPlainLog } from './plain.js';
import { readRingbuffer } from './ringbuffer.js';
import { readPrintkLogRecords } from './structured.js';
import type { LogItem, PrintkEra, PrintkOptions } from './types.js';
import { PoisonWatch } from './mce.js';
import { PrintkError, VirtReader } from './virt.js';

export type { LogEntry, LogGap, LogItem, PrintkEra, PrintkOptions } from './types.js';
export { formatVmcoreDmesg } from './format.js';
export { PrintkError } from './virt.js';

export const MAX_RECORDS = 1 << 22;

export function printkEra(dump: DumpInfo): PrintkEra | undefined {
  if (symbol(dump, 'prb') !== undefined) return 'ringbuffer';
  if (symbol(dump, 'log_buf') === undefined) return undefined;
  return dump.vmcoreinfo?.has('OFFSET(printk_log.ts_nsec)') || dump.vmcoreinfo?.has('OFFSET(log.ts_nsec)') ? 'printk_log' : 'plain';
}

export async function* readPrintkLog(dump: DumpInfo, opts: PrintkOptions = {}): AsyncGenerator<LogItem> {
  const era = printkEra(dump);
  if (!era) throw new PrintkError('VMCOREINFO has neither SYMBOL(prb) nor SYMBOL(log_buf)');
  const mem = new VirtReader(dump);
  const max = opts.maxRecords ?? MAX_RECORDS;
  const items = era === 'ringbuffer' ? readRingbuffer(dump, mem, symbol(dump, 'prb')!, max)
    : era === 'printk_log' ? readPrintkLogRecords(dump, mem, max)
    : readPlainLog(dump, mem, max);
  // Pages the log says are poisoned are put off limits before the next record is read.
  const poison = new PoisonWatch(dump);
  for await (const item of items) {
    yield item;
    if (item.kind === 'entry') poison.line(item.text);
  }
}
