// The lines of one report as syzbot reads them (syzkaller pkg/report/linux.go findReport and
// stripLinePrefix): the header's own task/CPU only (CONFIG_PRINTK_CALLER), no "?" guesses of
// the unwinder (nor powerpc's "(unreliable)" frames) on lines the console stamped, and once
// the report is long enough, nothing from the panic it caused onwards. Without a caller
// context, a message that carries a stack of its own (fault injection, vmalloc failure) ends
// the report: its frames are not the report's.
import type { KernelMessage } from '../model/index.js';

/** Lines read into one report at most: a report's facts are within its first lines. */
export const MAX_REPORT_LINES = 1000;
/** Lines of report after which a later panic or lockdep splat is its echo, not its content
 * (KMSAN's reports have no "Call Trace:" block and are shorter). */
const ENOUGH_LINES = 22;
const ENOUGH_LINES_KMSAN = 16;
/** syzkaller's infoMessagesWithStack. */
const INFO_WITH_STACK = ['vmalloc: allocation failure:', 'FAULT_INJECTION: forcing a failure', 'FAULT_FLAG_ALLOW_RETRY missing'];

const DROPPED = /^\*\* \d{1,10} printk messages dropped \*\* (?:\[ {0,12}\d{1,10}\.\d{1,9}\](?:\[ {0,8}[TC]\d{1,10}\])? ?)?/;

/** Text without the "** N printk messages dropped **" marker the console puts in front. */
export function stripConsoleNoise(text: string): string {
  return text.startsWith('** ') ? text.replace(DROPPED, '') : text;
}

/** The unwinder's guess ("? func+0x..") or powerpc's "(unreliable)": syzbot reads neither. */
function questionable(text: string): boolean {
  return (text.includes(' ? ') && !text.includes('<EOI>')) || text.endsWith(' (unreliable)');
}

/** Report lines from the header (line 0, given as `header`) to `end`. */
export function reportLines(msgs: readonly KernelMessage[], start: number, end: number, header: string): string[] {
  const caller = msgs[start]!.caller;
  const stamped = msgs[start]!.tsNs !== undefined;
  const enough = header.startsWith('BUG: KMSAN:') ? ENOUGH_LINES_KMSAN : ENOUGH_LINES;
  const out = [header];
  let cpuTraceback = false;
  let lines = 1;
  for (let i = start + 1; i < end && i < start + MAX_REPORT_LINES; i++) {
    const m = msgs[i]!;
    if (caller !== undefined && m.caller !== caller && !(cpuTraceback && m.caller?.startsWith('C'))) continue;
    // Console context: stamped and bare lines are two contexts (a bare line is another program's).
    if (caller === undefined && (m.tsNs !== undefined) !== stamped) continue;
    const text = stripConsoleNoise(m.text);
    // A line the console stamped (or a record with its own time) has a context; bare lines have none.
    if (m.tsNs !== undefined && questionable(text)) continue;
    if (caller === undefined && INFO_WITH_STACK.some((s) => text.includes(s))) break;
    lines++;
    if (text.includes('Disabling lock debugging due to kernel taint')) continue;
    if (text.includes('Sending NMI from CPU')) cpuTraceback = true;
    else if (lines > enough && (text.includes('Kernel panic - not syncing') || text.includes('WARNING: possible circular locking dependency detected'))) break;
    out.push(text);
  }
  return out;
}
