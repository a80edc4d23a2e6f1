// The guilty frame of a report, the way syzbot picks it (syzkaller pkg/report, extractStackFrame):
// a rule lists PARTS matched in order over the report's lines: a marker line ("Call Trace:"),
// a line that names a frame (the RIP line, "at: func+0x"), or TRACE: the frame lines that follow,
// up to the next stack start. Skipped functions never count; the extractor picks among the rest.
import { CORRUPTED_LINE, HANG_ANCHORS, HANG_SKIP, STACK_START, STALL_ANCHORS, STALL_STRIP, skipRegex } from './skip.js';

export type Part = 'trace' | RegExp;
export type Extractor = 'first' | 'stall' | 'hang';

export interface StackSpec {
  parts: readonly Part[];
  /** Tried when `parts` finds no frame. */
  parts2?: readonly Part[];
  /** Skipped on top of GENERIC_SKIP (substrings). */
  skip?: readonly string[];
  extractor?: Extractor;
}

const FN = '([A-Za-z0-9_]{1,200})(?:\\.|\\+)';
const PC = '\\[<?(?:0x)?[0-9a-f]{1,16}>?\\]';
/** The faulting instruction's line: x86 "RIP: 0010:func+0x", old "IP: [<..>] func", arm64 "pc : func". */
export const RIP = new RegExp(`(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]{1,5}:)?(?:${PC} {1,4}){0,2}${FN}|(?:[0-9]{1,5}:)?0x[0-9a-f]{1,16}|(?:[0-9]{1,5}:)?${PC} {1,4}\\[< *\\(null\\)>\\] {1,4}\\(null\\)|[0-9]{1,5}: {1,4}\\(null\\))`);
/** Lock reports: "(&lock){+.+.}, at: [<..>] func+0x..". */
export const AT_FRAME = new RegExp(`at: (?:${PC} {1,4})?${FN}`);
export const PC_FRAME = new RegExp(`${PC} {1,4}${FN}`);
export const CALL_TRACE = /Call [Tt]race:/;
/** A frame line: " func+0x1/0x2", " [<ffff..>] func+0x..", arm32 "[<..>] (callee) from [<..>] (caller+0x..)". */
const FRAME_LINES = [
  new RegExp(`^ *(?:${PC} ?){0,2}${FN}`),
  new RegExp(`^ *${PC} \\(([A-Za-z0-9_.]{1,200})\\) from ${PC} \\(${FN}`),
];

export function headerFrame(header: string): RegExp {
  return new RegExp(`${header}${FN}`);
}

/** C++ ("_Z8fakeNameiii") and Rust v0 ("_RNv...6kernel4init") symbols: the function's own name. */
export function demangle(name: string): string {
  const cxx = /^_Z(\d{1,3})/.exec(name);
  if (cxx) return name.substr(cxx[0].length, Number(cxx[1])) || name;
  if (name.startsWith('_R')) {
    // The path's last identifier is "<length><ident>" ending the symbol.
    for (const m of name.matchAll(/\d{1,3}(?=[A-Za-z_])/g)) {
      const end = m.index + m[0].length;
      if (end + Number(m[0]) === name.length) return name.slice(end);
    }
  }
  return name;
}

function frameOf(m: RegExpExecArray | null, skip: RegExp): string | undefined {
  if (!m) return undefined;
  for (let g = 1; g < m.length; g++) {
    const f = m[g];
    if (f !== undefined && !skip.test(f)) return demangle(f.replace(/\..*$/, ''));
  }
  return undefined;
}

function extract(lines: readonly string[], parts: readonly Part[], skip: RegExp, pick: (f: string[]) => string | undefined): { fn?: string; ok: boolean } {
  let i = 0, ok = true, traces = 0;
  let frames: string[] = [];
  let fn: string | undefined;
  const push = (m: RegExpExecArray | null) => { const f = frameOf(m, skip); if (f) frames.push(f); };
  for (let p = 0; ; p++) {
    if (p === parts.length || (parts[p] === 'trace' && traces > 0)) {
      const key = pick(frames);
      if (key === undefined) ok = false; else fn ??= key;
      frames = [];
    }
    if (p === parts.length) break;
    const part = parts[p]!;
    if (part === 'trace') {
      traces++;
      while (i < lines.length) {
        const ln = lines[i++]!;
        if (CORRUPTED_LINE.test(ln)) { ok = false; break; }
        if (STACK_START.test(ln)) break;
        const next = parts[p + 1];
        if (next !== undefined && next !== 'trace') {
          const m = next.exec(ln);
          if (m) { push(m); p++; break; }
        }
        for (const re of FRAME_LINES) { const m = re.exec(ln); if (m) { push(m); break; } }
      }
    } else {
      while (i < lines.length) {
        const ln = lines[i++]!;
        if (CORRUPTED_LINE.test(ln)) { ok = false; break; }
        if (ln.startsWith('Code: ')) continue;
        const m = part.exec(ln);
        if (m) { push(m); break; }
      }
    }
  }
  return fn === undefined ? { ok: false } : { fn, ok };
}

function stall(frames: string[]): string | undefined {
  let prev = frames[0];
  for (const f of frames) {
    if (STALL_ANCHORS.test(f)) {
      if (f.includes('smp_call_function')) prev = 'smp_call_function';
      return prev?.replace(STALL_STRIP, '');
    }
    prev = f;
  }
  // No dispatch point in view (a cut trace, an unusual entry): the top frame, as other reports.
  return frames[0];
}

function hang(frames: string[]): string | undefined {
  for (const f of frames) for (const [re, as] of HANG_ANCHORS) if (re.test(f)) return as ?? f;
  return frames.find((f) => !HANG_SKIP.test(f));
}

const PICK: Record<Extractor, (f: string[]) => string | undefined> = { first: (f) => f[0], stall, hang };

/** The guilty function of a report (lines from its header on), and whether the stack was whole. */
export function guiltyFunction(lines: readonly string[], spec: StackSpec): { fn?: string; ok: boolean } {
  const skip = skipRegex(spec.skip);
  const pick = PICK[spec.extractor ?? 'first'];
  const r = extract(lines, spec.parts, skip, pick);
  if (r.ok || !spec.parts2) return r;
  return extract(lines, spec.parts2, skip, pick);
}

/** Lines after a stack start within which its first frame must appear. */
const FRAME_WINDOW = 15;
const STACK_KEYS = [/Call [Tt]race/, /Allocated:/, /Allocated by task \d{1,10}:/, /Freed:/, /Freed by task \d{1,10}:/, /[^k] backtrace:/];

/** The report lost its stack (syzkaller's isCorrupted): no trace at all, or a trace header
 * without a frame after it. */
export function stackMissing(lines: readonly string[]): boolean {
  if (!lines.some((l) => l.includes('Call Trace') || l.includes('Call trace') || l.includes('backtrace'))) return true;
  for (const key of STACK_KEYS) {
    const at = lines.findIndex((l) => key.test(l));
    if (at < 0) continue;
    if (lines.length - at < 4) return true;
    let found = false;
    for (let i = at + 1; i < lines.length && i <= at + FRAME_WINDOW; i++) {
      const l = lines[i]!;
      if (STACK_KEYS.some((k) => k.test(l))) break;
      if (l.includes('(stack is not available)') || FRAME_LINES.some((re) => re.test(l))) { found = true; break; }
    }
    if (!found) return true;
  }
  return false;
}
