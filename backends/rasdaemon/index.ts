import { lazyRead, type Backend } from '../../src/backend.js';
import { headText } from '../../src/input/probe.js';
import { RASDAEMON_TABLES, SQLITE_MAGIC } from './layout.js';

export const rasdaemon: Backend = {
  id: 'rasdaemon',
  summary: "rasdaemon's SQLite database (ras-mc_event.db): machine checks (mce_record), memory errors (mc_event), PCIe AER",
  probe(p) {
    if (p.isDirectory || p.head.length < 100) return 0;
    const head = headText(p);
    if (!head.startsWith(SQLITE_MAGIC)) return 0;
    // The schema is on the first page: rasdaemon's table names say whose database it is.
    return RASDAEMON_TABLES.some((t) => head.includes(`CREATE TABLE ${t}`)) ? 0.95 : 0.1;
  },
  read: lazyRead(async () => (await import('./read.js')).readRasdaemon),
};
