// Issue 7's benchmark: `crashlog dmesg` against vmcore-dmesg and `makedumpfile --dump-dmesg`
// (Debian packages kexec-tools, makedumpfile; a missing tool is skipped with a message) on
// the real kdump-oops-panic dumps and on two generated ELF dumps holding the same memory
// behind a sparse zero segment (≈100 MB and 64 GiB apparent size, the log near the end of
// the file): wall time, crashlog's time beyond node's start-up, bytes read, peak RSS.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDump } from '../src/vmcore/open.js';
import { fmt, measure, measureCli, nodeStartup } from './util.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const KDUMP = join(CORPUS, 'kdump-oops-panic', 'vmcore.kdump-zlib-d31');
const FLAT = join(CORPUS, 'kdump-oops-panic', 'vmcore.flat-zlib-d31');
const PAGE = 4096;

function which(tool: string): string | undefined {
  for (const d of ['/usr/sbin', '/sbin', '/usr/bin', '/bin']) if (existsSync(join(d, tool))) return join(d, tool);
  return undefined;
}

/**
 * A phys-only ELF core (QEMU style) of the dumpable pages of `src`, behind a zero PT_LOAD of
 * `fillerBytes` placed first in the file (never written: the file stays sparse) and mapped
 * above the real RAM, so the pages the log needs sit at the end of the file.
 */
export async function makeElf(src: string, out: string, fillerBytes: number): Promise<number> {
  const d = await openDump(src);
  const runs: { pfn: number; pages: Uint8Array[] }[] = [];
  try {
    const maxPfn = 1 << 20; // 4 GiB: more than the 768 MB guest
    for (let pfn = 0; pfn < maxPfn; pfn++) {
      let p: Uint8Array;
      try { p = await d.phys.read(BigInt(pfn) * BigInt(PAGE), PAGE); } catch { continue; }
      const last = runs.at(-1);
      if (last && last.pfn + last.pages.length === pfn) last.pages.push(p);
      else runs.push({ pfn, pages: [p] });
    }
    const vi = Buffer.from(d.vmcoreinfoRaw ?? '');
    const name = Buffer.from('VMCOREINFO\0\0');
    const note = Buffer.alloc(12 + name.length + ((vi.length + 3) & ~3));
    note.writeUInt32LE(11, 0); note.writeUInt32LE(vi.length, 4); note.writeUInt32LE(0, 8); name.copy(note, 12); vi.copy(note, 12 + name.length);
    const nph = runs.length + 2;
    const hdr = Buffer.alloc(64 + nph * 56);
    hdr.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
    hdr.writeUInt16LE(4, 16); hdr.writeUInt16LE(62, 18); hdr.writeUInt32LE(1, 20);
    hdr.writeBigUInt64LE(64n, 32); hdr.writeUInt16LE(64, 52); hdr.writeUInt16LE(56, 54); hdr.writeUInt16LE(nph, 56);
    const ph = (i: number, type: number, off: number, paddr: bigint, size: number) => {
      const o = 64 + i * 56;
      hdr.writeUInt32LE(type, o); hdr.writeBigUInt64LE(BigInt(off), o + 8); hdr.writeBigUInt64LE(paddr, o + 24);
      hdr.writeBigUInt64LE(BigInt(size), o + 32); hdr.writeBigUInt64LE(BigInt(size), o + 40);
    };
    let off = Math.ceil((hdr.length + note.length) / PAGE) * PAGE;
    ph(0, 4, hdr.length, 0n, note.length);
    ph(1, 1, off, 1n << 40n, fillerBytes); // zero filler, far above RAM
    off += fillerBytes;
    const fd = openSync(out, 'w');
    try {
      runs.forEach((r, i) => {
        ph(i + 2, 1, off, BigInt(r.pfn) * BigInt(PAGE), r.pages.length * PAGE);
        for (const p of r.pages) { writeSync(fd, p, 0, PAGE, off); off += PAGE; }
      });
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

function row(label: string, m: { seconds: number; peakRssMb: number; status: number | null; stdout: string }, extra = ''): void {
  const lines = m.stdout ? m.stdout.split('\n').length - 1 : 0;
  console.log(`  ${label.padEnd(34)} ${fmt(m.seconds * 1000, 1).padStart(8)} ms  ${fmt(m.peakRssMb, 1).padStart(7)} MB RSS  ${String(lines).padStart(5)} lines  exit ${m.status}${extra}`);
}

function bytesRead(stderr: string): string {
  const m = /(\d+) bytes read, (\d+) pages read/.exec(stderr);
  return m ? `  ${(Number(m[1]) / 1024).toFixed(0)} KiB read (${m[2]} pages)` : '';
}

export async function run(): Promise<void> {
  if (!existsSync(KDUMP)) { console.log(`  skipped: ${KDUMP} missing`); return; }
  const tools = { 'vmcore-dmesg': which('vmcore-dmesg'), makedumpfile: which('makedumpfile') };
  for (const [t, p] of Object.entries(tools)) if (!p) console.log(`  ${t}: not installed (apt-get install kexec-tools makedumpfile); skipped`);
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-bench-vmcore-'));
  try {
    const small = join(dir, 'vmcore-100m.elf');
    const big = join(dir, 'vmcore-64g.elf');
    const real = await makeElf(KDUMP, small, 0);
    await makeElf(KDUMP, small, Math.max(0, 100 * 1024 * 1024 - real));
    await makeElf(KDUMP, big, 64 * 1024 * 1024 * 1024);
    const start = nodeStartup();
    console.log(`  node -e 0: ${fmt(start.seconds * 1000, 1)} ms, ${fmt(start.peakRssMb, 1)} MB RSS`);
    for (const [label, path] of [['kdump-zlib-d31 (17 MB)', KDUMP], ['flat-zlib-d31 (17 MB)', FLAT], ['ELF ~100 MB', small], ['ELF 64 GiB sparse', big]] as const) {
      const size = statSync(path).size;
      console.log(`  ${label}: ${(size / 2 ** 20).toFixed(0)} MiB apparent, ${((statSync(path).blocks * 512) / 2 ** 20).toFixed(0)} MiB on disk`);
      const c = measureCli(['dmesg', '--stats', path]);
      row('crashlog dmesg', c, `  (+${fmt((c.seconds - start.seconds) * 1000, 1)} ms over node)${bytesRead(c.stderr)}`);
      if (tools['vmcore-dmesg']) row('vmcore-dmesg', measure(tools['vmcore-dmesg'], [path]));
      if (tools.makedumpfile) {
        const out = join(dir, 'md.txt');
        rmSync(out, { force: true });
        const m = measure(tools.makedumpfile, ['--dump-dmesg', path, out]);
        m.stdout = existsSync(out) ? spawnSync('cat', [out], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout : '';
        row('makedumpfile --dump-dmesg', m);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
