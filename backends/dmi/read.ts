// SMBIOS tables in the three forms they are kept: the sysfs pair (a folder holding
// `smbios_entry_point` and `DMI`, or the entry point file with `DMI` beside it), a
// `dmidecode --dump-bin` file (entry point at 0, the table where its address says, 32),
// and a bare table. One MachineInfo per input; a damaged table yields what was read
// before the damage, with a problem.
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ReadContext } from '../../src/backend.js';
import type { CrashRecord } from '../../src/model/index.js';
import { withInput } from '../../src/input/file.js';
import { getSafeBound } from '../../src/util/errors.js';
import { parseEntryPoint, type EntryPoint } from './entry.js';
import { ANCHOR_SM3, MAX_TABLE_BYTES, SYSFS_ENTRY, SYSFS_TABLE } from './layout.js';
import { machineOf, walkTable } from './table.js';

/** An entry point is at most 0x1F bytes; read a little more to tell an entry point file from a dump. */
const ENTRY_READ = 0x20;

interface Located {
  entry?: EntryPoint;
  tablePath: string;
  /** File offset of the table in tablePath. */
  tableOffset: number;
}

const isDir = async (p: string): Promise<boolean> => (await stat(p)).isDirectory();

async function locate(path: string, ctx: ReadContext): Promise<Located | undefined> {
  if (await isDir(path)) {
    const epPath = join(path, SYSFS_ENTRY);
    const entry = parseEntryPoint(await withInput(epPath, (f) => f.read(0, ENTRY_READ)), epPath);
    if (!entry) ctx.problem({ path: epPath, offset: 0, message: 'no valid SMBIOS entry point (_SM3_, _SM_ or _DMI_ with a good checksum): reading DMI as a bare table' });
    return { ...(entry ? { entry } : {}), tablePath: join(path, SYSFS_TABLE), tableOffset: 0 };
  }
  const { head, size } = await withInput(path, async (f) => ({ head: await f.read(0, ENTRY_READ), size: f.size }));
  const entry = parseEntryPoint(head, path);
  if (!entry) return { tablePath: path, tableOffset: 0 };
  // A dump holds the table where the (rewritten) address says; the sysfs entry point file
  // alone holds a firmware address, and the table is the DMI file beside it.
  if (entry.tableAddress < BigInt(size) && entry.tableAddress >= BigInt(entry.length)) {
    return { entry, tablePath: path, tableOffset: Number(entry.tableAddress) };
  }
  const beside = join(dirname(path), SYSFS_TABLE);
  try {
    await stat(beside);
  } catch {
    ctx.problem({ path, offset: 0, message: `the entry point puts the table at 0x${entry.tableAddress.toString(16)}, outside this ${size}-byte file, and there is no ${SYSFS_TABLE} file beside it` });
    return undefined;
  }
  return { entry, tablePath: beside, tableOffset: 0 };
}

export async function* readDmi(path: string, ctx: ReadContext): AsyncGenerator<CrashRecord> {
  const where = await locate(path, ctx);
  if (!where) return;
  const { entry, tablePath, tableOffset } = where;
  const table = await withInput(tablePath, async (f) => {
    const available = Math.max(0, f.size - tableOffset);
    const announced = entry ? entry.tableLength : available;
    const want = getSafeBound(Math.min(announced, available), MAX_TABLE_BYTES, 'SMBIOS table length', tablePath, tableOffset);
    // SMBIOS 3 gives only a maximum; before it, a shorter file is a table the kernel cut.
    if (entry && entry.anchor !== ANCHOR_SM3 && available < announced) {
      ctx.problem({ path: tablePath, offset: tableOffset, message: `${announced} table bytes announced, only ${available} available` });
    }
    return f.read(tableOffset, want);
  });
  const { structures, problems } = walkTable(table, tablePath, tableOffset, entry?.count ?? 0, !entry || entry.anchor === ANCHOR_SM3);
  for (const p of problems) ctx.problem({ path: tablePath, offset: p.offset, message: p.message });
  const m = machineOf(structures, entry?.ver, entry?.version, { backend: 'dmi', path: tablePath, offset: tableOffset });
  if (problems.length) m.problem = problems.map((p) => p.message).join('; ');
  yield m;
}
