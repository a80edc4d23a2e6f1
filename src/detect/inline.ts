// Symbolized reports (syzbot's emails, `decode_stacktrace.sh`, crash's `bt -s`): the
// symbolizer writes each inlined call as a line of its own before the line it was inlined
// into, with the same prefix and "FUNC FILE:LINE [inline]" in place of "FUNC+0xOFF/0xSIZE":
//   BUG: KASAN: null-ptr-deref in instrument_atomic_read_write include/linux/instrumented.h:96 [inline]
//   BUG: KASAN: null-ptr-deref in __se_sys_io_uring_register+0x1227/0x3b60 io_uring/register.c:879
// (syzkaller pkg/report linux.go symbolizeLine: one line per inlined frame, the frame's
// prefix and suffix repeated). The kernel printed only the last; syzbot titles the raw
// console output. So a report is read as printed: an "[inline]" line followed by a line with
// its prefix is the symbolizer's, and left out of what detect() reads.
import type { KernelMessage } from '../model/index.js';

const INLINE = ' [inline]';
/** "FUNC FILE:LINE [inline]" at a line's end: what the symbolizer put after the prefix. */
const INLINE_FRAME = /(?:[A-Za-z0-9_.$]+) [^ ]+:\d+ \[inline\]$/;

/** The prefix the symbolizer repeated on an inlined frame's line, or undefined. */
function inlinePrefix(text: string): string | undefined {
  if (text.charCodeAt(text.length - 1) !== 93 || !text.endsWith(INLINE)) return undefined;
  const m = INLINE_FRAME.exec(text);
  return m ? text.slice(0, m.index) : undefined;
}

/** Indices of the messages detect() reads, or undefined when every one is (no symbolizer line). */
export function printedLines(messages: readonly KernelMessage[]): number[] | undefined {
  let keep: number[] | undefined;
  for (let i = 0; i < messages.length; i++) {
    const p = inlinePrefix(messages[i]!.text);
    const next = messages[i + 1]?.text;
    const added = p !== undefined && next !== undefined && next.startsWith(p) && next.length > p.length;
    if (added && !keep) keep = Array.from({ length: i }, (_, k) => k);
    else if (!added && keep) keep.push(i);
  }
  return keep;
}
