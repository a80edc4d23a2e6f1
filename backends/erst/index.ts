import { lazyRead, type Backend } from '../../src/backend.js';
import { looksLikeCper } from '../../src/cper/record.js';
import { QEMU_ERST_MAGIC } from './layout.js';

export const erst: Backend = {
  id: 'erst',
  summary: 'ACPI ERST store (QEMU acpi-erst backing file, NVRAM dump) or raw CPER records: pstore dmesg and MCE sections, memory errors',
  probe(p) {
    if (p.isDirectory || p.head.length < 8) return 0;
    if (Buffer.from(p.head.subarray(0, 8)).toString('latin1') === QEMU_ERST_MAGIC) return 0.95;
    return looksLikeCper(p.head, 0) ? 0.9 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readErst),
};
