import { lazyRead, type Backend } from '../../src/backend.js';
import { ZONE_ALIGN } from './layout.js';
import { headerAt } from './scan.js';

export const pstoreBlk: Backend = {
  id: 'pstore-blk',
  summary: 'pstore/zone image (pstore_blk block device, mtdpstore MTD partition): kmsg, pmsg, console, ftrace zones; options kmsg_size, pmsg_size, console_size, ftrace_size (kbytes, as the pstore_blk module parameters), total_size, cpus, or cmdline "pstore_blk.*=..."; found by scanning when not given',
  // fs/pstore/blk.c module_param()s (sizes in kbytes), as `pstore_blk.kmsg_size` on a command line too.
  options: [
    ...(['kmsg_size', 'pmsg_size', 'console_size', 'ftrace_size'] as const).map((key) => ({ key, kind: 'size' as const, prefixes: ['pstore_blk.', 'mtdpstore.', 'pstore_zone.'] })),
    ...(['total_size', 'cpus', 'nr_cpus', 'max_reason'] as const).map((key) => ({ key, kind: 'number' as const, prefixes: ['pstore_blk.', 'mtdpstore.', 'pstore_zone.'] })),
    ...(['blkdev', 'best_effort'] as const).map((key) => ({ key, kind: 'list' as const, prefixes: ['pstore_blk.'] })),
    { key: 'cmdline', kind: 'string' },
  ],
  probe(p) {
    if (p.isDirectory || p.head.length < 16) return 0;
    const dv = new DataView(p.head.buffer, p.head.byteOffset, p.head.byteLength);
    const first = headerAt(dv, 0, p.size);
    if (first && !first.noMagic) return first.kind === 'dmesg' ? 0.95 : 0.9;
    // Unwritten zones have no header: look further in for a kmsg zone, or for a pmsg or
    // console zone where blk.c puts them (sizes are multiples of 4096).
    let best = 0;
    for (let i = 4; i + 16 <= p.head.length; i += 4) {
      const h = headerAt(dv, i, p.size);
      if (h?.kind === 'dmesg' && !h.noMagic) return 0.9;
      if (h && h.kind !== 'dmesg' && i % ZONE_ALIGN === 0) best = 0.85;
    }
    return best;
  },
  read: lazyRead(async () => (await import('./read.js')).readPstoreBlk),
};
