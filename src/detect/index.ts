// Crash detection over one boot's messages: every report, in order, with a syzbot-style title.
import type { KernelMessage } from '../model/index.js';
import { bytesToMessages } from '../kmsg/messages.js';
import type { CrashEvent } from './types.js';
import { CONTINUATION, FOLLOW_ON_PANIC, MCE_PANIC, NOT_A_REPORT, eachMatch, matchFirst } from './rules.js';
import type { TitleRule } from './rule-types.js';
import { cleanFunction } from './frames.js';
import { readFacts } from './facts.js';
import { lineReport, reportLines } from './report.js';
import { GCE_HANGUP, headerText, mergedHeader, startsWith } from './header.js';
import { guiltyFunction, stackMissing } from './stack.js';
import { normalizeTitle } from './title.js';
import { printedLines } from './inline.js';

export type { CrashEvent, Frame } from './types.js';
export type { CrashKind } from './rules.js';
export { headerText } from './header.js';
export { SIGNATURE_FRAMES, signature, signatureFrames, signatureKey, type SignatureSource } from './signature.js';

const PANIC_PREFIX = 'Kernel panic - not syncing: ';
/** Lines of a report read for its facts (CPU line, RIP, modules, frames): they come first. */
const MAX_FACT_LINES = 400;
/** Lines of a follow-on panic read for its facts (its CPU line and the stack panic() dumps). */
const MAX_FOLLOW_ON_LINES = 80;
/** Lines after a header within which its continuation lines (and `absorbs`) still belong to it. */
const CONTINUATION_LINES = 60;
/** Characters of a header line kept when the line itself is the title (cut later to MAX_TITLE). */
const MAX_LINE_TITLE = 400;
/** syzkaller's reportFrameRe: the function a title names. */
const TITLE_FRAME = /.* in ((?:<[a-zA-Z0-9_: ]{1,100}>)?[a-zA-Z0-9_:]{1,200})/;
/** Lines of other tasks' reports a report is read past (its own lines interleave with theirs). */
const MAX_INTERLEAVED = 300;
/** Frames of the guilty stack kept on the event (what signatures hash). */
const MAX_GUILTY_FRAMES = 8;
/** A timestamp inside a title: two console lines were merged. */
const MERGED = /\[ {0,12}\d{1,10}\.\d{1,9}\]/;

/** `followOn`: a panic the report before it caused ("Fatal exception" after an oops). */
interface Start { i: number; text: string; rule: TitleRule; panic?: string; followOn?: boolean }

/** A row's title format filled in; a guilty frame that could not be found is "corrupted", as syzbot writes it. */
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

/** `end`: where the event's messages end; `readEnd`: how far its report is read (with a caller
 * context, past other tasks' reports: syzkaller reads a report by its context). */
function build(msgs: readonly KernelMessage[], s: Start, end: number, readEnd = end): CrashEvent {
  const first = msgs[s.i]!;
  const ev: CrashEvent = { kind: s.rule.kind, title: '', endsBoot: s.rule.endsBoot ?? false, corrupted: false, frames: [], first: s.i, last: end - 1, source: first.source };
  if (first.tsNs !== undefined) ev.tsNs = first.tsNs;
  // A follow-on panic is read for its own facts only: its title is its line, its report the one before.
  readFacts(ev, msgs, s.i + 1, Math.min(end, s.i + 1 + (s.followOn ? MAX_FOLLOW_ON_LINES : MAX_FACT_LINES)));
  const report = s.followOn ? lineReport(s.text) : reportLines(msgs, s.i, readEnd, s.text);
  const { lines } = report;
  let title: string | undefined;
  let cut = false;
  for (const { rule, m } of eachMatch(s.text, s.rule)) {
    const more = needed(rule, lines);
    // A row knew this header but its report lines are missing: cut (syzkaller's rule).
    if (!more) { cut = true; continue; }
    let fn: string | undefined;
    if (rule.stack) {
      const g = guiltyFunction(report, rule.stack);
      fn = g.fn;
      if (!g.ok) ev.corrupted = true;
      if (g.top.length) ev.guiltyFrames = g.top.slice(0, MAX_GUILTY_FRAMES);
    }
    // A row that knew the header but not its report makes the report cut only when no later
    // row reads it either (the line itself becomes the title).
    // (A follow-on panic's own stack is not checked: "Fatal exception" after its report is whole.)
    if (!s.followOn && ((cut && rule.title === '{line}') || rule.corrupted || (!rule.traceless && stackMissing(report)))) ev.corrupted = true;
    ev.kind = rule.kind;
    if (rule.endsBoot) ev.endsBoot = true;
    if (fn) {
      ev.function = fn;
      const f = ev.frames.find((x) => x.module && cleanFunction(x.function) === fn);
      if (f?.module) ev.module = f.module;
    }
    const groups = [...m.slice(1), ...more];
    const line = s.text.slice(0, MAX_LINE_TITLE);
    title = fill(rule.title, groups, fn, line);
    if (rule.alt) ev.altTitles = rule.alt.map((a) => normalizeTitle(fill(a, groups, fn, line)));
    // Rows that name the function from a report line ("at: func+0x"): syzkaller's Frame is the title's.
    if (ev.function === undefined && (rule.title.includes(' in {') || rule.title.startsWith('KCSAN: '))) {
      const f = TITLE_FRAME.exec(title)?.[1];
      if (f !== undefined && f !== 'corrupted') ev.function = f;
    }
    break;
  }
  // A header whose report lines are missing: the header line is all syzbot has.
  if (title === undefined) { title = s.text.slice(0, MAX_LINE_TITLE); ev.corrupted = true; }
  if (MERGED.test(title)) ev.corrupted = true;
  if (s.rule.kind === 'panic' || s.text.startsWith(PANIC_PREFIX)) ev.panic = s.text.slice(PANIC_PREFIX.length).trim();
  ev.title = normalizeTitle(title);
  return ev;
}

