// Whether a folder is a live pstore mount, where a record file's mtime is its record's
// time: fs/pstore/inode.c pstore_mkfile sets i_mtime from record->time (the ramoops header,
// the ERST record, the EFI variable) when the record has one, else leaves the mount's time.
// A copy's mtime is whenever it was copied and says nothing.
import { statfsSync } from 'node:fs';

/** fs/pstore/internal.h PSTOREFS_MAGIC */
const PSTOREFS_MAGIC = 0x6165676c;

export function isPstoreMount(dir: string): boolean {
  try {
    return statfsSync(dir).type === PSTOREFS_MAGIC;
  } catch {
    return false;
  }
}
