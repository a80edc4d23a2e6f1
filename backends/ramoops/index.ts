import { lazyRead, type Backend } from '../../src/backend.js';
import { zoneSigKind } from './scan.js';

export const ramoops: Backend = {
  id: 'ramoops',
  summary: 'raw ramoops memory region (RAM dump of the ramoops area); options mem_size, record_size, console_size, ftrace_size, pmsg_size, ecc, flags, or cmdline "ramoops.*=..."; found by scanning when not given',
  // fs/pstore/ram.c module_param()s, as `ramoops.record_size` on a kernel command line too.
  options: [
    ...(['mem_size', 'record_size', 'console_size', 'ftrace_size', 'pmsg_size'] as const).map((key) => ({ key, kind: 'size' as const, prefixes: ['ramoops.'] })),
    ...(['ecc', 'flags', 'max_reason', 'ftrace_cpus', 'mem_address', 'mem_type', 'dump_oops'] as const).map((key) => ({ key, kind: 'number' as const, prefixes: ['ramoops.'] })),
    { key: 'cmdline', kind: 'string' },
  ],
  probe(p) {
    // A directory is looked into entry by entry (src/input/resolve.ts): its images are found by content.
    if (p.isDirectory) return 0;
    if (p.head.length < 16) return 0;
    const dv = new DataView(p.head.buffer, p.head.byteOffset, 16);
    if (!zoneSigKind(dv.getUint32(0, true))) return 0;
    const start = dv.getUint32(4, true);
    const size = dv.getUint32(8, true);
    if (start > size || size > p.size) return 0;
    const text = Buffer.from(p.head.subarray(12, 16)).toString('latin1');
    return text === '====' || size === 0 ? 0.9 : 0.6;
  },
  read: lazyRead(async () => (await import('./read.js')).readRamoops),
};
