import { lazyRead, type Backend } from '../../src/backend.js';
import { headText } from '../../src/input/probe.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { parsePstoreName } from './layout.js';
import { basename } from 'node:path';

export const pstore: Backend = {
  id: 'pstore',
  summary: 'pstore directory (/sys/fs/pstore or a copy): dmesg-, console-, pmsg-, ftrace-, mce- records of any backend',
  ordered: true,
  probe(p) {
    if (p.isDirectory) {
      const records = p.entries.filter((e) => parsePstoreName(e) !== undefined).length;
      return records === 0 ? 0 : 0.6 + 0.3 * (records / p.entries.length);
    }
    const name = parsePstoreName(basename(p.path));
    if (!name) return 0;
    if (name.type === 'dmesg' && !name.compressed) return parseDmesgHeader(headText(p, 64)) ? 0.9 : 0.5;
    return 0.7;
  },
  read: lazyRead(async () => (await import('./read.js')).readPstore),
};
