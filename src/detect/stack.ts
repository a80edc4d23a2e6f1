// The guilty frame of a report, the way syzbot picks it (syzkaller pkg/report/report.go,
// extractStackFrame): a row lists PARTS matched in order over the report's lines: a marker line
// ("Call Trace:"), a line that names a frame (the RIP line, "at: func+0x"), or TRACE: the frame
// lines that follow, up to the next stack start. Skipped functions never count; each frame
// loses its syscall prefix (STRIP_PREFIXES); the extractor picks among the rest.
import { CORRUPTED_LINE, HANG_ANCHORS, HANG_SKIP, RISCV_STACK_START, STACK_START_RES, STALL_ANCHORS, skipRegex, stripFrame, type Skip } from './skip.js';
import { FN, FRAME, FRAME_LINES, PC, START } from './line-class.js';
import type { ReportText } from './report.js';

export type Part = 'trace' | RegExp;
export type Extractor = 'first' | 'stall' | 'hang';

export interface StackSpec {
  parts: readonly Part[];
  /** Tried when `parts` finds no frame. */
  parts2?: readonly Part[];
  /** Skipped on top of GENERIC_SKIP (regex sources, unanchored). */
  skip?: readonly string[];
  extractor?: Extractor;
}

/** The faulting instruction's line: x86 "RIP: 0010:func+0x", old "IP: [<..>] func", powerpc
 * "NIP: [..] func", arm64 "pc : func", arm32 "PC is at func" (syzkaller's linuxRipFrame). */
export const RIP = new RegExp(`(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]{1,5}:)?(?:${PC} {1,4}){0,2}${FN}|(?:[0-9]{1,5}:)?0x[0-9a-f]{1,16}|(?:[0-9]{1,5}:)?${PC} {1,4}\\[< *\\(null\\)>\\] {1,4}\\(null\\)|[0-9]{1,5}: {1,4}\\(null\\))`);
/** WARNINGs: x86 traps print the RIP line, powerpc64 "--- interrupt: 700 at func+0x..". */
export const WARN_START = new RegExp(`(?:${RIP.source}|--- interrupt: [0-9]{1,6} at ${FN})`);
/** Lock reports: "(&lock){+.+.}, at: [<..>] func+0x..". */
export const AT_FRAME = new RegExp(`at: (?:${PC} {1,4})?${FN}`);
export const PC_FRAME = new RegExp(`${PC} {1,4}${FN}`);
/** "Call Trace:" (x86), "Call trace:" (arm64), "Backtrace:" (arm32 without unwind tables). */
export const CALL_TRACE = /Call [Tt]race:|Backtrace:/;
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

/** Every captured, non-skipped function of a match (arm32 lines name two), while `out` has
 * fewer than `limit`. */
function framesOf(m: RegExpExecArray, skip: Skip, out: string[], limit: number): void {
  for (let g = 1; g < m.length && out.length < limit; g++) {
    const raw = m[g];
    if (raw === undefined) continue;
    const dot = raw.indexOf('.');
    const name = dot < 0 ? raw : raw.slice(0, dot);
    const f = name.charCodeAt(0) === 95 /* _ */ ? demangle(name) : name;
    if (!skip.test(f)) out.push(f);
  }
}

/** The guilty frame and the raw frames it was picked from (`top`: the non-skipped frames in order). */
export interface Guilty { fn?: string; ok: boolean; top: string[] }

