// The oops facts as the text report shows them: the trigger in words, the taint in one line,
// the trace compact (the guilty frame first, then the reliable frames, stack changes marked).
import type { Incident, OopsFrame } from '../model/index.js';
import { cleanFunction } from '../detect/frames.js';
import { skipRegex } from '../detect/skip.js';

/** Reliable frames shown at most; the JSON has them all. */
const MAX_TEXT_FRAMES = 12;

const TRIGGER_WORDS: Record<string, string> = {
  sysrq: 'deliberate crash (SysRq)',
  panic_on_warn: 'panic_on_warn: a WARNING was made a panic',
  panic_on_oops: 'panic_on_oops: an oops was made a panic',
  oops_in_interrupt: 'an oops in interrupt context is always fatal',
  softlockup_panic: 'softlockup_panic: the soft lockup watchdog panicked',
  hardlockup_panic: 'hardlockup_panic: the hard lockup (NMI) watchdog panicked',
  hung_task_panic: 'hung_task_panic: the hung task detector panicked',
  nmi_watchdog: 'the NMI watchdog panicked',
  panic_on_rcu_stall: 'panic_on_rcu_stall: an RCU stall was made a panic',
  panic_on_oom: 'panic_on_oom: out of memory was made a panic',
};

export function triggerText(trigger: string): string {
  return TRIGGER_WORDS[trigger] ?? `${trigger} (policy)`;
}

export function frameText(f: OopsFrame): string {
  let s = f.function;
  if (f.offset !== undefined) s += `+${f.offset}${f.size !== undefined ? `/${f.size}` : ''}`;
  if (f.module) s += ` [${f.module}]`;
  if (f.file !== undefined) s += `  ${f.file}:${f.line ?? '?'}`;
  for (const g of f.inlined ?? []) s += `\n      inlined: ${g.function} ${g.file ?? '??'}:${g.line ?? '?'}`;
  return s;
}

/** "trigger", "lead", "taint" rows for the facts table (undefined: leave the row out). */
export function oopsFacts(i: Incident): [string, string | undefined][] {
  const t = i.oops?.taint;
  return [
    ['trigger', i.trigger && triggerText(i.trigger)],
    ['lead', i.lead && `${i.lead.title}${i.lead.module ? ` [${i.lead.module}]` : ''}`],
    ['taint', t ? (t.flags ? `${t.flags}: ${t.meaning.join('; ') || 'no flag set'}` : 'not tainted') : i.taint],
  ];
}

/** The "at" and "trace" lines of an incident with an oops block. */
export function oopsLines(i: Incident): string[] {
  const o = i.oops;
  if (!o) return [];
  const fn = i.lead?.function ?? i.function;
  const frames = [...(o.rip ? [o.rip] : []), ...o.trace.filter((f) => f.reliable)];
  // The named culprit's frame; else the pc; else (a panic's own dump_stack) the first frame
  // past the printing machinery, by syzkaller's generic skip list.
  const skip = skipRegex();
  const guilty = (fn && frames.find((f) => cleanFunction(f.function) === fn)) ?? o.rip ?? frames.find((f) => !skip.test(f.function)) ?? frames[0];
  const out: string[] = [];
  const pad = (k: string): string => `  ${k.padEnd(10)} `;
  if (guilty) out.push(pad('at') + frameText(guilty));
  const rest = frames.filter((f) => f !== guilty && f !== o.rip);
  let stack: string | undefined;
  rest.slice(0, MAX_TEXT_FRAMES).forEach((f, k) => {
    const mark = f.stack !== stack && f.stack ? `<${f.stack}> ` : '';
    stack = f.stack;
    out.push((k === 0 ? pad('trace') : pad('')) + mark + frameText(f));
  });
  if (rest.length > MAX_TEXT_FRAMES) out.push(`${pad('')}... ${rest.length - MAX_TEXT_FRAMES} more (--json has them all)`);
  return out;
}
