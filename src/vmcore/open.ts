// openDump: recognise the container by its magic and give the common DumpInfo.
import { InputFile } from '../input/file.js';
import type { Problem } from '../model/index.js';
import { FormatError } from '../util/errors.js';
import { isElfCore, readElfCore } from './elf.js';
import { FlatSource, isFlattened } from './flat.js';
import { isKdump, readKdump } from './kdump.js';
import { dateAt } from '../util/time.js';
import { parseVmcoreinfo, type NoteFacts } from './notes.js';
import { FileSource, type ByteSource } from './source.js';
import { spill, type Spilled } from './spill.js';
import { GzipSource } from './gzindex.js';
import { isGzip } from './gzmember.js';
import type { DumpFormat, DumpInfo, OpenDump, OpenDumpOptions, PhysMemory } from './types.js';

export type { OpenDump } from './types.js';

/** What the container is, from its first bytes; undefined if none of ours. */
export function sniff(head: Uint8Array): 'elf' | 'kdump' | 'flattened' | 'gzip' | undefined {
  if (isElfCore(head)) return 'elf';
  if (isKdump(head)) return 'kdump';
  if (isFlattened(head)) return 'flattened';
  if (isGzip(head)) return 'gzip';
  return undefined;
}

/**
 * Open a dump. '-' reads stdin into a sparse temporary file first (a dump is read by
 * position); a gzip'd dump is read through an index of restart points, never inflated to disk.
 */
export async function openDump(path: string, opts: OpenDumpOptions = {}): Promise<OpenDump> {
  let spilled: Spilled | undefined;
  let real = path;
  if (path === '-') { spilled = await spill(process.stdin, 'stdin'); real = spilled.path; }
  let src: (ByteSource & { closeSync(): void }) | undefined;
  // Pages are read where the log lives, not front to back: the printk reader counts the work.
  const f = await InputFile.open(real, { measured: false }).catch(async (err: unknown) => { await spilled?.dispose(); throw err; });
  try {
    const problems: Problem[] = [];
    let head = await f.read(0, 64);
    if (isGzip(head)) {
      const gz = new GzipSource(real, f.size, problems, path);
      src = gz;
      head = gz.readSync(0, 64);
      const k = sniff(head);
      if (k === undefined || k === 'gzip') throw new FormatError(path, 0, 'the gzip stream holds no dump (no ELF core, kdump or flattened signature in its first bytes); nothing inflated to disk');
    } else src = new FileSource(f);
    const info = await openInner(path, src, head, opts, problems);
    if (spilled) info.spilledBytes = spilled.size;
    const s = src;
    return { ...info, close: async () => { s.closeSync(); await f.close(); await spilled?.dispose(); } };
  } catch (err) {
    src?.closeSync();
    await f.close().catch(() => undefined);
    await spilled?.dispose();
    throw err;
  }
}

async function openInner(path: string, file: ByteSource, head: Uint8Array, opts: OpenDumpOptions, problems: Problem[]): Promise<DumpInfo> {
  const avoid = opts.avoid ?? [];
  const kind = sniff(head);
  if (kind === 'elf') {
    const e = await readElfCore(file, problems, avoid);
    const format: DumpFormat = e.loads.count === 0 ? 'slim' : e.is64 ? 'elf64' : 'elf32';
    return finish(path, format, e.arch, e.notes, e.phys, problems, e.virt);
  }
  let src: ByteSource = file;
  let flattened = false;
  if (kind === 'flattened') {
    src = await FlatSource.index(file, problems);
    flattened = true;
    head = await src.read(0, 64);
  }
  if (isKdump(head)) {
    const k = await readKdump(src, problems, avoid);
    const arch = k.arch;
    // QEMU's writer leaves dump_level 0 and fills the notes with its own "QEMU" CPU notes.
    const format: DumpFormat = k.notes.qemu ? 'qemu-kdump' : flattened ? 'flattened' : 'kdump';
    const info = finish(path, format, arch, k.notes, k.phys, problems);
    info.release ??= k.header.release || undefined;
    const stamp = k.header.timestamp > 0n ? dateAt(Number(k.header.timestamp) * 1000) : undefined;
    if (!info.crashTime && stamp) info.crashTime = stamp;
    return info;
  }
  throw new FormatError(path, 0, 'not a vmcore (no ELF core, kdump, flattened or gzip signature)');
}

function finish(path: string, format: DumpFormat, arch: string, notes: NoteFacts, phys: PhysMemory, problems: Problem[], virt?: DumpInfo['virt']): DumpInfo {
  const info: DumpInfo = { path, format, arch, cpus: notes.cpus, phys, problems };
  if (virt) info.virt = virt;
  if (notes.vmcoreinfoRaw) {
    info.vmcoreinfoRaw = notes.vmcoreinfoRaw;
    info.vmcoreinfo = parseVmcoreinfo(notes.vmcoreinfoRaw);
    const rel = info.vmcoreinfo.get('OSRELEASE');
    if (rel) info.release = rel;
    const ct = Number(info.vmcoreinfo.get('CRASHTIME'));
    const crash = ct > 0 ? dateAt(ct * 1000) : undefined;
    if (crash) info.crashTime = crash;
  }
  // A slim dump is one without memory; the reason note alone does not stop us reading
  // whatever memory the dump does carry (the log's pages, say).
  if (notes.noCoredumpReason) info.noCoredumpReason = notes.noCoredumpReason;
  if (notes.qemu && !info.vmcoreinfo?.has('CRASHTIME')) info.live = true;
  return info;
}
