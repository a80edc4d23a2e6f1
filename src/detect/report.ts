// The lines of one report as syzbot reads them (syzkaller pkg/report/linux.go findReport and
// stripLinePrefix): the header's own task/CPU only (CONFIG_PRINTK_CALLER), no "?" guesses of
// the unwinder (nor powerpc's "(unreliable)" frames) on lines the console stamped, and once
// the report is long enough, nothing from the panic it caused onwards. Without a caller
// context, a message that carries a stack of its own (fault injection, vmalloc failure) ends
// the report: its frames are not the report's.
import type { KernelMessage } from '../model/index.js';
import { DOUBT, ECHOES, INFO_WITH_STACK, MARK, NMI_BACKTRACE, NOISE, TAINT_NOTE, reportBits, stripConsoleNoise, type LineClasses } from './line-class.js';

export { stripConsoleNoise } from './line-class.js';

/** Lines read into one report at most: a report's facts are within its first lines. */
export const MAX_REPORT_LINES = 1000;
/** Lines of report after which a later panic or lockdep splat is its echo, not its content
 * (KMSAN's reports have no "Call Trace:" block and are shorter). */
const ENOUGH_LINES = 22;
const ENOUGH_LINES_KMSAN = 16;

/** A report's lines and each line's LineClasses bits (bits[k] of lines[k]). */
export interface ReportText { lines: string[]; bits: Uint8Array }

/** One line alone (a follow-on panic's) as a report. */
export function lineReport(text: string): ReportText {
  return { lines: [text], bits: Uint8Array.of(reportBits(text)) };
}

/** Report lines from the header (line 0, given as `header`) to `end`. */
export function reportLines(msgs: readonly KernelMessage[], start: number, end: number, header: string, classes: LineClasses): ReportText {
  const caller = msgs[start]!.caller;
  const stamped = msgs[start]!.tsNs !== undefined;
  const enough = header.startsWith('BUG: KMSAN:') ? ENOUGH_LINES_KMSAN : ENOUGH_LINES;
  const last = Math.min(end, start + MAX_REPORT_LINES);
  const out = [header];
  const bits = new Uint8Array(Math.max(1, last - start));
  bits[0] = reportBits(header);
  let cpuTraceback = false;
  let lines = 1;
  for (let i = start + 1; i < last; i++) {
    const m = msgs[i]!;
    if (caller !== undefined && m.caller !== caller && !(cpuTraceback && m.caller?.startsWith('C'))) continue;
    // Console context: stamped and bare lines are two contexts (a bare line is another program's).
    if (caller === undefined && (m.tsNs !== undefined) !== stamped) continue;
    const c = classes.of(i);
    const text = c & NOISE ? stripConsoleNoise(m.text) : m.text;
    // A line the console stamped (or a record with its own time) has a context; bare lines have none.
    if (m.tsNs !== undefined && c & DOUBT) continue;
    if (c & MARK && caller === undefined && INFO_WITH_STACK.some((s) => text.includes(s))) break;
    lines++;
    if (c & MARK) {
      if (text.includes(TAINT_NOTE)) continue;
      if (text.includes(NMI_BACKTRACE)) cpuTraceback = true;
      else if (lines > enough && ECHOES.some((s) => text.includes(s))) break;
    }
    bits[out.length] = c;
    out.push(text);
  }
  return { lines: out, bits };
}
