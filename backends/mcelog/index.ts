import { lazyRead, type Backend } from '../../src/backend.js';
import { headText } from '../../src/input/probe.js';
import { DISCLAIMER } from './layout.js';

export const mcelog: Backend = {
  id: 'mcelog',
  summary: "mcelog's log (/var/log/mcelog, `mcelog --ascii` output, mcelog lines in syslog): machine checks",
  probe(p) {
    if (p.isDirectory || p.head.length === 0) return 0;
    const head = headText(p);
    if (head.includes(DISCLAIMER) && /\bSTATUS [0-9a-f]+ MCGSTATUS [0-9a-f]+/i.test(head)) return 0.9;
    return /^(?:.*mcelog(?:\[\d+\])?: )?CPU \d+ (?:BANK \d+|\d+ \w|THERMAL EVENT)/m.test(head) && /\bSTATUS [0-9a-f]+ MCGSTATUS /i.test(head) ? 0.85 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readMcelog),
};