/** A line with neither time nor caller: another program's, on the same console. */
const bare = (m: KernelMessage): boolean => m.caller === undefined && m.tsNs === undefined;
/** A line of another task's (or another program's) report than `caller`'s. */
const otherTask = (m: KernelMessage, caller: string): boolean => m.caller === undefined ? m.tsNs === undefined : m.caller !== caller;

/** Every crash event in one boot's messages, in order. A symbolized report is read as the
 * kernel printed it (inline.ts); the events' indices are into `messages` all the same. */
export function detect(messages: readonly KernelMessage[]): CrashEvent[] {
  const printed = printedLines(messages);
  if (!printed) return detectPrinted(messages);
  const events = detectPrinted(printed.map((i) => messages[i]!));
  // The symbolizer's lines belong to the printed line after them: an event starts at the
  // first of those before its header.
  for (const ev of events) {
    ev.first = ev.first === 0 ? 0 : printed[ev.first - 1]! + 1;
    ev.last = printed[ev.last]!;
  }
  return events;
}

function detectPrinted(messages: readonly KernelMessage[]): CrashEvent[] {
  const starts: Start[] = [];
  let hangup = false;
  for (let i = 0; i < messages.length; i++) {
    const raw = messages[i]!.text;
    const r0 = raw.charCodeAt(0);
    let text = headerText(raw, r0);
    const c0 = text === raw ? r0 : text.charCodeAt(0);
    if (startsWith(text, c0, GCE_HANGUP)) hangup = true;
    let hit = matchFirst(text, c0);
    // Two console lines merged into one: the header after the second timestamp still counts.
    const merged = hit ? undefined : mergedHeader(text);
    if (merged !== undefined) { text = merged; hit = matchFirst(text); }
    if (!hit || NOT_A_REPORT.test(text)) continue;
    const prev = starts[starts.length - 1];
    const near = prev !== undefined && i - prev.i < CONTINUATION_LINES;
    // Continuation lines of the open report (arm64 "Internal error" after "Unable to handle", an MCE group).
    if (near && CONTINUATION.test(text) && (hit.kind !== 'machine-check' || prev.rule.kind === 'machine-check')) continue;
    if (near && prev.rule.absorbs?.test(text)) continue;
    // A panic that only follows from the open report is part of it (syzkaller's rule); the
    // report's trace may come after the panic line (panic_on_warn).
    if (prev && hit.kind === 'panic' && prev.rule.kind !== 'panic' && prev.panic === undefined) {
      const reason = text.slice(PANIC_PREFIX.length).trim();
      if (FOLLOW_ON_PANIC.test(reason) && (!MCE_PANIC.test(reason) || prev.rule.kind === 'machine-check')) {
        prev.panic = reason;
        // The report ended the boot; the panic line is still an event of the timeline (an MCE
        // group's own panic is not: it is the machine check's verdict).
        if (prev.rule.kind !== 'machine-check') starts.push({ i, text, rule: hit, followOn: true });
        continue;
      }
    }
    starts.push({ i, text, rule: hit });
  }
  const events: CrashEvent[] = [];
  for (let k = 0; k < starts.length; k++) {
    const s = starts[k]!;
    // A header line with no printk caller (a userspace line on the console) inside a report
    // whose lines carry one does not cut that report: syzkaller reads a report by its context.
    // Nor does the panic it caused (panic_on_warn prints the WARNING's trace after it).
    const caller = messages[s.i]!.caller;
    let j = k + 1;
    while (j < starts.length && (starts[j]!.followOn || (caller !== undefined && bare(messages[starts[j]!.i]!)))) j++;
    const end = j < starts.length ? starts[j]!.i : messages.length;
    let r = j;
    while (caller !== undefined && r < starts.length && (starts[r]!.followOn || otherTask(messages[starts[r]!.i]!, caller))) r++;
    const readEnd = Math.min(r < starts.length ? starts[r]!.i : messages.length, end + MAX_INTERLEAVED);
    const ev = build(messages, s, end, readEnd);
    if (s.panic !== undefined) { ev.endsBoot = true; ev.panic = s.panic; }
    // "Fatal exception" alone means a lost report; after its report it is just the ending.
    if (s.followOn) ev.corrupted = false;
    if (ev.kind === 'panic' && ev.panic !== undefined && MCE_PANIC.test(ev.panic)) ev.kind = 'machine-check';
    const prev = events[events.length - 1];
    // An RCU stall on the CPU and task a lockup report later names is that lockup's symptom.
    if (ev.kind === 'lockup' && prev?.kind === 'rcu-stall' && prev.cpu === ev.cpu && prev.pid === ev.pid) {
      events.pop(); ev.first = prev.first; ev.source = prev.source;
      if (prev.tsNs !== undefined) ev.tsNs = prev.tsNs;
    }
    if (hangup) ev.corrupted = true;
    events.push(ev);
  }
  return events;
}

/** detect() over a log as text ("[ts] msg", "<6>[ts] msg", "[ts][T123] msg" lines). */
export function detectText(text: string): CrashEvent[] {
  return detect(bytesToMessages(Buffer.from(text, 'utf8'), { backend: 'text', path: '-' }));
}
