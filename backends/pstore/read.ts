// A pstore directory (/sys/fs/pstore or a copy), or one record file from it.
// dmesg records are split by the kernel into parts ("Panic#1 Part1" is the newest chunk,
// higher parts are older); the parts of one dump are joined oldest first.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ReadContext, Yielded } from '../../src/backend.js';
import { Slab, cannotRead, readSmallFd } from '../../src/input/file.js';
import { startWork } from '../../src/input/work.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { joinDumps, type DumpPart } from '../../src/pstore/dumps.js';
import { isPstoreMount } from '../../src/pstore/mount.js';
import { parseStructMce } from '../../src/mce/struct.js';
import { parseDmesgHeader } from '../../src/pstore/header.js';
import { messageOf } from '../../src/util/errors.js';
import { inflateRecord, PSTORE_INFLATE_RATIO } from '../../src/util/inflate.js';
import { ECC_NOTE, ENC_Z_BUDGET, ENC_Z_MIN_BUFFER, MAX_ENTRIES, MAX_INFLATED_BYTES, MAX_RECORD_BYTES, MAX_TEXT_BYTES, efiIdTime, parsePstoreName, type PstoreName } from './layout.js';

const ID = 'pstore';
/** Records read as log lines, whose newest end is what matters (recordTail). */
const TEXT_TYPES: readonly string[] = ['dmesg', 'console'];
/** Files an archive or a copy keeps beside the records; not records, not problems. */
const KNOWN_EXTRAS = /^(manifest\.json|truth\.json|report\.(txt|json)|SOURCE\.md|README.*)$/;

interface RecordFile {
  path: string;
  name: PstoreName;
  /** The record's time, where it is known (a live mount, an archive entry's manifest). */
  time?: Date;
}

/** A record file's mtime on a live pstore mount: its record's time (see isPstoreMount). */
async function mountTime(path: string): Promise<Date | undefined> {
  const t = (await lstat(path).catch(() => undefined))?.mtime;
  // pstore_mkfile leaves the mount's time on a record that has none (time 0).
  return t && t.getTime() > 0 ? t : undefined;
}

/**
 * The record times a crashlog archive entry kept (manifest.json beside its pstore folder:
 * recordTime, for records collected from a live mount), by file name.
 */
function archivedTimes(dir: string): Map<string, Date> | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, '..', 'manifest.json'), 'utf8');
  } catch {
    return undefined;
  }
  const out = new Map<string, Date>();
  try {
    const m = JSON.parse(text) as { collector?: unknown; records?: { file?: unknown; recordTime?: unknown }[] };
    if (typeof m.collector !== 'string' || !m.collector.startsWith('crashlog') || !Array.isArray(m.records)) return undefined;
    const prefix = `${basename(dir)}/`;
    for (const r of m.records) {
      if (typeof r?.file !== 'string' || typeof r.recordTime !== 'string' || !r.file.startsWith(prefix)) continue;
      const t = new Date(r.recordTime);
      if (!Number.isNaN(t.getTime())) out.set(r.file.slice(prefix.length), t);
    }
  } catch {
    return undefined; // not JSON: not ours to judge here
  }
  return out.size ? out : undefined;
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
  // Where a record's time is known: on a live mount, or kept by an archive entry.
  const live = isPstoreMount(dir);
  const kept = live ? undefined : archivedTimes(dir);
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
    const f: RecordFile = { path: p, name };
    const t = live ? await mountTime(p) : kept?.get(e.name);
    if (t) f.time = t;
    out.push(f);
  }
  return out;
}

/** A record's bytes; those after its header line stand `shift` bytes further into the file (a large record read from its end). */
interface RecordText { bytes: Buffer; shift: number }

/**
 * A plain record larger than MAX_TEXT_BYTES: its first line (a dmesg header) and its
 * newest MAX_TEXT_BYTES from a line's start, read by position, never the whole file; the
 * older text left out is a problem saying where reading starts.
 */
function recordTail(f: RecordFile, fd: number, size: number, ctx: ReadContext): RecordText {
  const first = Buffer.alloc(64);
  readSync(fd, first, 0, first.length, 0);
  const head = parseDmesgHeader(first.toString('latin1'))?.length ?? 0;
  const tail = Buffer.alloc(MAX_TEXT_BYTES - head);
  const from = size - tail.length;
  const got = readSync(fd, tail, 0, tail.length, from);
  const nl = tail.indexOf(0x0a);
  const skip = nl < 0 ? 0 : nl + 1;
  ctx.problem({ path: f.path, offset: from + skip, message: `${size - head} bytes of text, more than crashlog reads of one record (${MAX_TEXT_BYTES}): the oldest ${from + skip - head} are skipped, the newest read from here` });
  return { bytes: Buffer.concat([first.subarray(0, head), tail.subarray(skip, got)]), shift: from + skip - head };
}

