// efi-pstore dumps: a directory of efivarfs files (or one such file). Each variable is
// one part of a dmesg dump; Part1 is the newest chunk, so a dump reads oldest first by
// joining its parts from the highest part number down (fs/pstore/platform.c pstore_dump()).
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inflateRecord } from '../../src/util/inflate.js';
import type { ReadContext, Yielded } from '../../src/backend.js';
import { Slab, readSmallOrReport } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { joinDumps, type DumpPart } from '../../src/pstore/dumps.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { messageOf } from '../../src/util/errors.js';
import { EFIVARFS_ATTR_BYTES, MAX_ENTRIES, MAX_INFLATED_BYTES, MAX_VAR_BYTES, parseEfiDumpName, type EfiDumpName } from './layout.js';
import { dateAt } from '../../src/util/time.js';

const ID = 'efi';

export interface EfiVar {
  path: string;
  name: EfiDumpName;
}

/** One decoded part: the bytes pstore would show for it (header line included). */
export interface EfiPart {
  file: EfiVar;
  /** The id pstore gives this record: efi-pstore.c generic_id(time, part, count). */
  id: string;
  bytes: Buffer;
}

export async function listEfiVars(path: string, ctx: ReadContext): Promise<EfiVar[]> {
  const st = await lstat(path);
  const names = st.isDirectory() ? (await readdir(path)).sort() : [basename(path)];
  const dir = st.isDirectory() ? path : dirname(path);
  if (names.length > MAX_ENTRIES) ctx.problem({ path, message: `${names.length} entries, only the first ${MAX_ENTRIES} read` });
  const out: EfiVar[] = [];
  for (const n of names.slice(0, MAX_ENTRIES)) {
    const name = parseEfiDumpName(n);
    // An efivars directory holds every EFI variable; only pstore's dumps are ours.
    if (!name) continue;
    const p = join(dir, n);
    const ls = await lstat(p);
    if (!ls.isFile()) continue;
    out.push({ path: p, name });
  }
  return out;
}

/** Dumps: vars grouped by type and oops count, split where the part numbering restarts. */
export function groupDumps(vars: EfiVar[]): EfiVar[][] {
  const byKey = new Map<string, EfiVar[]>();
  for (const v of vars) {
    const key = `${v.name.type}-${v.name.count ?? ''}-${v.name.generation}`;
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(v);
  }
  const dumps: EfiVar[][] = [];
  for (const list of byKey.values()) {
    // Part1 is written first, so within one dump time does not go down as parts go up.
    list.sort((a, b) => a.name.time - b.name.time || a.name.part - b.name.part);
    let cur: EfiVar[] = [];
    for (const v of list) {
      const prev = cur[cur.length - 1];
      if (prev && v.name.part <= prev.name.part) {
        dumps.push(cur);
        cur = [];
      }
      cur.push(v);
    }
    if (cur.length) dumps.push(cur);
  }
  dumps.sort((a, b) => a[0]!.name.time - b[0]!.name.time);
  return dumps;
}

export function pstoreId(n: EfiDumpName): string {
  return ((BigInt(n.time) * 100n + BigInt(n.part)) * 1000n + BigInt(n.count ?? 0)).toString();
}

export async function readEfiPart(v: EfiVar, ctx: ReadContext, slab?: Slab): Promise<EfiPart | undefined> {
  const raw = await readSmallOrReport(v.path, MAX_VAR_BYTES, ctx, slab);
  if (!raw) return undefined;
  if (raw.length < EFIVARFS_ATTR_BYTES) {
    ctx.problem({ path: v.path, offset: 0, message: `efivarfs file of ${raw.length} bytes, shorter than its ${EFIVARFS_ATTR_BYTES}-byte attributes` });
    return undefined;
  }
  const data = Buffer.from(raw.buffer, raw.byteOffset + EFIVARFS_ATTR_BYTES, raw.length - EFIVARFS_ATTR_BYTES);
  let bytes = data;
  if (v.name.compressed) {
    try {
      bytes = inflateRecord(data, MAX_INFLATED_BYTES, (p) => ctx.problem({ path: v.path, offset: EFIVARFS_ATTR_BYTES + p.offset, message: `compressed part (C): ${p.message}` }));
    } catch (err) {
      ctx.problem({ path: v.path, offset: EFIVARFS_ATTR_BYTES, message: `compressed part (C) could not be inflated: ${messageOf(err)}` });
      return undefined;
    }
  }
  return { file: v, id: pstoreId(v.name), bytes };
}

export async function* readEfi(path: string, ctx: ReadContext): AsyncIterable<Yielded> {
  const vars = await listEfiVars(path, ctx);
  const parts: DumpPart[] = [];
  const slab = new Slab();
  for (const dump of groupDumps(vars)) {
    for (const v of [...dump].sort((a, b) => a.name.part - b.name.part)) {
      const part = await readEfiPart(v, ctx, slab);
      if (!part) continue;
      if (v.name.type !== 0) {
        yield { kind: 'blob', type: `efi-type${v.name.type}`, size: part.bytes.length, ...(dateAt(v.name.time * 1000) ? { time: dateAt(v.name.time * 1000)! } : {}), source: { backend: ID, path: v.path, id: part.id, part: v.name.part } };
        continue;
      }
      const header = parseDmesgHeader(part.bytes.subarray(0, 64).toString('latin1'));
      const start = header?.length ?? 0;
      const source = { backend: ID, path: v.path, id: part.id, part: v.name.part, ...(v.name.compressed ? {} : { offset: EFIVARFS_ATTR_BYTES + start }) };
      const p: DumpPart = { lines: () => bytesToMessages(part.bytes.subarray(start), source), store: 'dmesg-efi' };
      if (header) p.header = header;
      // The variable's name holds the dump's time (efi_pstore_write: the record's seconds).
      const when = v.name.time > 0 ? dateAt(v.name.time * 1000) : undefined;
      if (when) p.time = when;
      parts.push(p);
    }
  }
  yield* joinDumps(parts);
}
