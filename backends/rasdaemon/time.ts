/** rasdaemon's "2026-11-22 19:32:17 +0000" (strftime "%Y-%m-%d %H:%M:%S %z"). */
export function parseRasTimestamp(s: unknown): Date | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)$/.exec(s.trim());
  const d = m ? new Date(`${m[1]}T${m[2]}${m[3]}:${m[4]}`) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
}
