// Times as a person reads them (date-fns): the UTC instant, the machine's local time beside
// it, and spans as words ("3 h 12 min before the fatal one").
import { differenceInSeconds, format, formatDuration, intervalToDuration } from 'date-fns';

const isDate = (d: Date): boolean => !Number.isNaN(d.getTime());

/** "2026-11-22T19:32:35.000Z (Sun 22 Nov 2026 20:32:35 local)", or the text as given. */
export function humanTime(iso: string): string {
  const d = new Date(iso);
  if (!isDate(d)) return iso;
  return `${iso} (${format(d, 'EEE d MMM yyyy HH:mm:ss')} local)`;
}

/** "3 h 12 min" between two ISO times (earlier first); "under a second"; undefined when either is not a time. */
export function span(fromIso: string, toIso: string): string | undefined {
  const a = new Date(fromIso);
  const b = new Date(toIso);
  if (!isDate(a) || !isDate(b)) return undefined;
  const secs = Math.abs(differenceInSeconds(b, a));
  if (secs < 1) return 'under a second';
  const d = intervalToDuration({ start: 0, end: secs * 1000 });
  // Two units at most: "9 days 4 hours", "3 hours 12 minutes", "42 seconds".
  const units = (['years', 'months', 'days', 'hours', 'minutes', 'seconds'] as const).filter((u) => d[u]);
  return formatDuration(d, { format: units.slice(0, 2) });
}
