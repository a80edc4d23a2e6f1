// VMCOREINFO OFFSET()/SIZE() lookups for the printk structures.
import type { DumpInfo } from '../types.js';
import { PrintkError } from './virt.js';

export function field(dump: DumpInfo, key: string, fallback?: number): number {
  const raw = dump.vmcoreinfo?.get(key);
  const v = raw === undefined ? fallback : Number.parseInt(raw, 10);
  if (v === undefined || !Number.isSafeInteger(v) || v < 0 || v > 1 << 20) throw new PrintkError(`VMCOREINFO has no usable ${key}`);
  return v;
}
export const off = (d: DumpInfo, s: string, fallback?: number) => field(d, `OFFSET(${s})`, fallback);
export const size = (d: DumpInfo, s: string, fallback?: number) => field(d, `SIZE(${s})`, fallback);

export function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder('latin1').decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * caller_id: bit 31 set → CPU number, else task id (kernel/printk/printk.c
 * printk_caller_id). 0 is task 0, the boot CPU's idle task: "T0", as the kernel prints it.
 */
export function callerName(id: number): string {
  return id & 0x80000000 ? `C${id & 0x7fffffff}` : `T${id}`;
}

const utf8 = new TextDecoder('utf-8');
/** A record's text: decoded for the model, raw bytes for vmcore-dmesg's escaping. */
export function textFields(raw: Uint8Array): { text: string; bytes: Uint8Array } {
  const bytes = raw.slice();
  return { text: utf8.decode(bytes), bytes };
}
