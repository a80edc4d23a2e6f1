// The only backend registry. The CLI, the docs and the tests loop over this list.
// A new format is one folder in backends/ plus one line here.
import type { Backend } from '../src/backend.js';
import { bert } from './bert/index.js';
import { dmi } from './dmi/index.js';
import { edac } from './edac/index.js';
import { efi } from './efi/index.js';
import { erst } from './erst/index.js';
import { journal } from './journal/index.js';
import { mcelog } from './mcelog/index.js';
import { rasdaemon } from './rasdaemon/index.js';
import { mtdoops } from './mtdoops/index.js';
import { pcap } from './pcap/index.js';
import { pstore } from './pstore/index.js';
import { pstoreBlk } from './pstore-blk/index.js';
import { ramoops } from './ramoops/index.js';
import { text } from './text/index.js';
import { vmcore } from './vmcore/index.js';

export const backends: Backend[] = [
  pstore,
  ramoops,
  pstoreBlk,
  mtdoops,
  vmcore,
  efi,
  erst,
  bert,
  rasdaemon,
  mcelog,
  dmi,
  edac,
  journal,
  pcap,
  text,
];

export function backendById(id: string): Backend | undefined {
  return backends.find((b) => b.id === id);
}
