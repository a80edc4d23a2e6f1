import { lazyRead, type Backend } from '../../src/backend.js';
import { ERASED_SEQ, isMtdoopsMagic, MTDOOPS_MIN_RECORD } from './layout.js';

export const mtdoops: Backend = {
  id: 'mtdoops',
  summary: 'MTD partition image written by mtdoops (v1/v2 seq+magic headers, wrap-around); option record_size (found when not given)',
  options: [{ key: 'record_size', kind: 'number' }],
  ordered: true,
  probe(p) {
    // A directory is looked into entry by entry (src/input/resolve.ts): its images are found by content.
    if (p.isDirectory) return 0;
    if (p.head.length < 16) return 0;
    const dv = new DataView(p.head.buffer, p.head.byteOffset, p.head.byteLength);
    // a seq/magic header at a record boundary in the head
    let headers = 0;
    for (let i = 0; i + 8 <= p.head.length; i += MTDOOPS_MIN_RECORD) {
      const seq = dv.getUint32(i, true);
      const magic = dv.getUint32(i + 4, true);
      if (seq !== ERASED_SEQ && isMtdoopsMagic(magic)) headers++;
    }
    if (headers === 0) return 0;
    return isMtdoopsMagic(dv.getUint32(4, true)) ? 0.9 : 0.6;
  },
  read: lazyRead(async () => (await import('./read.js')).readMtdoops),
};
