// A line as the header rows see it (syzkaller finds headers anywhere in a line): without the
// console's noise, a user-space logger's date, printk prefixes ("watchdog: ", any pr_fmt
// "subsys: "), old lockdep's "[ ... ]" frame, 6.x's "Oops: "; and a header after a console
// timestamp in the middle of a line (two lines merged). This runs on every line of a log: each
// prefix is looked for only on lines that start with its first character, and those characters
// are read from the prefixes themselves.
import { stripConsoleNoise } from './line-class.js';

/** GCE's serial console dropped (syzkaller report.go gceConsoleHangup): what was read may be cut. */
export const GCE_HANGUP = 'serialport: VM disconnected.';
/** printk prefixes in front of a header, and how much of each goes (kernel/watchdog.c,
 * kernel/watchdog_perf.c, kernel/rcu pr_fmt "rcu: "). */
const PRINTK_PREFIXES: readonly (readonly [string, number])[] = [['watchdog: ', 10], ['NMI watchdog: ', 14], ['rcu: INFO: ', 5]];
/** Headers found after a "subsys: " printk prefix (pr_fmt). */
const PR_FMT_WORDS = ['BUG', 'WARNING', 'INFO', 'UBSAN', 'Kernel panic - not syncing', 'kernel BUG at', 'general protection fault'];
const PR_FMT = new RegExp(`^[a-z][\\w.-]{0,30}: (?=(?:${PR_FMT_WORDS.join('|')}): )`);
/** Where PR_FMT's ':' can be: after [a-z] and at most 30 more. */
const PR_FMT_REACH = 31;
/** "2018/01/09 14:28:48 ": user-space loggers sharing the console stamp their lines. */
const USER_STAMP = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;
const USER_STAMP_LENGTH = 20;
const LOCKDEP_OPEN = '[ ';
const LOCKDEP_CLOSE = ' ]';
/** arch/x86/kernel/dumpstack.c __die_header: "Oops: general protection fault, ..." (6.x), not
 * the old "Oops: 0002 [#1]". */
const OOPS = 'Oops: ';
const OOPS_CODE = /^Oops: [0-9a-f]{4}/;
/** Headers found after a merged console timestamp. */
const MERGED_WORDS = ['BUG', 'WARNING', 'INFO', 'UBSAN', 'general protection fault', 'Kernel panic - not syncing', 'kernel BUG at',
  'Unable to handle kernel', 'Internal error', 'Unhandled fault'];
/** A console timestamp in the middle of a line, then a header. */
const MERGED_HEADER = new RegExp(`\\[ {0,12}\\d{1,10}\\.\\d{1,9}\\](?:\\[ {0,8}[TC]\\d{1,10}\\])? (?=(?:${MERGED_WORDS.join('|')})[: ])`);

const table = (chars: Iterable<string>): Uint8Array => {
  const t = new Uint8Array(128);
  for (const c of chars) t[c.charCodeAt(0)] = 1;
  return t;
};
const range = (from: string, to: string): string[] =>
  Array.from({ length: to.charCodeAt(0) - from.charCodeAt(0) + 1 }, (_, k) => String.fromCharCode(from.charCodeAt(0) + k));
/** First characters of the lines something above applies to: the console's "** ", USER_STAMP's
 * digits, the printk prefixes, PR_FMT's [a-z], "[ ", "Oops: ". Any other line is its own header text. */
const STRIP_FIRST = table(['*', ...range('0', '9'), ...PRINTK_PREFIXES.map(([p]) => p[0]!), ...range('a', 'z'), LOCKDEP_OPEN[0]!, OOPS[0]!]);
const PR_FMT_FIRST = table(PR_FMT_WORDS.map((w) => w[0]!));
const PRINTK_FIRST = table(PRINTK_PREFIXES.map(([p]) => p[0]!));
const MERGED_FIRST = table(MERGED_WORDS.map((w) => w[0]!));

/** Whether a line starting with `c0` may carry something headerText() drops: else it is its own header text. */
export function mayCarryPrefix(c0: number): boolean {
  return STRIP_FIRST[c0] === 1;
}

/** The header text of a line (the line itself for most lines); `r0` is its first character. */
export function headerText(raw: string, r0 = raw.charCodeAt(0)): string {
  if (!mayCarryPrefix(r0)) return raw;
  const t = r0 === 42 /* * */ ? stripConsoleNoise(raw) : raw;
  const c0 = t === raw ? r0 : t.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57 && USER_STAMP.test(t)) return afterPrefixes(t.slice(USER_STAMP_LENGTH));
  return afterPrefixes(t, c0);
}

function afterPrefixes(t: string, c0 = t.charCodeAt(0)): string {
  if (PRINTK_FIRST[c0] === 1) for (const [prefix, drop] of PRINTK_PREFIXES) if (startsWith(t, c0, prefix)) return t.slice(drop);
  // Any other pr_fmt("subsys: "): PR_FMT runs where the line's first ':' (its name characters
  // have none) is within its reach and followed by " " and a header's first letter.
  if (c0 >= 97 && c0 <= 122) {
    const j = t.indexOf(':');
    if (j > 0 && j <= PR_FMT_REACH && t.charCodeAt(j + 1) === 32 && PR_FMT_FIRST[t.charCodeAt(j + 2)] === 1) {
      const pre = PR_FMT.exec(t);
      if (pre) return t.slice(pre[0].length);
    }
  }
  if (startsWith(t, c0, LOCKDEP_OPEN) && t.endsWith(LOCKDEP_CLOSE)) return t.slice(LOCKDEP_OPEN.length, -LOCKDEP_CLOSE.length);
  if (startsWith(t, c0, OOPS) && !OOPS_CODE.test(t)) return t.slice(OOPS.length);
  return t;
}

/** The text from a header that follows a console timestamp inside `text`, if any. */
export function mergedHeader(text: string): string | undefined {
  for (let k = text.indexOf(']'); k >= 0; k = text.indexOf(']', k + 1)) {
    if (text.charCodeAt(k + 1) !== 32 || MERGED_FIRST[text.charCodeAt(k + 2)] !== 1) continue;
    // The first "] " before a header's first letter decides: the header is looked for once.
    const m = MERGED_HEADER.exec(text);
    return m ? text.slice(m.index + m[0].length) : undefined;
  }
  return undefined;
}

/** t.startsWith(lit), with t's first character `c0` already read: most lines fail on it. */
export function startsWith(t: string, c0: number, lit: string): boolean {
  return c0 === lit.charCodeAt(0) && t.startsWith(lit);
}
