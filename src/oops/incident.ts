// The incident's oops facts, trigger and lead, from the boot's messages and crash events:
// the one call src/correlate/software.ts makes (addOopsDetails).
import type { Evidence, Incident, KernelMessage, Oops, SourceRef } from '../model/index.js';
import type { CrashEvent } from '../detect/types.js';
import { stripConsoleNoise } from '../detect/report.js';
import { cleanFunction } from '../detect/frames.js';
import { MAX_BLOCK_LINES, parseOops } from './parse.js';
import { eventRef, findTrigger } from './trigger.js';
import { kernelOffsetIn } from './kaslr.js';
import { taintFlag } from './taint.js';

/** Lines before a panic searched for "sysrq: Trigger a crash". */
const SYSRQ_LINES = 50;
const SYSRQ_LINE = /SysRq ?: Trigger a crash/i;
const OOPS_KINDS = ['oops', 'bug'];

/** The lines of an event's report block: its own task's/CPU's lines (CONFIG_PRINTK_CALLER). */
export function eventBlock(messages: readonly KernelMessage[], e: Pick<CrashEvent, 'first' | 'last'>): string[] {
  const caller = messages[e.first]?.caller;
  const out: string[] = [];
  for (let i = e.first; i <= e.last && i < messages.length && out.length < MAX_BLOCK_LINES; i++) {
    const m = messages[i]!;
    if (caller !== undefined && m.caller !== undefined && m.caller !== caller) continue;
    out.push(stripConsoleNoise(m.text));
  }
  return out;
}

export function eventOops(messages: readonly KernelMessage[], e: CrashEvent): Oops {
  const oops = parseOops(eventBlock(messages, e));
  return { title: e.title, ...oops };
}

const hasReport = (o: Oops): boolean => o.trace.length > 0 || o.rip !== undefined;

/** Fill inc.oops, trigger, lead, firstOops from `events` (detect's, in order; `end` the one
 * that ended the boot), with evidence lines for each. */
export function addOopsDetails(inc: Incident, messages: readonly KernelMessage[], events: readonly CrashEvent[], end: CrashEvent): void {
  const add = (text: string, source: SourceRef): void => { inc.evidence.push({ text, source } satisfies Evidence); };
  const endAt = events.indexOf(end);
  const upTo = events.slice(0, endAt + 1);
  let sysrqCrash = false;
  for (let i = Math.max(0, end.first - SYSRQ_LINES); i <= end.first && i < messages.length && !sysrqCrash; i++) sysrqCrash = SYSRQ_LINE.test(messages[i]!.text);
  const trig = findTrigger(upTo, { sysrqCrash });
  const lead = trig?.lead !== undefined ? upTo[trig.lead] : undefined;
  const first = upTo.find((e) => OOPS_KINDS.includes(e.kind));
  if (first && !inc.firstOops) inc.firstOops = eventRef(first);
  if (trig) {
    inc.trigger = trig.trigger;
    if (lead) inc.lead = eventRef(lead);
    const text = trig.trigger === 'sysrq'
      ? `Deliberate crash (SysRq): someone asked for it${lead ? `; the event that matters: ${lead.title}` : ''}`
      : `Panic by policy (${trig.trigger})${lead ? `: it fired on ${lead.title}` : ''}`;
    add(text, upTo[trig.at]!.source);
  }
  // The ending event's own block; a panic that printed none (x86 prints no stack once an
  // oops has tainted the kernel) shows the lead's, else the last report before it.
  let oops = eventOops(messages, end);
  if (!hasReport(oops)) {
    const others = [lead, ...upTo.slice(0, -1).reverse()].filter((e): e is CrashEvent => e !== undefined);
    for (const e of others) {
      const o = eventOops(messages, e);
      if (hasReport(o)) { oops = o; add(`The panic printed no report of its own: the report shown is that of ${e.title}`, e.source); break; }
    }
  }
  const offset = kernelOffsetIn(messages.slice(end.first, Math.min(messages.length, end.last + 1)).map((m) => m.text));
  if (offset !== undefined) oops.kernelOffset = `0x${offset.toString(16)}`;
  if (hasReport(oops) || oops.cpu !== undefined) inc.oops = oops;
  taintEvidence(inc, oops, upTo, add);
}

/** Module kinds the taint names, and an earlier WARNING/oops that already tainted the kernel. */
function taintEvidence(inc: Incident, oops: Oops, events: readonly CrashEvent[], add: (t: string, s: SourceRef) => void): void {
  const taint = oops.taint;
  if (!taint?.flags) return;
  const src = events[events.length - 1]!.source;
  const moduleFlags = [...taint.flags].filter((c) => taintFlag(c)?.module);
  if (moduleFlags.length) {
    add(`Tainted ${moduleFlags.join('')}: ${moduleFlags.map((c) => taintFlag(c)!.meaning).join('; ')}${inc.module ? ` (the crash is in module ${inc.module})` : ''}`, src);
  }
  const wd = [...taint.flags].filter((c) => c === 'W' || c === 'D');
  if (wd.length) {
    const title = oops.title ?? inc.title;
    const at = events.findIndex((e) => e.title === title);
    const before = events.slice(0, at < 0 ? events.length - 1 : at).find((e) => (wd.includes('D') && OOPS_KINDS.includes(e.kind)) || (wd.includes('W') && e.kind === 'warning'));
    if (before) add(`The kernel was already tainted (${wd.join('')}) by an earlier report: ${before.title}${before.function ? ` (${cleanFunction(before.function)})` : ''}`, before.source);
    else add(`The kernel was already tainted (${wd.join('')}) by an earlier ${wd.includes('D') ? 'oops' : 'WARNING'} not in these logs`, src);
  }
}
