// The SQLite file a table is read from in place (btree.ts): its header checked (file-format.ts
// §1.3: page size, reserved bytes, payload fractions) and its pages read by position, never
// the whole file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Cursor } from '../../src/util/cursor.js';
import { FormatError } from '../../src/util/errors.js';
import { DB_HEADER, MAX_PAGE, MIN_PAGE, MIN_USABLE, WAL_VERSION } from './file-format.js';

export class SqliteFile {
  private constructor(
    readonly path: string,
    private readonly fd: number,
    readonly pageSize: number,
    readonly usable: number,
    readonly pageCount: number,
    readonly encoding: number,
    /** Written in WAL mode: committed rows may still be in the "-wal" file. */
    readonly wal: boolean,
  ) {}

  static open(path: string): SqliteFile {
    const fd = openSync(path, 'r');
    try {
      const head = new Uint8Array(DB_HEADER.size);
      if (readSync(fd, head, 0, head.length, 0) < head.length) throw new FormatError(path, 0, `expected a ${DB_HEADER.size}-byte SQLite header`);
      const h = DB_HEADER.read(new Cursor(head, path, 0, false));
      const pageSize = h.pageSize === 1 ? MAX_PAGE : h.pageSize;
      if (pageSize < MIN_PAGE || pageSize > MAX_PAGE || (pageSize & (pageSize - 1)) !== 0) throw new FormatError(path, DB_HEADER.offsets.pageSize, `page size ${pageSize} is not a power of two from ${MIN_PAGE} to ${MAX_PAGE}`);
      const usable = pageSize - h.reserved;
      if (usable < MIN_USABLE) throw new FormatError(path, DB_HEADER.offsets.reserved, `${h.reserved} reserved bytes leave ${usable} of a ${pageSize}-byte page`);
      if (h.maxFraction !== 64 || h.minFraction !== 32 || h.leafFraction !== 32) throw new FormatError(path, DB_HEADER.offsets.maxFraction, 'payload fractions are not 64/32/32');
      const inFile = Math.floor(fstatSync(fd).size / pageSize);
      const stated = h.pageCount > 0 && h.changeCounter === h.versionValidFor ? h.pageCount : inFile;
      return new SqliteFile(path, fd, pageSize, usable, Math.min(stated, inFile), h.textEncoding, h.writeVersion === WAL_VERSION || h.readVersion === WAL_VERSION);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** Pages first..first+count-1 into `into`; throws at a short read. */
  read(first: number, count: number, into: Uint8Array): void {
    const want = count * this.pageSize;
    const got = readSync(this.fd, into, 0, want, (first - 1) * this.pageSize);
    if (got < want) throw new FormatError(this.path, (first - 1) * this.pageSize + got, `expected ${want} bytes of pages ${first}-${first + count - 1}, have ${got}`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