function extract({ lines, bits }: ReportText, parts: readonly Part[], skip: Skip, pick: (f: string[]) => string | undefined): Guilty {
  let i = 0, ok = true, traces = 0;
  let frames: string[] = [];
  let fn: string | undefined;
  let top: string[] = [];
  // The first extractor reads the top frames only: past them a trace is read for where it ends.
  const limit = pick === first ? TOP_FRAMES : Infinity;
  for (let p = 0; ; p++) {
    if (p === parts.length || (parts[p] === 'trace' && traces > 0)) {
      // The first extractor looks at one frame; a signature at the top few: strip only those.
      const stripped = (pick === first ? frames.slice(0, TOP_FRAMES) : frames).map(stripFrame);
      const key = pick(stripped);
      if (key === undefined) ok = false;
      else if (fn === undefined) { fn = key; top = stripped.slice(0, TOP_FRAMES); }
      frames = [];
    }
    if (p === parts.length) break;
    const part = parts[p]!;
    if (part === 'trace') {
      traces++;
      const next = parts[p + 1];
      while (i < lines.length) {
        // A line's bits (line-class.ts) say whether it can be any of these: most are none.
        const c = bits[i]!;
        const ln = lines[i++]!;
        if (c & FRAME && CORRUPTED_LINE.test(ln)) { ok = false; break; }
        if (c & START) break;
        if (next !== undefined && next !== 'trace') {
          const m = next.exec(ln);
          if (m) { framesOf(m, skip, frames, limit); p++; break; }
        }
        if (c & FRAME && frames.length < limit) for (const re of FRAME_LINES) { const m = re.exec(ln); if (m) { framesOf(m, skip, frames, limit); break; } }
      }
    } else {
      while (i < lines.length) {
        const c = bits[i]!;
        const ln = lines[i++]!;
        if (c & FRAME && CORRUPTED_LINE.test(ln)) { ok = false; break; }
        if (ln.startsWith('Code: ')) continue;
        const m = part.exec(ln);
        if (m) { framesOf(m, skip, frames, limit); break; }
      }
    }
  }
  return fn === undefined ? { ok: false, top: [] } : { fn, ok, top };
}

/** Stalls loop across several functions: the frame above the first dispatch point names them. */
function stall(frames: string[]): string | undefined {
  let prev = frames[0];
  for (const f of frames) {
    if (STALL_ANCHORS.test(f)) return f.includes('smp_call_function') ? 'smp_call_function' : prev;
    prev = f;
  }
  return undefined;
}

function hang(frames: string[]): string | undefined {
  for (const f of frames) for (const [re, as] of HANG_ANCHORS) if (re.test(f)) return as ?? f;
  return frames.find((f) => !HANG_SKIP.test(f));
}

const first = (f: string[]): string | undefined => f[0];
const PICK: Record<Extractor, (f: string[]) => string | undefined> = { first, stall, hang };
/** Frames kept from the guilty stack (CrashEvent.guiltyFrames). */
const TOP_FRAMES = 8;

/** The guilty function of a report (lines from its header on), whether the stack was whole,
 * and the non-skipped frames it came from (for signatures). */
export function guiltyFunction(report: ReportText, spec: StackSpec): Guilty {
  const skip = skipRegex(spec.skip);
  const pick = PICK[spec.extractor ?? 'first'];
  const r = extract(report, spec.parts, skip, pick);
  if (r.ok || !spec.parts2) return r;
  return extract(report, spec.parts2, skip, pick);
}

/** Lines after a stack start within which its first frame must appear. */
const FRAME_WINDOW = 15;

/** The report lost its stack (syzkaller's isCorrupted): a stack start with no frame in the lines
 * after it, or no stack at all. */
export function stackMissing({ lines, bits }: ReportText): boolean {
  // Lines where some stack starts (STACK_START is STACK_START_RES joined); each key then looks only at those.
  const starts: number[] = [];
  for (let i = 0; i < lines.length; i++) if (bits[i]! & START) starts.push(i);
  let has = false;
  for (const key of STACK_START_RES) {
    const at = starts.find((i) => key.test(lines[i]!)) ?? -1;
    if (at < 0) continue;
    // syzkaller splits the report text, which ends in a newline: one more (empty) line.
    if (lines.length - at + 1 < 4) return true;
    let found = false;
    for (let i = at + 1; i < lines.length && i <= at + FRAME_WINDOW; i++) {
      const l = lines[i]!;
      if (bits[i]! & START) break;
      if (l.includes('(stack is not available)') || (bits[i]! & FRAME && FRAME_LINES.some((re) => re.test(l)))) { found = true; break; }
    }
    if (found) has = true;
    else if (key !== RISCV_STACK_START) return true;
  }
  return !has;
}
