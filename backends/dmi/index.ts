import { lazyRead, type Backend } from '../../src/backend.js';
import { parseEntryPoint } from './entry.js';
import { SYSFS_ENTRY, SYSFS_TABLE, TYPE } from './layout.js';
import { walkTable } from './table.js';

/** A bare table (a `DMI` file copied alone) is only taken when named: nothing marks it but its shape. */
const BARE_TABLE = 0.25;
const MIN_BARE_STRUCTURES = 3;

export const dmi: Backend = {
  id: 'dmi',
  summary: 'SMBIOS/DMI tables (/sys/firmware/dmi/tables, `dmidecode --dump-bin`): BIOS, system, baseboard, memory devices (DIMMs)',
  probe(p) {
    if (p.isDirectory) {
      // /sys/firmware/dmi/tables or a copy of it; a folder with more in it is looked into,
      // and its entry point file read with the DMI file beside it.
      const names = new Set(p.entries);
      return names.has(SYSFS_ENTRY) && names.has(SYSFS_TABLE) && names.size === 2 ? 0.9 : 0;
    }
    if (parseEntryPoint(p.head)) return 0.95;
    if (p.size > p.head.length || p.size === 0) return 0;
    const { structures, problems } = walkTable(p.head.subarray(0, p.size), p.path, 0, 0, true);
    const last = structures[structures.length - 1];
    const end = last ? last.offset + last.length : 0;
    return problems.length === 0 && structures.length >= MIN_BARE_STRUCTURES && last?.type === TYPE.END && end <= p.size ? BARE_TABLE : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readDmi),
};
