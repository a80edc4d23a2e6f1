// Issue 7's benchmark: `crashlog dmesg` against vmcore-dmesg and `makedumpfile --dump-dmesg`
// (Debian packages kexec-tools, makedumpfile; a missing tool is skipped with a message) on
// the real kdump-oops-panic dumps and on two generated kexec-style ELF dumps of the same
// memory behind a sparse zero segment (≈100 MB and 64 GiB apparent size, the log at the end
// of the file): wall time (best of RUNS, the machine is shared), crashlog's time beyond
// node's start-up (`node -e 0`, same run), bytes read, peak RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDump } from '../src/vmcore/open.js';
import { CLI, fmt, repeated, type Measured } from './util.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const KDUMP = join(CORPUS, 'kdump-oops-panic', 'vmcore.kdump-zlib-d31');
const FLAT = join(CORPUS, 'kdump-oops-panic', 'vmcore.flat-zlib-d31');
const HUNG = join(CORPUS, 'qemu-dump-hung', 'vmcore.kdump-zlib');
const PAGE = 4096;
const RUNS = 5;
const START_KERNEL_MAP = 0xffffffff80000000n;
const IMAGE_SPAN = 1n << 30n; // kernel text map: at most 1 GiB

function which(tool: string): string | undefined {
  for (const d of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (existsSync(join(d, tool))) return join(d, tool);
  return undefined;
}

/**
 * An ELF core as /proc/vmcore gives it (the capture kernel's vmcore): the dumpable pages of
 * `src` as phys PT_LOADs, the kernel image's pages once more as text-map PT_LOADs (p_vaddr
 * = __START_KERNEL_map + paddr - phys_base, the same file bytes), behind a zero PT_LOAD of
 * `fillerBytes` first in the file (never written: sparse) and mapped far above the RAM.
 */
export async function makeElf(src: string, out: string, fillerBytes: number): Promise<number> {
  const d = await openDump(src);
  const runs: { pfn: number; pages: Uint8Array[] }[] = [];
  try {
    const physBase = BigInt(d.vmcoreinfo?.get('NUMBER(phys_base)') ?? '0');
    const maxPfn = 1 << 20; // 4 GiB: more than the 768 MB guest
    for (let pfn = 0; pfn < maxPfn; pfn++) {
      const pa = BigInt(pfn) * BigInt(PAGE);
      if (!d.phys.has(pa)) continue;
      let p: Uint8Array;
      try { p = await d.phys.read(pa, PAGE); } catch { continue; }
      const last = runs.at(-1);
      if (last && last.pfn + last.pages.length === pfn) last.pages.push(p);
      else runs.push({ pfn, pages: [p] });
    }
    const vi = Buffer.from(d.vmcoreinfoRaw ?? '');
    const name = Buffer.from('VMCOREINFO\0\0');
    const note = Buffer.alloc(12 + name.length + ((vi.length + 3) & ~3));
    note.writeUInt32LE(11, 0); note.writeUInt32LE(vi.length, 4); note.writeUInt32LE(0, 8); name.copy(note, 12); vi.copy(note, 12 + name.length);
    const inImage = (pa: bigint) => pa - physBase >= 0n && pa - physBase < IMAGE_SPAN;
    const nph = 2 + runs.length + runs.filter((r) => inImage(BigInt(r.pfn) * BigInt(PAGE))).length;
    const hdr = Buffer.alloc(64 + nph * 56);
    hdr.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    hdr.writeUInt16LE(4, 16); hdr.writeUInt16LE(62, 18); hdr.writeUInt32LE(1, 20);
    hdr.writeBigUInt64LE(64n, 32); hdr.writeUInt16LE(64, 52); hdr.writeUInt16LE(56, 54); hdr.writeUInt16LE(nph, 56);
    let phi = 0;
    const ph = (type: number, off: number, vaddr: bigint, paddr: bigint, size: number) => {
      const o = 64 + phi++ * 56;
      hdr.writeUInt32LE(type, o); hdr.writeBigUInt64LE(BigInt(off), o + 8); hdr.writeBigUInt64LE(vaddr, o + 16);
      hdr.writeBigUInt64LE(paddr, o + 24); hdr.writeBigUInt64LE(BigInt(size), o + 32); hdr.writeBigUInt64LE(BigInt(size), o + 40);
    };
    let off = Math.ceil((hdr.length + note.length) / PAGE) * PAGE;
    ph(4, hdr.length, 0n, 0n, note.length);
    ph(1, off, 0n, 1n << 40n, fillerBytes); // zero filler, far above RAM
    off += fillerBytes;
    const fd = openSync(out, 'w');
    try {
      for (const r of runs) {
        const pa = BigInt(r.pfn) * BigInt(PAGE);
        ph(1, off, 0n, pa, r.pages.length * PAGE);
        if (inImage(pa)) ph(1, off, pa - physBase + START_KERNEL_MAP, pa, r.pages.length * PAGE);
        for (const p of r.pages) { writeSync(fd, p, 0, PAGE, off); off += PAGE; }
      }
      writeSync(fd, hdr, 0, hdr.length, 0);
      writeSync(fd, note, 0, note.length, hdr.length);
      ftruncateSync(fd, off);
    } finally {
      closeSync(fd);
    }
    return off;
  } finally {
    await d.close();
  }
}

/** Bytes the command read (rchar of a shell that ran and reaped it, less the shell's own). */
function rchar(cmd: string, args: string[]): number {
  const io = (c: string[]) => Number(/rchar: (\d+)/.exec(spawnSync('sh', ['-c', '"$@" >/dev/null 2>&1; cat /proc/$$/io', 'sh', ...c], { encoding: 'utf8' }).stdout)?.[1] ?? NaN);
  return io([cmd, ...args]) - io(['true']);
}

function best(cmd: string, args: string[], before?: () => void): Measured {
  return repeated(RUNS, cmd, args, before)[0]!;
}

const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function row(label: string, m: Measured, lines: number, read: number, extra = ''): void {
  console.log(`  ${label.padEnd(27)} ${fmt(m.seconds * 1000, 1).padStart(7)} ms ${fmt(m.peakRssMb, 1).padStart(6)} MB RSS ${String(lines).padStart(4)} lines  exit ${String(m.status).padEnd(3)} ${kib(read).padStart(9)} read${extra}`);
}

const lineCount = (s: string) => (s ? s.split('\n').length - 1 : 0);

export async function run(): Promise<void> {
  if (!existsSync(KDUMP)) { console.log(`  skipped: ${KDUMP} missing`); return; }
  const tools = { 'vmcore-dmesg': which('vmcore-dmesg'), makedumpfile: which('makedumpfile') };
  for (const [t, p] of Object.entries(tools)) if (!p) console.log(`  ${t}: not installed (apt-get install ${t === 'makedumpfile' ? 'makedumpfile' : 'kexec-tools'}); skipped`);
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-vmcore-'));
  try {
    const small = join(dir, 'vmcore-100m.elf');
    const big = join(dir, 'vmcore-64g.elf');
    const real = await makeElf(KDUMP, small, 0);
    await makeElf(KDUMP, small, Math.max(0, 100 * 1024 * 1024 - real));
    await makeElf(KDUMP, big, 64 * 1024 * 1024 * 1024);
    console.log(`  times are the best of ${RUNS}; node -e 0 (start-up) is measured beside each crashlog run`);
    console.log(`  "read": the tool's rchar (all its reads); crashlog's own count of dump bytes (--stats) in ( )`);
    const inputs = [['kdump-oops-panic kdump-zlib-d31', KDUMP], ['kdump-oops-panic flat-zlib-d31', FLAT], ['qemu-dump-hung (QEMU flattened)', HUNG], ['ELF ~100 MB (kexec-style)', small], ['ELF 64 GiB sparse', big]] as const;
    for (const [label, path] of inputs) {
      if (!existsSync(path)) { console.log(`  ${label}: missing; skipped`); continue; }
      const st = statSync(path);
      console.log(`  ${label}: ${(st.size / 2 ** 20).toFixed(0)} MiB apparent, ${((st.blocks * 512) / 2 ** 20).toFixed(0)} MiB on disk`);
      const start = best(process.execPath, ['-e', '0']);
      const c = best(process.execPath, [CLI, 'dmesg', '--stats', path]);
      const own = /(\d+) bytes read/.exec(c.stderr)?.[1];
      const inCommand = /, ([\d.]+) ms$/m.exec(c.stderr)?.[1]; // --stats: from the command's start, modules loaded
      row('crashlog dmesg', c, lineCount(c.stdout), rchar(process.execPath, [CLI, 'dmesg', path]),
        ` (${own ? kib(Number(own)) : '?'})  +${fmt((c.seconds - start.seconds) * 1000, 1)} ms over node -e 0 (${fmt(start.seconds * 1000, 1)} ms); ${inCommand ?? '?'} ms in the command`);
      if (tools['vmcore-dmesg']) {
        const m = best(tools['vmcore-dmesg'], [path]);
        row('vmcore-dmesg', m, lineCount(m.stdout), rchar(tools['vmcore-dmesg'], [path]), m.status ? '  (cannot read this format)' : '');
      }
      if (tools.makedumpfile) {
        const out = join(dir, 'md.txt');
        const m = best(tools.makedumpfile, ['--dump-dmesg', path, out], () => rmSync(out, { force: true })); // it refuses to overwrite
        const lines = existsSync(out) ? lineCount(spawnSync('cat', [out], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout) : 0;
        rmSync(out, { force: true });
        row('makedumpfile --dump-dmesg', m, lines, rchar(tools.makedumpfile, ['--dump-dmesg', path, out]), m.status ? '  (cannot read this format)' : '');
        rmSync(out, { force: true });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
