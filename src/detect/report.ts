// The lines of one report as syzbot reads them (syzkaller pkg/report/linux.go findReport):
// the header's own task/CPU only (CONFIG_PRINTK_CALLER), no "?" guesses of the unwinder, and
// once the report is long enough, nothing from the panic it caused onwards.
import type { KernelMessage } from '../model/index.js';

/** Lines read into one report at most: a report's facts are within its first lines. */
export const MAX_REPORT_LINES = 1000;
/** Lines of report after which a later panic or lockdep splat is its echo, not its content. */
const ENOUGH_LINES = 22;

const DROPPED = /^\*\* \d{1,10} printk messages dropped \*\* (?:\[ {0,12}\d{1,10}\.\d{1,9}\](?:\[ {0,8}[TC]\d{1,10}\])? ?)?/;

/** Text without the "** N printk messages dropped **" marker the console puts in front. */
export function stripConsoleNoise(text: string): string {
  return text.startsWith('** ') ? text.replace(DROPPED, '') : text;
}

/** Report lines from the header (line 0, given as `header`) to `end`. */
export function reportLines(msgs: readonly KernelMessage[], start: number, end: number, header: string): string[] {
  const caller = msgs[start]!.caller;
  const out = [header];
  let cpuTraceback = false;
  let lines = 1;
  for (let i = start + 1; i < end && i < start + MAX_REPORT_LINES; i++) {
    const m = msgs[i]!;
    const text = stripConsoleNoise(m.text);
    if (text.includes(' ? ') && !text.includes('<EOI>')) continue;
    if (caller !== undefined && m.caller !== undefined && m.caller !== caller && !(cpuTraceback && m.caller.startsWith('C'))) continue;
    lines++;
    if (text.includes('Disabling lock debugging due to kernel taint')) continue;
    if (text.includes('Sending NMI from CPU')) cpuTraceback = true;
    else if (lines > ENOUGH_LINES && (text.includes('Kernel panic - not syncing') || text.includes('WARNING: possible circular locking dependency detected'))) break;
    out.push(text);
  }
  return out;
}
