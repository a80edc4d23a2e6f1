// The crash-title table (after syzkaller pkg/report/linux.go: one row per report format:
// header, title format, where the guilty function comes from, corrupted rule). Rows are tried
// in order; the first whose header (and `need` lines) match names the report.
import type { TitleRule } from './rule-types.js';
import { literalPrefix } from './prefix.js';
import { MEMORY_RULES } from './rules-memory.js';
import { BUG_RULES } from './rules-bug.js';
import { INFO_RULES } from './rules-info.js';
import { OOPS_RULES } from './rules-oops.js';
import { OTHER_RULES, PANIC_RULES } from './rules-panic.js';
import { WARN_RULES } from './rules-warn.js';

export type { CrashKind, TitleRule } from './rule-types.js';
export { normalizeTitle } from './title.js';

export const RULES: readonly TitleRule[] = [...MEMORY_RULES, ...BUG_RULES, ...OOPS_RULES, ...WARN_RULES, ...INFO_RULES, ...PANIC_RULES, ...OTHER_RULES];

// Rows by the first two characters of their header's literal prefix, read from the header
// regex itself (prefix.ts), so no row can be missed: a line whose first two characters start
// no row costs one table read. A row whose prefix is shorter is tried on every line.
interface Indexed { rule: TitleRule; prefix: string }
const INDEXED: readonly Indexed[] = RULES.map((rule) => ({ rule, prefix: literalPrefix(rule.header) }));
const pairOf = (c0: number, c1: number): number => (c0 < 128 && c1 < 128 ? c0 * 128 + c1 : -1);
const pairOfPrefix = (p: string): number => (p.length < 2 ? -1 : pairOf(p.charCodeAt(0), p.charCodeAt(1)));
const ANY_LINE = INDEXED.filter((r) => pairOfPrefix(r.prefix) < 0);
/** Rows a line starting with an ASCII pair may match, in table order, by pair. */
const BY_PAIR: (readonly Indexed[] | undefined)[] = new Array<undefined>(128 * 128).fill(undefined);
for (const { prefix } of INDEXED) {
  const k = pairOfPrefix(prefix);
  if (k >= 0) BY_PAIR[k] ??= INDEXED.filter((r) => pairOfPrefix(r.prefix) === k || pairOfPrefix(r.prefix) < 0);
}

/** Rows `text` may match (`c0`: its first character, when the caller has read it). */
function candidates(text: string, c0 = text.charCodeAt(0)): readonly Indexed[] | undefined {
  const k = pairOf(c0, text.charCodeAt(1));
  return (k >= 0 ? BY_PAIR[k] : undefined) ?? (ANY_LINE.length ? ANY_LINE : undefined);
}

/** Whether some row could match the text from `at` (its first two characters start a row's
 * prefix): a test of two characters, without slicing the text. */
export function mayMatchAt(text: string, at: number): boolean {
  if (ANY_LINE.length) return true;
  const k = pairOf(text.charCodeAt(at), text.charCodeAt(at + 1));
  return k >= 0 && BY_PAIR[k] !== undefined;
}

/** The literal prefix of each row's header: what a line must start with for the row to be tried. */
export function rowPrefixes(): readonly Indexed[] {
  return INDEXED;
}

/** The first row whose header matches this line (the per-line test of detect()). */
export function matchFirst(text: string, c0 = text.charCodeAt(0)): TitleRule | undefined {
  const list = candidates(text, c0);
  if (!list) return undefined;
  for (const { rule, prefix } of list) if (text.startsWith(prefix) && rule.header.test(text)) return rule;
  return undefined;
}

/** Rows whose header matches this line, in table order (several when `need` decides), each
 * tested only when the one before it was not taken; from `first` on when matchFirst() found it
 * (the rows before it do not match). */
export function* eachMatch(text: string, first?: TitleRule): Generator<{ rule: TitleRule; m: RegExpExecArray }> {
  let from = first === undefined;
  for (const { rule, prefix } of candidates(text) ?? []) {
    if (!from && rule !== first) continue;
    from = true;
    if (!text.startsWith(prefix)) continue;
    const m = rule.header.exec(text);
    if (m) yield { rule, m };
  }
}

/** All rows whose header matches this line, in table order. */
export function matchRules(text: string): { rule: TitleRule; m: RegExpExecArray }[] {
  return [...eachMatch(text)];
}

/** Lines that name no report of their own: suppressed headers (syzkaller's per-header ignores). */
// Matched ignoring case, as syzkaller's "(?i)warning: .* uses wireless extensions".
export const NOT_A_REPORT = new RegExp([
  '^INFO: lockdep is turned off', '^INFO: Stall ended before state dump start', '^INFO: NMI handler', '^INFO: recovery required on readonly filesystem',
  '^INFO: .{0,200}(?:handler|interrupt).{0,200}took too long', '^INFO: sys_.{0,100} is not present in /proc/kallsyms', '^INFO: no syscalls can create resource',
  '^WARNING: /etc/ssh/moduli does not exist', '^WARNING: workqueue cpumask: online intersect > possible intersect', '^WARNING: [Tt]he mand mount option',
  '^WARNING: Unsupported flag value', '^WARNING: Unprivileged eBPF is enabled with eIBRS', '^WARNING: fbcon: ', '^WARNING: See https.{0,200} for mitigation options',
  '^WARNING: kernel not compiled with CPU_SRSO', '^WARNING: .{0,200} uses (?:deprecated v2 capabilities|wireless extensions)',
  '^BUG: no syscalls can create resource',
].join('|'), 'i');

/** Panic reasons that only follow from the event before them: folded into it (syzkaller's rule). */
// arm64/arm die() says which oops: "Oops - BUG: Fatal exception".
export const FOLLOW_ON_PANIC = /^(?:kernel: )?(?:Oops[\w -]{0,40}: )?(?:Fatal exception|panic_on_warn set|hung_task: blocked tasks|softlockup: hung tasks|hard LOCKUP|Hard LOCKUP|Out of memory|System is deadlocked on memory|Fatal machine check|Fatal local machine check|scheduling while atomic|Machine halted)/;
/** Panic reasons of a machine check: the event is a machine-check one. */
export const MCE_PANIC = /^Fatal (?:local )?machine check/;

/** Lines that continue the open report instead of starting one (arm64 and x86 oops bodies). */
// syzkaller's reportStartIgnores: "Internal error:", "invalid opcode: 0000", "PANIC: double fault",
// "unregister_netdevice: waiting for" never start a second report.
export const CONTINUATION = /^(?:Internal error: |Oops: |Mem abort info|Data abort info|invalid opcode: 0000|PANIC: double fault|unregister_netdevice: waiting for|mce: \[Hardware Error\]: )/;
