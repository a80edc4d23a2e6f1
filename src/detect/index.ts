// Crash detection over one boot's messages: every report, in order, with a syzbot-style title.
import type { KernelMessage } from '../model/index.js';
import { bytesToMessages } from '../kmsg/messages.js';
import type { CrashEvent } from './types.js';
import { RULES, FOLLOW_ON_PANIC, MCE_PANIC, CONTINUATION, normalizeTitle, type TitleRule } from './rules.js';
import { cleanFunction, guiltyFrame, isGeneric, parseFrame } from './frames.js';
import { readFacts } from './facts.js';

export type { CrashEvent, Frame } from './types.js';
export type { CrashKind } from './rules.js';

/** Lines read into one report at most: a report's facts are within its first lines. */
const MAX_REPORT_LINES = 400;
const PANIC_PREFIX = 'Kernel panic - not syncing: ';
const HEADER_FN = / (?:in|at) ([A-Za-z_][\w.]{0,200})\+0x/;

interface Start { i: number; rule: TitleRule; m: RegExpExecArray; panic?: string; panicAt?: number }

// Every header starts with one of these two-character prefixes: one Set lookup per line
// keeps the table's regexes off the ordinary lines.
const PREFIXES = new Set(['BU', 'Un', 'In', 'ge', 'di', 'PA', 'do', 'ke', 'WA', 'UB', 'li', 'VF', 'OD', 're', 'DE', 'IN', 'Ou', 'mc', 'Ke', 'rc']);

function matchRule(text: string): { rule: TitleRule; m: RegExpExecArray } | undefined {
  if (!PREFIXES.has(text.slice(0, 2))) return undefined;
  for (const rule of RULES) {
    const m = rule.header.exec(text);
    if (m) return { rule, m };
  }
  return undefined;
}

function build(msgs: readonly KernelMessage[], start: number, end: number, rule: TitleRule, m: RegExpExecArray): CrashEvent {
  const first = msgs[start]!;
  const ev: CrashEvent = {
    kind: rule.kind, title: '', endsBoot: rule.endsBoot ?? false, corrupted: false, frames: [],
    first: start, last: end - 1, source: first.source,
  };
  if (first.tsNs !== undefined) ev.tsNs = first.tsNs;
  const lines: string[] = [];
  for (let i = start + 1; i < end && i < start + MAX_REPORT_LINES; i++) lines.push(msgs[i]!.text);
  const irqEnd = readFacts(ev, lines);
  let fn: string | undefined;
  if (rule.stack === 'header') {
    const hf = parseFrame(m.input.slice(m.index + m[0].length - m[1]!.length - 3));
    fn = cleanFunction(m[1]!);
    if (hf?.module) ev.module = hf.module;
    if (isGeneric(fn)) fn = undefined;
  }
  // "BUG: KASAN: use-after-free in foo+0x1/0x2": the header names the function.
  const inHeader = rule.stack === 'trace' ? HEADER_FN.exec(m.input.slice(m[0].length)) : null;
  if (inHeader && !isGeneric(cleanFunction(inHeader[1]!))) fn = cleanFunction(inHeader[1]!);
  if (rule.stack !== 'none' && fn === undefined) {
    // Stalls and lockups: the interrupted code is after the interrupt part (</IRQ>).
    const g = (irqEnd > 0 && (rule.kind === 'rcu-stall' || rule.kind === 'lockup') && guiltyFrame(ev.frames.slice(irqEnd))) || guiltyFrame(ev.frames);
    if (g) { fn = g.function; if (g.module) ev.module = g.module; }
  }
  if (fn) ev.function = fn;
  if (rule.title.includes('{fn}') && !fn) ev.corrupted = true;
  const access = lines.find((l) => /^(?:Read|Write) (?:of|at addr)/.test(l))?.slice(0, 5).trim() ?? 'Read';
  let panic: string | undefined;
  if (rule.kind === 'panic') { panic = m.input.slice(PANIC_PREFIX.length).trim(); ev.panic = panic; }
  const title = rule.title
    .replace('{1}', m[1] ?? '').replace('{2}', m[2] ?? '').replace('{access}', access)
    .replace('{panic}', normalizeTitle(panic ?? '')).replace('{fn}', fn ?? 'corrupted');
  ev.title = title;
  return ev;
}

/** Header as the rules see it: without "watchdog: " and old lockdep's "[ ... ]" frame. */
function headerText(t: string): string {
  if (t.startsWith('watchdog: ')) return t.slice(10);
  if (t.startsWith('[ ') && t.endsWith(' ]')) return t.slice(2, -2);
  // 6.x: "Oops: general protection fault, ..." (arch/x86/kernel/dumpstack.c __die_header).
  if (t.startsWith('Oops: ') && !/^Oops: [0-9a-f]{4}/.test(t)) return t.slice(6);
  return t;
}

/** Every crash event in one boot's messages, in order. */
export function detect(messages: readonly KernelMessage[]): CrashEvent[] {
  const starts: Start[] = [];
  for (let i = 0; i < messages.length; i++) {
    const text = headerText(messages[i]!.text);
    const hit = matchRule(text);
    if (!hit) continue;
    const prev = starts[starts.length - 1];
    const near = prev !== undefined && i - prev.i < 60;
    // Continuation lines of the open report (arm64 "Internal error" after "Unable to handle", an MCE group).
    if (near && CONTINUATION.test(text) && (hit.rule.kind !== 'machine-check' || prev.rule.kind === 'machine-check')) continue;
    // "ODEBUG: ...", "refcount_t: ..." are followed by the WARNING that prints their trace.
    if (near && i - prev.i <= 3 && hit.rule.title === 'WARNING in {fn}' && prev.rule.kind !== 'panic') continue;
    // A panic that only follows from the open report is part of it (syzkaller's rule); the
    // report's trace may come after the panic line (panic_on_warn).
    if (prev && hit.rule.kind === 'panic' && prev.rule.kind !== 'panic' && prev.panic === undefined) {
      const reason = text.slice(PANIC_PREFIX.length).trim();
      if (FOLLOW_ON_PANIC.test(reason) && (!MCE_PANIC.test(reason) || prev.rule.kind === 'machine-check')) {
        prev.panic = reason; prev.panicAt = i;
        continue;
      }
    }
    starts.push({ i, ...hit });
  }
  const events: CrashEvent[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    const end = k + 1 < starts.length ? starts[k + 1]!.i : messages.length;
    const ev = build(messages, s.i, end, s.rule, s.m);
    if (s.panic !== undefined) { ev.endsBoot = true; ev.panic = s.panic; }
    if (ev.kind === 'panic' && ev.panic !== undefined && MCE_PANIC.test(ev.panic)) ev.kind = 'machine-check';
    const prev = events[events.length - 1];
    // An RCU stall on the CPU and task a lockup report later names is that lockup's symptom.
    if (ev.kind === 'lockup' && prev?.kind === 'rcu-stall' && prev.cpu === ev.cpu && prev.pid === ev.pid) {
      events.pop(); ev.first = prev.first; ev.source = prev.source;
      if (prev.tsNs !== undefined) ev.tsNs = prev.tsNs;
    }
    events.push(ev);
  }
  return events;
}

/** detect() over a log as text ("[ts] msg", "<6>[ts] msg", "[ts][T123] msg" lines). */
export function detectText(text: string): CrashEvent[] {
  return detect(bytesToMessages(Buffer.from(text, 'utf8'), { backend: 'text', path: '-' }));
}
