// vmcores: ELF cores, makedumpfile kdump-compressed and flattened, QEMU's kdump writer,
// gzip-compressed copies of any of these, slim dumps with notes only. The container side
// is src/vmcore/*.ts; the log comes from src/vmcore/printk.
import { lazyRead, type Backend } from '../../src/backend.js';
import { isElfCore } from '../../src/vmcore/elf.js';
import { isFlattened } from '../../src/vmcore/flat.js';
import { isKdump } from '../../src/vmcore/kdump.js';
import { isGzip } from '../../src/vmcore/gzmember.js';
import { gunzipSync } from 'node:zlib';

export const vmcore: Backend = {
  id: 'vmcore',
  summary: 'vmcores: ELF core (/proc/vmcore, QEMU), kdump-compressed, flattened, gzip, slim',
  options: [{ key: 'avoid', kind: 'list' }],
  probe(p) {
    if (p.isDirectory || p.head.length < 16) return 0;
    if (isElfCore(p.head) || isKdump(p.head) || isFlattened(p.head)) return 0.95;
    if (isGzip(p.head)) {
      // Only a gzip whose first bytes inflate to a dump is ours.
      try {
        const inner = gunzipSync(p.head.subarray(0, 2048), { finishFlush: 2 /* Z_SYNC_FLUSH */, maxOutputLength: 4 << 20 });
        return isElfCore(inner) || isKdump(inner) || isFlattened(inner) ? 0.9 : 0;
      } catch {
        return 0;
      }
    }
    return 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readVmcore),
};