/** A record's bytes, or its newest text (recordTail), read through one open: a 10,000-record archive is 10,000 opens. */
async function recordBytes(f: RecordFile, ctx: ReadContext, budget: { left: number }, slab: Slab): Promise<RecordText | undefined> {
  let raw: Uint8Array;
  try {
    const fd = openSync(f.path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (!f.name.compressed && TEXT_TYPES.includes(f.name.type) && size > MAX_TEXT_BYTES) return recordTail(f, fd, size, ctx);
      raw = readSmallFd(fd, f.path, size, MAX_RECORD_BYTES, slab);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return cannotRead(ctx, f.path, err);
  }
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (!f.name.compressed) return { bytes: buf, shift: 0 };
  if (budget.left <= 0) {
    ctx.problem({ path: f.path, offset: 0, message: `compressed record (.enc.z) not inflated: the directory's inflate budget (${ENC_Z_BUDGET} bytes) is spent` });
    return undefined;
  }
  try {
    const cap = Math.min(MAX_INFLATED_BYTES, budget.left, PSTORE_INFLATE_RATIO * Math.max(buf.length, ENC_Z_MIN_BUFFER));
    const out = inflateRecord(buf, cap, (p) => ctx.problem({ path: f.path, offset: p.offset, message: `compressed record (.enc.z): ${p.message}` }));
    budget.left -= out.length;
    return { bytes: out, shift: 0 };
  } catch (err) {
    ctx.problem({ path: f.path, offset: 0, message: `compressed record (.enc.z) could not be inflated: ${messageOf(err)}` });
    return undefined;
  }
}

function recordTime(f: RecordFile): Date | undefined {
  return f.name.backend.startsWith('efi') ? efiIdTime(f.name.id) ?? f.time : f.time;
}

/**
 * Where the text of an inflated record read from `from` starts: at most MAX_TEXT_BYTES
 * before its end, at a line's start (a plain one was read so: recordTail); the older
 * text left out is a problem saying where.
 */
function newest(f: RecordFile, text: Buffer, from: number, ctx: ReadContext): number {
  if (text.length - from <= MAX_TEXT_BYTES) return from;
  const nl = text.indexOf(0x0a, text.length - MAX_TEXT_BYTES - 1);
  const cut = nl < 0 ? text.length - MAX_TEXT_BYTES : nl + 1;
  ctx.problem({ path: f.path, offset: 0, message: `${text.length - from} bytes of text once inflated, more than crashlog reads of one record (${MAX_TEXT_BYTES}): the oldest ${cut - from} are skipped, the newest read from inflated byte ${cut}` });
  return cut;
}

/** One dmesg record's lines (ramoops' ECC note taken off and reported), as a dump part. */
function dumpPart(f: RecordFile, { bytes, shift }: RecordText, ctx: ReadContext): DumpPart {
  const header = parseDmesgHeader(bytes.toString('latin1', 0, 64));
  const start = newest(f, bytes, header?.length ?? 0, ctx);
  let body = bytes.subarray(start);
  const tail = body.subarray(Math.max(0, body.length - 80)).toString('latin1');
  const ecc = ECC_NOTE.exec(tail);
  if (ecc) {
    body = body.subarray(0, body.length - Buffer.byteLength(ecc[0], 'latin1'));
    if (ecc[1] !== 'No errors detected') ctx.problem({ path: f.path, offset: start + shift + body.length, message: `ramoops ECC: ${ecc[1]}` });
  }
  const source = { backend: ID, path: f.path, offset: start + shift, id: `dmesg-${f.name.backend}-${f.name.id}`, part: header?.part ?? 1 };
  const part: DumpPart = { lines: () => bytesToMessages(body, source), store: `dmesg-${f.name.backend}` };
  if (header) part.header = header;
  const time = recordTime(f);
  if (time) part.time = time;
  return part;
}

export async function* readPstore(path: string, ctx: ReadContext): AsyncGenerator<Yielded> {
  const files = await listRecords(path, ctx);
  const parts: DumpPart[] = [];
  const budget = { left: ENC_Z_BUDGET };
  const slab = new Slab();
  const work = startWork(`reading ${path}`, files.length, 'files');
  for (const [i, f] of files.entries()) {
    work.at(i);
    const text = await recordBytes(f, ctx, budget, slab);
    if (!text) continue;
    const { bytes, shift } = text;
    const source = { backend: ID, path: f.path, offset: 0, id: `${f.name.type}-${f.name.backend}-${f.name.id}` };
    switch (f.name.type) {
      case 'dmesg':
        parts.push(dumpPart(f, text, ctx));
        break;
      case 'console': {
        const from = newest(f, bytes, 0, ctx);
        yield bytesToMessages(bytes.subarray(from), { ...source, offset: from + shift });
        break;
      }
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
  work.end();
  yield* joinDumps(parts);
}
