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

/** The prefix of a line, read in place: `readPrefix` fills one and says where the text starts. */
export interface Prefix {
  tsNs: bigint | undefined;
  level: number | undefined;
  facility: number | undefined;
  caller: string | undefined;
}

export function emptyPrefix(): Prefix {
  return { tsNs: undefined, level: undefined, facility: undefined, caller: undefined };
}

/** Seconds and nanoseconds to kernel time. */
function toNs(sec: number, secDigits: number, ns: number): bigint {
  // Up to 10^6 s of uptime the sum is exact in a double: one BigInt instead of three.
  return secDigits <= 6 ? BigInt(sec * 1_000_000_000 + ns) : BigInt(sec) * 1_000_000_000n + BigInt(ns);
}

const LT = 0x3c;
const GT = 0x3e;
const LB = 0x5b;
const RB = 0x5d;
const DOT = 0x2e;
const ZERO = 0x30;
const SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1];

function isDigit(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && /\s/.test(String.fromCharCode(c)));
}

/** Where the last `digits` run ended (=== its start when there was none): no tuple per call. */
let digitsEnd = 0;

/** The value of the digits from `i` (at most `max` of them); sets digitsEnd. */
function digits(s: string, i: number, end: number, max: number): number {
  let v = 0;
  let j = i;
  while (j < end && j - i < max + 1 && isDigit(s.charCodeAt(j))) v = v * 10 + (s.charCodeAt(j++) - ZERO);
  digitsEnd = j - i > max ? i : j;
  return v;
}

/**
 * Read the prefix of the line `s[from, end)` into `out` without building substrings: the
 * 400,000 lines of a big archive each paid for a match array and four captures. The same
 * grammar as the anchored pattern
 *   ^(?:<(\d{1,4})>)?(?:\[\s*(\d{1,10})\.(\d{1,9})\])?(?:\[\s*([TC]\d{1,10})\])?
 * followed by the one space printk puts after the time. Returns where the text starts.
 */
export function readPrefix(s: string, from: number, end: number, out: Prefix): number {
  out.tsNs = out.level = out.facility = undefined;
  out.caller = undefined;
  let i = from;
  if (i < end && s.charCodeAt(i) === LT) {
    const pri = digits(s, i + 1, end, 4);
    const j = digitsEnd;
    if (j > i + 1 && j < end && s.charCodeAt(j) === GT) {
      out.level = pri & 7;
      out.facility = pri >> 3;
      i = j + 1;
    }
  }
  if (i < end && s.charCodeAt(i) === LB) {
    let j = i + 1;
    while (j < end && isSpace(s.charCodeAt(j))) j++;
    const sec = digits(s, j, end, 10);
    const k = digitsEnd;
    if (k > j && k < end && s.charCodeAt(k) === DOT) {
      const frac = digits(s, k + 1, end, 9);
      const l = digitsEnd;
      if (l > k + 1 && l < end && s.charCodeAt(l) === RB) {
        out.tsNs = toNs(sec, k - j, frac * SCALE[l - k - 1]!);
        i = l + 1;
      }
    }
  }
  if (i < end && s.charCodeAt(i) === LB) {
    let j = i + 1;
    while (j < end && isSpace(s.charCodeAt(j))) j++;
    const c = s.charCodeAt(j);
    if (c === 0x54 || c === 0x43) {
      digits(s, j + 1, end, 10);
      const k = digitsEnd;
      if (k > j + 1 && k < end && s.charCodeAt(k) === RB) {
        out.caller = s.slice(j, k);
        i = k + 1;
      }
    }
  }
  // printk puts one space between the time and the message.
  if (out.tsNs !== undefined && i < end && s.charCodeAt(i) === 0x20) i++;
  return i;
}

export function parseLine(line: string): ParsedLine {
  const p = emptyPrefix();
  const start = readPrefix(line, 0, line.length, p);
  const out: ParsedLine = { text: start === 0 ? line : line.slice(start) };
  if (p.tsNs !== undefined) out.tsNs = p.tsNs;
  if (p.level !== undefined) out.level = p.level;
  if (p.facility !== undefined) out.facility = p.facility;
  if (p.caller !== undefined) out.caller = p.caller;
  return out;
}

/** Format nanoseconds as printk does: "%5lu.%06lu". */
export function formatTs(tsNs: bigint): string {
  const sec = tsNs / 1_000_000_000n;
  const usec = (tsNs % 1_000_000_000n) / 1000n;
  return `${sec.toString().padStart(5, ' ')}.${usec.toString().padStart(6, '0')}`;
}
