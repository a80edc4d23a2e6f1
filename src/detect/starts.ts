// Whether a line could start a report: the per-line test of detect() (index.ts) without its
// context, so a superset of the lines detect() starts an event at. A long log keeps the
// lines around these (src/timeline/keep.ts) and lets the others go unread by detect().
import { headerText } from './index.js';
import { matchFirst } from './rules.js';

/** GCE's serial console dropped (index.ts GCE_HANGUP): detect() marks what follows cut. */
const GCE_HANGUP = 'serialport: VM disconnected.';

/** detect()'s header test: the table's rows on the header text, or on a header merged after
 * another line's time stamp ("] " then a header's first letter: a superset of MERGED_HEADER). */
export function mayStartReport(raw: string): boolean {
  const text = headerText(raw);
  if (matchFirst(text) !== undefined || text.startsWith(GCE_HANGUP)) return true;
  for (let k = text.indexOf('] '); k >= 0; k = text.indexOf('] ', k + 2)) {
    if (matchFirst(text.slice(k + 2)) !== undefined) return true;
  }
  return false;
}
