// What the readers of a report's lines (reportLines, the stack readers) look for in a line,
// in one place, and each line's answer as bits, found once: most lines a report covers are
// none of it (boot lines between reports), and every reader then passes them by on a bit
// instead of searching their text again. A reader tests a pattern only on lines whose bit for
// it is set, and the bit is computed from that same pattern (test/detect/line-class.test.ts
// checks both on every corpus line).
import { CORRUPTED_LINE, STACK_START } from './skip.js';

/** syzkaller's frame name and PC forms. */
export const FN = '([A-Za-z0-9_]{1,200})(?:\\.|\\+)';
export const PC = '\\[<?(?:0x)?[0-9a-f]{1,16}>?\\]';
/** A frame line: " func+0x1/0x2", " [<ffff..>] func+0x..", arm32 "[<..>] (callee) from [<..>] (caller+0x..)". */
export const FRAME_LINES: readonly RegExp[] = [
  new RegExp(`^ *(?:${PC} ?){0,2}${FN}`),
  new RegExp(`^ *${PC} \\(([A-Za-z0-9_.]{1,200})\\) from ${PC} \\(${FN}`),
];

/** syzkaller's infoMessagesWithStack: without a caller context they end a report. */
export const INFO_WITH_STACK = ['vmalloc: allocation failure:', 'FAULT_INJECTION: forcing a failure', 'FAULT_FLAG_ALLOW_RETRY missing'];
export const TAINT_NOTE = 'Disabling lock debugging due to kernel taint';
export const NMI_BACKTRACE = 'Sending NMI from CPU';
/** What a long enough report does not read past: the panic it caused, lockdep's echo. */
export const ECHOES = ['Kernel panic - not syncing', 'WARNING: possible circular locking dependency detected'];
const MARKS = new RegExp([...INFO_WITH_STACK, TAINT_NOTE, NMI_BACKTRACE, ...ECHOES].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));

const DROPPED = /^\*\* \d{1,10} printk messages dropped \*\* (?:\[ {0,12}\d{1,10}\.\d{1,9}\](?:\[ {0,8}[TC]\d{1,10}\])? ?)?/;

/** Text without the "** N printk messages dropped **" marker the console puts in front. */
export function stripConsoleNoise(text: string): string {
  return text.charCodeAt(0) === 42 && text.startsWith('** ') ? text.replace(DROPPED, '') : text;
}

/** The unwinder's guess ("? func+0x..") or powerpc's "(unreliable)": syzbot reads neither. */
export function questionable(text: string): boolean {
  return (spacedQuestion(text) && !text.includes('<EOI>')) || text.endsWith(' (unreliable)');
}

/** text.includes(' ? '), found from the rare '?' instead of the common ' '. */
function spacedQuestion(text: string): boolean {
  for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
    if (text.charCodeAt(i - 1) === 32 && text.charCodeAt(i + 1) === 32) return true;
  }
  return false;
}

/** The anchored line patterns (each source starts with "^"), as one test: a line none of them
 * can match costs one regex call instead of three. */
const FRAME_ANY = new RegExp([CORRUPTED_LINE, ...FRAME_LINES].map((re) => `(?:${re.source})`).join('|'));

/** questionable(). */
export const DOUBT = 1;
/** One of INFO_WITH_STACK, TAINT_NOTE, NMI_BACKTRACE, ECHOES. */
export const MARK = 2;
/** STACK_START. */
export const START = 4;
/** CORRUPTED_LINE or one of FRAME_LINES. */
export const FRAME = 8;

/** MARKS and STACK_START as one search: most lines hold neither, and then one call says so. */
const MARK_OR_START = new RegExp(`(?:${MARKS.source})|(?:${STACK_START.source})`);

/** The bits of a report line (the line without console noise, as the report holds it). */
export function reportBits(text: string): number {
  let c = 0;
  if (questionable(text)) c |= DOUBT;
  if (MARK_OR_START.test(text)) {
    if (MARKS.test(text)) c |= MARK;
    if (STACK_START.test(text)) c |= START;
  }
  if (FRAME_ANY.test(text)) c |= FRAME;
  return c;
}
