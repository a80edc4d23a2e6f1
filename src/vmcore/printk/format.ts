// vmcore-dmesg's line format: "[%5llu.%06llu] " then the text, bytes that are neither
// printable nor space as "\x%02x" (kexec-tools vmcore-dmesg.c; src/util/escape.ts), then "\n".
import type { LogItem } from './types.js';
import { escapeBytes } from '../../util/escape.js';

export function formatVmcoreDmesg(item: LogItem, opts: { caller?: boolean } = {}): string {
  if (item.kind === 'gap') return `[gap: ${item.length} bytes at 0x${item.vaddr.toString(16)} unreadable (${item.reason})]\n`;
  const sec = item.tsNs / 1_000_000_000n;
  const usec = (item.tsNs % 1_000_000_000n) / 1000n;
  // --caller: as the kernel prints it with CONFIG_PRINTK_CALLER, "[%6s]" after the time
  const caller = opts.caller && item.caller ? `[${item.caller.padStart(6)}]` : '';
  const out = `[${sec.toString().padStart(5)}.${usec.toString().padStart(6, '0')}]${caller} `;
  return `${out}${escapeBytes(item.bytes)}\n`;
}
