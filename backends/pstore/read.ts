// A pstore directory (/sys/fs/pstore or a copy), or one record file from it.
// dmesg records are split by the kernel into parts ("Panic#1 Part1" is the newest chunk,
// higher parts are older); the parts of one dump are joined oldest first.
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ReadContext, Yielded } from '../../src/backend.js';
import type { KernelMessage } from '../../src/model/index.js';
import { readSmallOrReport } from '../../src/input/file.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { parseStructMce } from '../../src/mce/struct.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { messageOf } from '../../src/util/errors.js';
import { inflateRecord } from '../../src/util/inflate.js';
import { ECC_NOTE, MAX_ENTRIES, MAX_INFLATED_BYTES, MAX_RECORD_BYTES, efiIdTime, parsePstoreName, type PstoreName } from './layout.js';

const ID = 'pstore';
/** Files an archive or a copy keeps beside the records; not records, not problems. */
const KNOWN_EXTRAS = /^(manifest\.json|truth\.json|report\.(txt|json)|SOURCE\.md|README.*)$/;

interface RecordFile {
  path: string;
  name: PstoreName;
}

interface DmesgPart {
  file: RecordFile;
  part: number;
  /** Offset in the file where the log text starts (after the header line). */
  start: number;
  bytes: Buffer;
}


/** A name's sort key: numeric ids in numeric order ("dmesg-ramoops-2" before "-10"), the
 * order the backend wrote a dump's parts in, and one dump before the next. */
function sortKey(name: string): string {
  const m = /^(.*?)(\d+)(\D*)$/.exec(name);
  return m ? `${m[1]}${String(m[2]!.length).padStart(3, '0')}${m[2]}${m[3]}` : name;
}

async function listRecords(path: string, ctx: ReadContext): Promise<RecordFile[]> {
  const st = await lstat(path);
  // A directory's entries say their own type: no lstat per record in a big archive.
  const entries = st.isDirectory()
    ? (await readdir(path, { withFileTypes: true }))
        .map((e) => ({ e, key: sortKey(e.name) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((x) => x.e)
    : [{ name: basename(path), isFile: () => st.isFile(), isSymbolicLink: () => st.isSymbolicLink() }];
  const dir = st.isDirectory() ? path : dirname(path);
  if (entries.length > MAX_ENTRIES) ctx.problem({ path, message: `${entries.length} entries, only the first ${MAX_ENTRIES} read` });
  const out: RecordFile[] = [];
  for (const e of entries.slice(0, MAX_ENTRIES)) {
    const p = join(dir, e.name);
    const name = parsePstoreName(e.name);
    if (!name) {
      if (!KNOWN_EXTRAS.test(e.name)) ctx.problem({ path: p, message: 'not a pstore record name (type-backend-id), skipped' });
      continue;
    }
    if (!e.isFile()) {
      ctx.problem({ path: p, message: e.isSymbolicLink() ? 'symbolic link, not followed' : 'not a regular file, skipped' });
      continue;
    }
    out.push({ path: p, name });
  }
  return out;
}

async function recordBytes(f: RecordFile, ctx: ReadContext): Promise<Buffer | undefined> {
  const raw = await readSmallOrReport(f.path, MAX_RECORD_BYTES, ctx);
  if (!raw) return undefined;
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!f.name.compressed) return buf;
  try {
    return inflateRecord(buf, MAX_INFLATED_BYTES);
  } catch (err) {
    ctx.problem({ path: f.path, offset: 0, message: `compressed record (.enc.z) could not be inflated: ${messageOf(err)}` });
    return undefined;
  }
}

function recordTime(f: RecordFile): Date | undefined {
  return f.name.backend.startsWith('efi') ? efiIdTime(f.name.id) : undefined;
}

/** Messages of one dump, its parts joined oldest (highest part) first. */
function dumpMessages(dumpId: string, parts: DmesgPart[], ctx: ReadContext): KernelMessage[] {
  const out: KernelMessage[] = [];
  parts.sort((a, b) => b.part - a.part);
  for (const p of parts) {
    let body = p.bytes.subarray(p.start);
    const tail = body.subarray(Math.max(0, body.length - 80)).toString('latin1');
    const ecc = ECC_NOTE.exec(tail);
    if (ecc) {
      body = body.subarray(0, body.length - Buffer.byteLength(ecc[0], 'latin1'));
      if (ecc[1] !== 'No errors detected') ctx.problem({ path: p.file.path, offset: p.start + body.length, message: `ramoops ECC: ${ecc[1]}` });
    }
    // One id for all parts of a dump: the parts are one record split by the kernel.
    const source = { backend: ID, path: p.file.path, offset: p.start, id: dumpId, part: p.part };
    out.push(...bytesToMessages(body, source));
  }
  // The dump was written right after its newest line: that line's wall-clock anchor.
  const time = recordTime(parts[parts.length - 1]!.file);
  const last = out[out.length - 1];
  if (time && last) last.wallTime = time;
  return out;
}

export async function* readPstore(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const files = await listRecords(path, ctx);
  // A dump's parts share their "Reason#count" header; a part number seen again is another
  // dump with the same header (each boot counts its dumps from 1).
  const dumps = new Map<string, DmesgPart[]>();
  const current = new Map<string, { key: string; n: number }>();
  for (const f of files) {
    const bytes = await recordBytes(f, ctx);
    if (!bytes) continue;
    const source = { backend: ID, path: f.path, offset: 0, id: `${f.name.type}-${f.name.backend}-${f.name.id}` };
    switch (f.name.type) {
      case 'dmesg': {
        const h = parseDmesgHeader(bytes.toString('latin1', 0, 64));
        const header = h ? `dmesg-${f.name.backend} ${h.reason}#${h.count}` : `dmesg-${f.name.backend}-${f.name.id}`;
        const part = h?.part ?? 1;
        const cur = current.get(header) ?? { key: header, n: 1 };
        if (dumps.get(cur.key)?.some((p) => p.part === part)) cur.key = `${header} [${++cur.n}]`;
        current.set(header, cur);
        const list = dumps.get(cur.key) ?? [];
        list.push({ file: f, part, start: h?.length ?? 0, bytes });
        dumps.set(cur.key, list);
        break;
      }
      case 'console':
        yield bytesToMessages(bytes, source);
        break;
      case 'mce':
        try {
          yield parseStructMce(bytes, source);
        } catch (err) {
          ctx.problem({ path: f.path, offset: 0, message: `machine-check record: ${messageOf(err)}` });
        }
        break;
      default:
        yield { kind: 'blob', type: f.name.type, size: bytes.length, source };
    }
  }
  for (const [id, parts] of dumps) yield dumpMessages(id, parts, ctx);
}
