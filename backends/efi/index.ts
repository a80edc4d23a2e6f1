import { basename } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { lazyRead, type Backend } from '../../src/backend.js';
import type { Probe } from '../../src/input/probe.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { EFIVARFS_ATTR_BYTES, parseEfiDumpName } from './layout.js';

/** Does one efivarfs file's content look like an efi-pstore part? */
function fileLooksLikeDump(p: Probe): boolean {
  const name = parseEfiDumpName(basename(p.path));
  if (!name || p.head.length < EFIVARFS_ATTR_BYTES + 2) return false;
  const data = Buffer.from(p.head.buffer, p.head.byteOffset + EFIVARFS_ATTR_BYTES, p.head.length - EFIVARFS_ATTR_BYTES);
  if (!name.compressed) return parseDmesgHeader(data.subarray(0, 64).toString('latin1')) !== undefined;
  try {
    return parseDmesgHeader(inflateRawSync(data, { maxOutputLength: 64 * 1024 }).subarray(0, 64).toString('latin1')) !== undefined;
  } catch {
    return false;
  }
}

export const efi: Backend = {
  id: 'efi',
  summary: 'efivarfs dump-type0-* variables written by efi-pstore (all name generations, compressed or plain parts)',
  probe(p) {
    // By the share of entries that are efi-pstore variables: one stray name in a pstore copy
    // must not make the folder efivarfs and lose the records beside it.
    if (p.isDirectory) {
      const dumps = p.entries.filter((e) => parseEfiDumpName(e) !== undefined).length;
      return dumps === 0 ? 0 : 0.9 * (dumps / p.entries.length);
    }
    return fileLooksLikeDump(p) ? 0.9 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readEfi),
};
