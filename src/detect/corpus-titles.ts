// Reading crash-reports/ files (syzkaller test data, and fixtures/detect/syzbot-mail: syzbot's
// emails): header lines, blank line, log.
/** `frame`: syzkaller's FRAME: header (the function the title names), when the file has one. */
export interface CrashReportFile { titles: string[]; corrupted: boolean; log: string; frame?: string }

export function parseCrashReport(text: string): CrashReportFile {
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? '' : text.slice(0, blank);
  let log = blank < 0 ? text : text.slice(blank + 2);
  const rep = log.indexOf('\nREPORT:\n');
  if (rep >= 0) log = log.slice(0, rep);
  const titles: string[] = [];
  let corrupted = false;
  let frame: string | undefined;
  for (const l of head.split('\n')) {
    if (l.startsWith('FRAME: ')) frame = l.slice(7);
    // syzbot's dashboard numbers a bug reported again ("... (3)"): no report says it.
    if (l.startsWith('TITLE: ')) titles.unshift(l.slice(7).replace(/ \(\d{1,4}\)$/, ''));
    else if (l.startsWith('ALT: ')) titles.push(l.slice(5));
    else if (l === 'CORRUPTED: Y') corrupted = true;
  }
  return frame === undefined ? { titles, corrupted, log } : { titles, corrupted, log, frame };
}
