// What the readers of a report (readFacts, reportLines, the stack readers) look for in a line,
// in one place, and each line's answer found once per detect() call. Most lines of a console
// log are none of it (boot lines between reports); the readers then pass them by on one byte
// instead of searching their text again, once per reader and per report that covers them.
// A reader tests a pattern only on lines whose bit for it is set, and the bit is that same
// pattern: they cannot disagree (test/detect/line-class.test.ts checks it on every corpus line).
import type { KernelMessage } from '../model/index.js';
import { CORRUPTED_LINE, STACK_START } from './skip.js';

/** syzkaller's frame name and PC forms. */
export const FN = '([A-Za-z0-9_]{1,200})(?:\\.|\\+)';
export const PC = '\\[<?(?:0x)?[0-9a-f]{1,16}>?\\]';
/** A frame line: " func+0x1/0x2", " [<ffff..>] func+0x..", arm32 "[<..>] (callee) from [<..>] (caller+0x..)". */
export const FRAME_LINES: readonly RegExp[] = [
  new RegExp(`^ *(?:${PC} ?){0,2}${FN}`),
  new RegExp(`^ *${PC} \\(([A-Za-z0-9_.]{1,200})\\) from ${PC} \\(${FN}`),
];

/** First characters of the lines readFacts reads other than frames: "---[ end", "Kernel Offset",
 * "CPU:", "Hardware name", "Modules linked in", the IP line (RIP/IP/pc/PC), "</IRQ>", "<EOI>",
 * "lr :", "LR is at". A frame has "+0x". */
const FACT_FIRST = new Uint8Array(128);
for (const c of '-KCHMRIpP<lL') FACT_FIRST[c.charCodeAt(0)] = 1;

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

/** readFacts reads the raw line: a frame, an indented line or a fact line's first letter. */
export const FACT = 1;
/** The raw line starts with the console's "** N printk messages dropped **": the bits below
 * are of the line without it. */
export const NOISE = 2;
/** questionable(). */
export const DOUBT = 4;
/** One of INFO_WITH_STACK, TAINT_NOTE, NMI_BACKTRACE, ECHOES. */
export const MARK = 8;
/** STACK_START. */
export const START = 16;
/** CORRUPTED_LINE or one of FRAME_LINES. */
export const FRAME = 32;
const KNOWN = 128;

/** The bits of a report line as the stack readers see it (`text` without console noise). */
export function reportBits(text: string): number {
  let c = KNOWN;
  if (questionable(text)) c |= DOUBT;
  if (MARKS.test(text)) c |= MARK;
  if (STACK_START.test(text)) c |= START;
  if (CORRUPTED_LINE.test(text) || FRAME_LINES[0]!.test(text) || FRAME_LINES[1]!.test(text)) c |= FRAME;
  return c;
}

/** The bits of a message's line (`raw` as the message holds it). */
export function classify(raw: string): number {
  const r0 = raw.charCodeAt(0);
  let c = r0 === 32 || FACT_FIRST[r0] === 1 || raw.includes('+0x') ? FACT : 0;
  const text = stripConsoleNoise(raw);
  if (text !== raw) c |= NOISE;
  return c | reportBits(text);
}

/** The bits of each message of one detect() call, found when a reader first asks. */
export class LineClasses {
  private readonly bits: Uint8Array;
  constructor(private readonly msgs: readonly KernelMessage[]) {
    this.bits = new Uint8Array(msgs.length);
  }
  of(i: number): number {
    let c = this.bits[i]!;
    if (c === 0) this.bits[i] = c = classify(this.msgs[i]!.text);
    return c;
  }
}
