// One kernel log line in any of the text forms printk's output takes:
//   "<6>[    0.336396] msg"            pstore dmesg records (kernel/printk/printk.c, print_prefix)
//   "[   12.345678] msg"               dmesg, serial and netconsole captures
//   "[   12.345678][    T1] msg"       CONFIG_PRINTK_CALLER adds the caller id
//   "<4>msg"                            syslog prefix without a time
// The /dev/kmsg and syslog forms are read by backends/text, which hands the
// message part back here.

export interface ParsedLine {
  text: string;
  tsNs?: bigint;
  level?: number;
  facility?: number;
  caller?: string;
}

// Anchored, no nested quantifiers: linear on any input.
const PREFIX = /^(?:<(\d{1,4})>)?(?:\[\s*(\d{1,10})\.(\d{1,9})\])?(?:\[\s*([TC]\d{1,10})\])?/;

/** Seconds and a decimal fraction ("12", "345678") to nanoseconds. */
export function secondsToNs(sec: string, frac: string): bigint {
  const ns = (frac + '000000000').slice(0, 9);
  // Up to 10^6 s of uptime the sum is exact in a double: one BigInt instead of three.
  if (sec.length <= 6) return BigInt(Number(sec) * 1_000_000_000 + Number(ns));
  return BigInt(sec) * 1_000_000_000n + BigInt(ns);
}

export function parseLine(line: string): ParsedLine {
  const m = PREFIX.exec(line);
  if (!m || m[0].length === 0) return { text: line };
  const out: ParsedLine = { text: line.slice(m[0].length) };
  if (m[2] !== undefined) {
    out.tsNs = secondsToNs(m[2], m[3]!);
    // printk puts one space between the time and the message.
    if (out.text.startsWith(' ')) out.text = out.text.slice(1);
  }
  if (m[1] !== undefined) {
    const pri = Number(m[1]);
    out.level = pri & 7;
    out.facility = pri >> 3;
  }
  if (m[4] !== undefined) out.caller = m[4];
  return out;
}

/** Format nanoseconds as printk does: "%5lu.%06lu". */
export function formatTs(tsNs: bigint): string {
  const sec = tsNs / 1_000_000_000n;
  const usec = (tsNs % 1_000_000_000n) / 1000n;
  return `${sec.toString().padStart(5, ' ')}.${usec.toString().padStart(6, '0')}`;
}
