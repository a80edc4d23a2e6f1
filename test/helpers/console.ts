// The reference a serial console gives: its lines by printk time stamp.
import { readFileSync } from 'node:fs';

const STAMPED = /\[\s*(\d+)\.(\d{6})\] (.*)$/;

/** "sec.usec" -> the texts printed at that time (junk before the stamp ignored). */
export function consoleLines(path: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of readFileSync(path, 'latin1').split('\n')) {
    const m = STAMPED.exec(raw.replace(/\r$/, ''));
    if (!m) continue;
    const key = `${Number(m[1])}.${m[2]}`;
    const list = out.get(key) ?? [];
    list.push(Buffer.from(m[3]!, 'latin1').toString('utf8'));
    out.set(key, list);
  }
  return out;
}

export function tsKey(tsNs: bigint): string {
  return `${tsNs / 1_000_000_000n}.${((tsNs % 1_000_000_000n) / 1000n).toString().padStart(6, '0')}`;
}
