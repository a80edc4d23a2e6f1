// A structured entry in the systemd journal for each new incident. Node has no unix
// datagram sockets, so the entry goes through `logger --journald` (util-linux), which
// sends it to /run/systemd/journal/socket; failing that `systemd-cat` (MESSAGE only).
import { spawnSync } from 'node:child_process';

/** Fixed MESSAGE_ID of crashlog's "crash collected" entries (journalctl MESSAGE_ID=...). */
export const MESSAGE_ID = 'cac2fee00a9740fd8c5c63b2dad5f346';

export interface JournalIncident {
  id: string;
  cause: string;
  kind: string;
  title: string;
  signature: string;
  time?: string;
}

/** One field per line (journal export style); newlines in values are flattened. */
export function journalFields(i: JournalIncident): string {
  const flat = (s: string) => s.replace(/[\r\n]+/g, ' ');
  const fields: [string, string][] = [
    ['MESSAGE_ID', MESSAGE_ID],
    ['MESSAGE', flat(`crashlog: ${i.cause} crash: ${i.title} (archive ${i.id})`)],
    ['PRIORITY', '2'],
    ['SYSLOG_IDENTIFIER', 'crashlog'],
    ['CRASHLOG_ENTRY', i.id],
    ['CRASHLOG_CAUSE', i.cause],
    ['CRASHLOG_KIND', i.kind],
    ['CRASHLOG_TITLE', flat(i.title)],
    ['CRASHLOG_SIGNATURE', i.signature],
  ];
  if (i.time) fields.push(['CRASHLOG_TIME', i.time]);
  return fields.map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

export interface JournalSender {
  /** Programs tried in order: [command, args, what to feed it]. */
  logger: string;
  systemdCat: string;
}

export const defaultSender: JournalSender = { logger: 'logger', systemdCat: 'systemd-cat' };

/** Send one entry; returns an error message when no way to the journal worked. */
export function sendToJournal(i: JournalIncident, via: JournalSender = defaultSender): string | undefined {
  const entry = journalFields(i);
  const viaLogger = spawnSync(via.logger, ['--journald'], { input: entry, encoding: 'utf8' });
  if (!viaLogger.error && viaLogger.status === 0) return undefined;
  const message = entry.split('\n').find((l) => l.startsWith('MESSAGE='))!.slice('MESSAGE='.length);
  const viaCat = spawnSync(via.systemdCat, ['-t', 'crashlog', '-p', 'crit'], { input: message + '\n', encoding: 'utf8' });
  if (!viaCat.error && viaCat.status === 0) return undefined;
  const why = (r: typeof viaLogger) => (r.error ? r.error.message : (r.stderr || `exit ${r.status}`).trim());
  return `cannot write to the systemd journal: logger --journald: ${why(viaLogger)}; systemd-cat: ${why(viaCat)}`;
}
