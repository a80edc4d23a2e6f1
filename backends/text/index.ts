import { lazyRead, type Backend } from '../../src/backend.js';
import { headText } from '../../src/input/probe.js';
import { KMSG_RECORD, SYSLOG_BSD, SYSLOG_ISO, TIMESTAMP_ANYWHERE } from './layout.js';

/** Kernel log lines a head with more than 2% control bytes must still show to be text. */
const NOISY_MIN_LINES = 8;
const KERNELISH = /Linux version|Call Trace|Kernel panic|BUG: |WARNING: |Oops|RIP: |pc : /;

export const text: Backend = {
  id: 'text',
  summary: 'kernel log as text: dmesg, serial/netconsole capture, kern.log/syslog, /dev/kmsg records',
  options: [{ key: 'year', kind: 'number' }],
  probe(p) {
    if (p.isDirectory || p.head.length === 0) return 0;
    let binary = 0;
    for (const b of p.head) if (b === 0 || (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x1b)) binary++;
    if (binary > p.head.length / 2) return 0;
    // JSON (a journal export, a manifest) is not a text log, whatever its strings hold.
    if (/^\s*[[{]\s*["{\]]/.test(headText(p, 64))) return 0;
    const lines = headText(p).split('\n').slice(0, 400);
    let hits = 0;
    for (const l of lines) {
      if (TIMESTAMP_ANYWHERE.test(l) || KMSG_RECORD.test(l) || SYSLOG_BSD.test(l) || SYSLOG_ISO.test(l) || KERNELISH.test(l)) hits++;
    }
    // A serial capture takes line noise (a baud-rate change, a board's boot ROM): bursts of
    // control bytes are tolerated where enough lines read as a kernel log around them.
    if (binary > p.head.length / 50 && hits < NOISY_MIN_LINES) return 0;
    if (hits === 0) return 0.05; // any text is a log of sorts, but the least likely reading
    return 0.3 + 0.5 * (hits / lines.length);
  },
  read: lazyRead(async () => (await import('./read.js')).readText),
};
