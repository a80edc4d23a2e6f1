// The lines of one report as syzbot reads them (syzkaller pkg/report/linux.go findReport and
// stripLinePrefix): the header's own task/CPU only (CONFIG_PRINTK_CALLER), no "?" guesses of
// the unwinder (nor powerpc's "(unreliable)" frames) on lines the console stamped, and once
// the report is long enough, nothing from the panic it caused onwards. Without a caller
// context, a message that carries a stack of its own (fault injection, vmalloc failure) ends
// the report: its frames are not the report's.
import type { KernelMessage } from '../model/index.js';
import { DOUBT, ECHOES, INFO_WITH_STACK, MARK, NMI_BACKTRACE, TAINT_NOTE, reportBits, stripConsoleNoise } from './line-class.js';

export { stripConsoleNoise } from './line-class.js';

/** Lines read into one report at most: a report's facts are within its first lines. */
export const MAX_REPORT_LINES = 1000;
/** Lines of report after which a later panic or lockdep splat is its echo, not its content
 * (KMSAN's reports have no "Call Trace:" block and are shorter). */
const ENOUGH_LINES = 22;
const ENOUGH_LINES_KMSAN = 16;

/** A report's lines and each line's line-class.ts bits (bits[k] of lines[k]). */
export interface ReportText { lines: string[]; bits: Uint8Array }

/** One line alone (a follow-on panic's) as a report. */
export function lineReport(text: string): ReportText {
  return { lines: [text], bits: Uint8Array.of(reportBits(text)) };
}

/** Report lines from the header (line 0, given as `header`) to `end`. */
export function reportLines(msgs: readonly KernelMessage[], start: number, end: number, header: string): ReportText {
  const caller = msgs[start]!.caller;
  const stamped = msgs[start]!.tsNs !== undefined;
  const enough = header.startsWith('BUG: KMSAN:') ? ENOUGH_LINES_KMSAN : ENOUGH_LINES;
  const last = Math.min(end, start + MAX_REPORT_LINES);
  // Sized for every line of the range (one allocation, not a growing array); cut to the lines kept.
  const out = new Array<string>(Math.max(1, last - start));
  const bits = new Uint8Array(out.length);
  out[0] = header;
  bits[0] = reportBits(header);
  let kept = 1;
  let cpuTraceback = false;
  let lines = 1;
  for (let i = start + 1; i < last; i++) {
    const m = msgs[i]!;
    if (caller !== undefined && m.caller !== caller && !(cpuTraceback && m.caller?.startsWith('C'))) continue;
    // Console context: stamped and bare lines are two contexts (a bare line is another program's).
    if (caller === undefined && (m.tsNs !== undefined) !== stamped) continue;
    const text = stripConsoleNoise(m.text);
    const c = reportBits(text);
    // A line the console stamped (or a record with its own time) has a context; bare lines have none.
    if (m.tsNs !== undefined && c & DOUBT) continue;
    if (c & MARK && caller === undefined && INFO_WITH_STACK.some((s) => text.includes(s))) break;
    lines++;
    if (c & MARK) {
      if (text.includes(TAINT_NOTE)) continue;
      if (text.includes(NMI_BACKTRACE)) cpuTraceback = true;
      else if (lines > enough && ECHOES.some((s) => text.includes(s))) break;
    }
    bits[kept] = c;
    out[kept++] = text;
  }
  out.length = kept;
  return { lines: out, bits };
}
