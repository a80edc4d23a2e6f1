// A crash signature for fleet dedup: the same bug on two machines and two kernels gives one
// signature; two bugs that share a title ("kernel panic: sysrq triggered crash") give two.
// It hashes the normalized title and the top frames of the guilty stack, as ABRT's duphash
// and ChromeOS' kernel crash signatures hash the stack: function names only, without offsets,
// addresses, modules' load addresses, compiler clone suffixes (".isra.0", ".constprop.0",
// ".cold") or the arch's syscall prefix ("__x64_sys_", "__arm64_sys_"), and never the frames
// syzkaller skips (sanitizers, printk, locking, allocators...). Pure: same event, same string.
import { createHash } from 'node:crypto';
import type { Frame } from './types.js';
import { cleanFunction } from './frames.js';
import { skipRegex, stripFrame } from './skip.js';
import { demangle } from './stack.js';
import { normalizeTitle } from './title.js';

/** Frames of the guilty stack that go into a signature. Deeper frames are callers that differ
 * between two paths to one bug (syscall vs workqueue); three is ABRT's koops choice. */
export const SIGNATURE_FRAMES = 3;

/** What a signature reads of a detected event (a CrashEvent has all of it). */
export interface SignatureSource {
  title: string;
  function?: string;
  /** Non-skipped frames of the stack the guilty function came from (CrashEvent.guiltyFrames). */
  guiltyFrames?: readonly string[];
  /** The report's frames in print order, IP first (CrashEvent.frames). */
  frames?: readonly Frame[];
}

/** The report's own frames as signature names: reliable ones, cleaned, generic machinery skipped,
 * a frame repeated right after itself (the IP line, then the trace's top) kept once. */
function traceNames(frames: readonly Frame[]): string[] {
  const skip = skipRegex();
  const out: string[] = [];
  for (const f of frames) {
    if (f.unreliable) continue;
    const raw = demangle(cleanFunction(f.function));
    if (skip.test(raw)) continue;
    const name = stripFrame(raw);
    if (out[out.length - 1] !== name) out.push(name);
  }
  return out;
}

/** The frames a signature hashes: the guilty stack's top frames; when that stack is shorter
 * (a WARNING's RIP line alone), the report's trace from the guilty function down. */
export function signatureFrames(ev: SignatureSource): string[] {
  const guilty = (ev.guiltyFrames ?? []).filter((f, i, a) => a[i - 1] !== f);
  if (guilty.length >= SIGNATURE_FRAMES) return guilty.slice(0, SIGNATURE_FRAMES);
  const trace = traceNames(ev.frames ?? []);
  const from = guilty[0] ?? (ev.function !== undefined ? stripFrame(ev.function) : undefined);
  const at = from === undefined ? -1 : trace.indexOf(from);
  const rest = at >= 0 ? trace.slice(at) : [...guilty, ...trace];
  const out: string[] = [];
  for (const f of rest) if (out[out.length - 1] !== f) out.push(f);
  return out.slice(0, SIGNATURE_FRAMES);
}

/** The text a signature hashes, readable: "title\nframe\nframe\nframe". With `lead` (what a
 * trigger such as sysrq or panic_on_warn fired on) the lead's own key comes first. */
export function signatureKey(ev: SignatureSource, lead?: SignatureSource): string {
  const own = [normalizeTitle(ev.title), ...signatureFrames(ev)].join('\n');
  return lead ? `${signatureKey(lead)}\n--\n${own}` : own;
}

/** sha256 (hex) of signatureKey(). */
export function signature(ev: SignatureSource, lead?: SignatureSource): string {
  return createHash('sha256').update(signatureKey(ev, lead)).digest('hex');
}
