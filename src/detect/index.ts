// Crash detection over one boot's messages: every report, in order, with a syzbot-style title.
import type { KernelMessage } from '../model/index.js';
import { bytesToMessages } from '../kmsg/messages.js';
import type { CrashEvent } from './types.js';
import { CONTINUATION, FOLLOW_ON_PANIC, MCE_PANIC, NOT_A_REPORT, matchRules } from './rules.js';
import type { TitleRule } from './rule-types.js';
import { cleanFunction } from './frames.js';
import { readFacts } from './facts.js';
import { reportLines, stripConsoleNoise } from './report.js';
import { guiltyFunction, stackMissing } from './stack.js';
import { normalizeTitle } from './title.js';

export type { CrashEvent, Frame } from './types.js';
export type { CrashKind } from './rules.js';

const PANIC_PREFIX = 'Kernel panic - not syncing: ';
/** Lines of a report read for its facts (CPU line, RIP, modules, frames): they come first. */
const MAX_FACT_LINES = 400;
/** Lines after a header within which its continuation lines (and `absorbs`) still belong to it. */
const CONTINUATION_LINES = 60;
/** Characters of a header line kept when the line itself is the title (cut later to MAX_TITLE). */
const MAX_LINE_TITLE = 400;
/** A timestamp inside a title: two console lines were merged. */
const MERGED = /\[ {0,12}\d{1,10}\.\d{1,9}\]/;

interface Start { i: number; text: string; rule: TitleRule; panic?: string }

/** Header as the rules see it: without console noise, "watchdog: "-style prefixes and old
 * lockdep's "[ ... ]" frame. */
export function headerText(raw: string): string {
  let t = stripConsoleNoise(raw);
  // User-space loggers sharing the console stamp their lines ("2018/01/09 14:28:48 BUG: ...").
  if (/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(t)) t = t.slice(20);
  if (t.startsWith('watchdog: ')) return t.slice(10);
  if (t.startsWith('NMI watchdog: ')) return t.slice(14);
  if (t.startsWith('rcu: INFO: ')) return t.slice(5);
  if (t.startsWith('[ ') && t.endsWith(' ]')) return t.slice(2, -2);
  // 6.x: "Oops: general protection fault, ..." (arch/x86/kernel/dumpstack.c __die_header).
  if (t.startsWith('Oops: ') && !/^Oops: [0-9a-f]{4}/.test(t)) return t.slice(6);
  return t;
}

function fill(format: string, groups: readonly (string | undefined)[], fn: string | undefined, line: string): string {
  return format.replace(/\{(\d|fn|line)\}/g, (_, k: string) => k === 'fn' ? fn ?? 'corrupted' : k === 'line' ? line : groups[Number(k) - 1] ?? '');
}

/** Groups of the `need` lines, in order, or undefined when one is missing. */
function needed(rule: TitleRule, lines: readonly string[]): string[] | undefined {
  const groups: string[] = [];
  let i = 1;
  for (const re of rule.need ?? []) {
    let m: RegExpExecArray | null = null;
    while (i < lines.length && !(m = re.exec(lines[i++]!)));
    if (!m) return undefined;
    groups.push(...m.slice(1).map((g) => g ?? ''));
  }
  return groups;
}

function build(msgs: readonly KernelMessage[], s: Start, end: number): CrashEvent {
  const first = msgs[s.i]!;
  const ev: CrashEvent = { kind: s.rule.kind, title: '', endsBoot: s.rule.endsBoot ?? false, corrupted: false, frames: [], first: s.i, last: end - 1, source: first.source };
  if (first.tsNs !== undefined) ev.tsNs = first.tsNs;
  const raw: string[] = [];
  for (let i = s.i + 1; i < end && raw.length < MAX_FACT_LINES; i++) raw.push(msgs[i]!.text);
  readFacts(ev, raw);
  const lines = reportLines(msgs, s.i, end, s.text);
  let title: string | undefined;
  let cut = false;
  for (const { rule, m } of matchRules(s.text)) {
    const more = needed(rule, lines);
    // A row knew this header but its report lines are missing: cut (syzkaller's rule).
    if (!more) { cut = true; continue; }
    let fn: string | undefined;
    if (rule.stack) {
      const g = guiltyFunction(lines, rule.stack);
      fn = g.fn;
      if (!g.ok) ev.corrupted = true;
    }
    if (cut || rule.corrupted || (!rule.traceless && stackMissing(lines))) ev.corrupted = true;
    ev.kind = rule.kind;
    if (rule.endsBoot) ev.endsBoot = true;
    if (fn) {
      ev.function = fn;
      const f = ev.frames.find((x) => x.module && cleanFunction(x.function) === fn);
      if (f?.module) ev.module = f.module;
    }
    title = fill(rule.title, [...m.slice(1), ...more], fn, s.text.slice(0, MAX_LINE_TITLE));
    break;
  }
  // A header whose report lines are missing: the header line is all syzbot has.
  if (title === undefined) { title = s.text.slice(0, MAX_LINE_TITLE); ev.corrupted = true; }
  if (MERGED.test(title)) ev.corrupted = true;
  if (s.rule.kind === 'panic' || s.text.startsWith(PANIC_PREFIX)) ev.panic = s.text.slice(PANIC_PREFIX.length).trim();
  ev.title = normalizeTitle(title);
  return ev;
}

/** Every crash event in one boot's messages, in order. */
export function detect(messages: readonly KernelMessage[]): CrashEvent[] {
  const starts: Start[] = [];
  for (let i = 0; i < messages.length; i++) {
    const text = headerText(messages[i]!.text);
    const hit = matchRules(text)[0];
    if (!hit || NOT_A_REPORT.test(text)) continue;
    const prev = starts[starts.length - 1];
    const near = prev !== undefined && i - prev.i < CONTINUATION_LINES;
    // Continuation lines of the open report (arm64 "Internal error" after "Unable to handle", an MCE group).
    if (near && CONTINUATION.test(text) && (hit.rule.kind !== 'machine-check' || prev.rule.kind === 'machine-check')) continue;
    if (near && prev.rule.absorbs?.test(text)) continue;
    // A panic that only follows from the open report is part of it (syzkaller's rule); the
    // report's trace may come after the panic line (panic_on_warn).
    if (prev && hit.rule.kind === 'panic' && prev.rule.kind !== 'panic' && prev.panic === undefined) {
      const reason = text.slice(PANIC_PREFIX.length).trim();
      if (FOLLOW_ON_PANIC.test(reason) && (!MCE_PANIC.test(reason) || prev.rule.kind === 'machine-check')) { prev.panic = reason; continue; }
    }
    starts.push({ i, text, rule: hit.rule });
  }
  const events: CrashEvent[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    const end = k + 1 < starts.length ? starts[k + 1]!.i : messages.length;
    const ev = build(messages, s, end);
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
