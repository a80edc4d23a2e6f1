// The structure-aware mutators, one per format family (types.ts says what one is).
import { cper } from './cper.js';
import { elf } from './elf.js';
import { kdump } from './kdump.js';
import { lines } from './lines.js';
import { pcap } from './pcap.js';
import { pstore } from './pstore.js';
import { ring } from './ring.js';
import { smbios } from './smbios.js';
import { sqlite } from './sqlite.js';
import type { StructureMutator } from './types.js';
import { vmcoreinfo } from './vmcoreinfo.js';
import { zones } from './zones.js';

export type { MutateCase, StructureMutator } from './types.js';

export const mutators: StructureMutator[] = [cper, elf, kdump, lines, pcap, pstore, ring, smbios, sqlite, vmcoreinfo, zones];
