import { lazyRead, type Backend } from '../../src/backend.js';
import { headText } from '../../src/input/probe.js';

export const journal: Backend = {
  id: 'journal',
  summary: 'systemd journal export as JSON (journalctl -k -b -1 -o json)',
  probe(p) {
    if (p.isDirectory) return 0;
    const head = headText(p, 4096).replace(/^[\x1e\s[]+/, '');
    if (!head.startsWith('{')) return 0;
    return /"(__CURSOR|_BOOT_ID|__REALTIME_TIMESTAMP)"\s*:/.test(head) && /"MESSAGE"\s*:/.test(headText(p)) ? 0.95 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readJournal),
};
