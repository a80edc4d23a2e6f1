// Netconsole records to the normalized KernelMessage, and to the line form written to a
// sender's log (/dev/kmsg's "pri,seq,usec,flag;text" + " KEY=value" lines for extended,
// the console line as sent for legacy), which backends/text reads back.
import type { KernelMessage, SourceRef } from '../model/index.js';
import { emptyPrefix, readPrefix } from '../kmsg/line.js';
import { escapeText } from './format.js';
import type { NetconsoleRecord } from './stream.js';

const prefix = emptyPrefix();

/**
 * The messages of one record: one per line of its text (a record printed with embedded
 * newlines is one printk record but several log lines, as dmesg shows it).
 */
export function toKernelMessages(r: NetconsoleRecord<unknown>, source: SourceRef): KernelMessage[] {
  if (r.format === 'legacy') {
    const start = readPrefix(r.text, 0, r.text.length, prefix);
    const m: KernelMessage = { kind: 'kmsg', text: start ? r.text.slice(start) : r.text, source };
    if (prefix.tsNs !== undefined) m.tsNs = prefix.tsNs;
    if (prefix.level !== undefined) m.level = prefix.level;
    if (prefix.facility !== undefined) m.facility = prefix.facility;
    if (prefix.caller !== undefined) m.caller = prefix.caller;
    if (r.problem) m.problem = r.problem;
    return [m];
  }
  const text = r.text;
  const dict = r.dict;
  const subsystem = dict && dictValue(r, 'SUBSYSTEM');
  const device = dict && dictValue(r, 'DEVICE');
  const tsNs = r.tsUs! * 1000n;
  const seq = r.seq!;
  const pri = r.pri!;
  const one = (line: string, src: SourceRef): KernelMessage => {
    // An extended record has all four: one object shape for all of them.
    const m: KernelMessage = { kind: 'kmsg', text: line, source: src, tsNs, seq, level: pri & 7, facility: pri >> 3 };
    if (r.caller) m.caller = r.caller;
    if (subsystem !== undefined || device !== undefined) m.device = { subsystem: subsystem ?? '', device: device ?? '' };
    if (r.problem) m.problem = r.problem;
    return m;
  };
  // Most records are one line: no array of lines, no part numbers.
  if (!text.includes('\n')) return [one(text, source)];
  return text.split('\n').map((line, i) => one(line, { ...source, part: i }));
}

export function dictValue(r: NetconsoleRecord<unknown>, key: string): string | undefined {
  return r.dict?.find(([k]) => k === key)?.[1];
}

/** The record as log text, ending in a newline. */
export function toLogText(r: NetconsoleRecord<unknown>): string {
  if (r.format === 'legacy') return `${r.text}\n`;
  // A body without a backslash has no escapes, and so only ASCII (printk escapes the rest):
  // it is written as it came.
  if (r.key !== undefined && r.body !== undefined && !r.body.includes('\\')) return `${r.key};${r.body}${r.body.endsWith('\n') ? '' : '\n'}`;
  const caller = r.caller ? `,caller=${r.caller}` : '';
  let s = `${r.pri},${r.seq},${r.tsUs},${r.flag}${caller};${escapeText(r.text)}\n`;
  for (const [k, v] of r.dict ?? []) s += ` ${k}=${escapeText(v)}\n`;
  return s;
}
