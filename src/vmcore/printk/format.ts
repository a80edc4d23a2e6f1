// vmcore-dmesg's line format: "[%5llu.%06llu] " then the text, bytes that are neither
// printable nor space as "\x%02x" (kexec-tools vmcore-dmesg.c), then "\n".
import type { LogItem } from './types.js';

export function formatVmcoreDmesg(item: LogItem, opts: { caller?: boolean } = {}): string {
  if (item.kind === 'gap') return `[gap: ${item.length} bytes at 0x${item.vaddr.toString(16)} unreadable (${item.reason})]\n`;
  const sec = item.tsNs / 1_000_000_000n;
  const usec = (item.tsNs % 1_000_000_000n) / 1000n;
  // --caller: as the kernel prints it with CONFIG_PRINTK_CALLER, "[%6s]" after the time
  const caller = opts.caller && item.caller ? `[${item.caller.padStart(6)}]` : '';
  let out = `[${sec.toString().padStart(5)}.${usec.toString().padStart(6, '0')}]${caller} `;
  for (const c of item.bytes) {
    const printable = (c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13);
    out += printable ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${out}\n`;
}
