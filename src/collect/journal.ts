// A structured entry in the systemd journal for each new incident. Node has no unix
// datagram sockets, so the entry goes to the journal's native socket
// (/run/systemd/journal/socket, one datagram of "FIELD=value" lines: systemd's
// docs/JOURNAL_NATIVE_PROTOCOL.md) through `logger --journald` (util-linux), which speaks
// that protocol. Failing that, `systemd-cat` (the stream socket) carries the MESSAGE only,
// so the fields are also spelled out inside it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { lstatSync } from 'node:fs';

/** Fixed MESSAGE_ID of crashlog's "crash collected" entries (journalctl MESSAGE_ID=...). */
export const MESSAGE_ID = 'cac2fee00a9740fd8c5c63b2dad5f346';
/** Longest value sent (a title is one line; journald itself caps a field at 64 KiB by default). */
const MAX_VALUE_CHARS = 4096;

export interface JournalIncident {
  id: string;
  cause: string;
  kind: string;
  title: string;
  signature: string;
  time?: string;
}

/** [field, value] pairs; values are single lines (newlines flattened), bounded. */
function fieldPairs(i: JournalIncident): [string, string][] {
  const flat = (s: string) => s.replace(/[\r\n]+/g, ' ').slice(0, MAX_VALUE_CHARS);
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
  return fields.map(([k, v]) => [k, flat(v)]);
}

/** The native-protocol entry: one "FIELD=value" line per field (no value holds a newline). */
export function journalFields(i: JournalIncident): string {
  return fieldPairs(i).map(([k, v]) => `${k}=${v}`).join('\n') + '\n';
}

/** The one line systemd-cat can carry: the message, then the fields a shipper would want. */
export function journalFallbackLine(i: JournalIncident): string {
  const f = new Map(fieldPairs(i));
  const keys = ['MESSAGE_ID', 'CRASHLOG_ENTRY', 'CRASHLOG_CAUSE', 'CRASHLOG_KIND', 'CRASHLOG_SIGNATURE'];
  return `${f.get('MESSAGE')} [${keys.map((k) => `${k}=${f.get(k)}`).join(' ')}]\n`;
}

export interface JournalSender {
  /** The journal's native datagram socket; without it, logger --journald is not tried. */
  socket: string;
  logger: string;
  systemdCat: string;
}

export const defaultSender: JournalSender = { socket: '/run/systemd/journal/socket', logger: 'logger', systemdCat: 'systemd-cat' };

function isSocket(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}

/** A program's failure in a few words; a warning on stderr counts (logger exits 0 after "could not be written"). */
function failure(r: SpawnSyncReturns<string>): string | undefined {
  const err = (r.stderr ?? '').trim();
  // EPIPE: it exited without reading the entry; what it said is the reason.
  if (r.error) return (r.error as NodeJS.ErrnoException).code === 'EPIPE' && err ? err : r.error.message;
  if (r.status !== 0) return err || `exit ${r.status}`;
  return err || undefined;
}

/** Send one entry; returns an error message when no way to the journal worked. */
export function sendToJournal(i: JournalIncident, via: JournalSender = defaultSender): string | undefined {
  const why: string[] = [];
  if (isSocket(via.socket)) {
    const r = spawnSync(via.logger, ['--journald'], { input: journalFields(i), encoding: 'utf8' });
    const bad = failure(r);
    if (bad === undefined) return undefined;
    why.push(`logger --journald: ${bad}`);
  } else {
    why.push(`no journal socket at ${via.socket} (is systemd-journald running?)`);
  }
  const cat = spawnSync(via.systemdCat, ['-t', 'crashlog', '-p', 'crit'], { input: journalFallbackLine(i), encoding: 'utf8' });
  const bad = failure(cat);
  if (bad === undefined) return undefined;
  why.push(`systemd-cat: ${bad}`);
  return `cannot write to the systemd journal: ${why.join('; ')}`;
}
