// Whether a line could start a report: the per-line test of detect() (index.ts) without its
// context, so a superset of the lines detect() starts an event at. A long log keeps the
// lines around these (src/timeline/keep.ts) and lets the others go unread by detect().
import { GCE_HANGUP, headerText, startsWith } from './header.js';
import { matchFirst, mayMatchAt } from './rules.js';

/** detect()'s header test: the table's rows on the header text, or on a header merged after
 * another line's time stamp ("] " then a header's first letters: a superset of MERGED_HEADER). */
export function mayStartReport(raw: string): boolean {
  const text = headerText(raw);
  if (matchFirst(text) !== undefined || startsWith(text, text.charCodeAt(0), GCE_HANGUP)) return true;
  for (let k = text.indexOf(']'); k >= 0; k = text.indexOf(']', k + 1)) {
    if (text.charCodeAt(k + 1) === 32 && mayMatchAt(text, k + 2) && matchFirst(text.slice(k + 2)) !== undefined) return true;
  }
  return false;
}
