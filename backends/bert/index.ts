import { lazyRead, type Backend } from '../../src/backend.js';
import { looksLikeEstatus } from '../../src/cper/estatus.js';

export const bert: Backend = {
  id: 'bert',
  summary: 'ACPI BERT error region (/sys/firmware/acpi/tables/data/BERT): generic error status blocks with CPER sections',
  probe(p) {
    if (p.isDirectory) return 0;
    return looksLikeEstatus(p.head, 0) ? 0.8 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readBert),
};
