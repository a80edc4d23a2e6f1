// Objects with DWARF for the symbolizer's tests, built here: a gcc -g -c object (ET_REL, like
// a .ko) and, where Debian's linux-headers are installed, a real kernel module. The truth
// comes from objdump -d -l (binutils' disassembler with line numbers), not from addr2line.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const have = (bin: string): boolean => {
  try { execFileSync(bin, ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
};

/** The C source: a NULL read in an always-inlined helper, called from a noinline function in
 * .text.unlikely (so the .ko's section matters), called from another. Markers name the lines.
 * One file, the one the real module in fixtures/qemu-mymod was built from; the plain object
 * takes it without the module's include and its init/parameter tail (same line numbers). */
const MODULE_SOURCE = fileURLToPath(new URL('./fixtures/qemu-mymod/mymod.c', import.meta.url));
export function source(kernel: boolean): string {
  const text = readFileSync(MODULE_SOURCE, 'utf8');
  if (kernel) return text;
  return text.slice(text.indexOf('\n') + 1, text.indexOf('\nstatic int len'));
}

export const lineOf = (src: string, marker: string): number => src.split('\n').findIndex((l) => l.includes(marker)) + 1;

export interface Built { dir: string; ko: string; src: string; file: string }

export function buildObject(): Built {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-sym-'));
  const src = source(false);
  const file = join(dir, 'mymod.c');
  writeFileSync(file, src);
  execFileSync('gcc', ['-g', '-O2', '-fno-pic', '-c', file, '-o', join(dir, 'mymod.o')], { cwd: dir });
  // A .ko is an ET_REL object like this one; the symbolizer finds modules by file name.
  copyFileSync(join(dir, 'mymod.o'), join(dir, 'mymod.ko'));
  return { dir, ko: join(dir, 'mymod.ko'), src, file };
}

export function headersDir(): string | undefined {
  if (!existsSync('/usr/src')) return undefined;
  const h = readdirSync('/usr/src').filter((d) => /^linux-headers-.*-(amd64|arm64)$/.test(d)).sort().pop();
  return h && existsSync(join('/usr/src', h, 'Makefile')) ? join('/usr/src', h) : undefined;
}

export function buildModule(headers: string): Built {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-kmod-'));
  const src = source(true);
  const file = join(dir, 'mymod.c');
  writeFileSync(file, src);
  writeFileSync(join(dir, 'Kbuild'), 'obj-m := mymod.o\n');
  execFileSync('make', ['-s', '-C', headers, `M=${dir}`, 'modules'], { cwd: dir, stdio: 'pipe' });
  return { dir, ko: join(dir, 'mymod.ko'), src, file };
}

/** objdump -d -l of one function: its instructions with the source line each is under. */
export function disassemble(obj: string, fn: string): { addr: number; text: string; line?: number }[] {
  const out = execFileSync('objdump', ['-d', '-l', '-r', '-w', '--no-show-raw-insn', obj], { encoding: 'utf8' });
  const rows: { addr: number; text: string; line?: number }[] = [];
  let inFn = false;
  let line: number | undefined;
  for (const l of out.split('\n')) {
    const head = /^[0-9a-f]+ <([^>]+)>:$/.exec(l);
    if (head) { inFn = head[1] === fn; line = undefined; continue; }
    if (!inFn) continue;
    const loc = /:(\d+)(?: \(discriminator \d+\))?$/.exec(l);
    if (loc && !/^\s+[0-9a-f]+:\t/.test(l)) { line = Number(loc[1]); continue; }
    // -r: a relocation names the target of a call into another section; it belongs to the call.
    const rel = /^\s+[0-9a-f]+: (R_\w+)\s+(\S+)/.exec(l);
    if (rel && rows.length) { rows[rows.length - 1]!.text += ` ${rel[2]}`; continue; }
    const ins = /^\s+([0-9a-f]+):\t(.*)$/.exec(l);
    if (ins) rows.push({ addr: parseInt(ins[1]!, 16), text: ins[2]!, ...(line !== undefined ? { line } : {}) });
  }
  return rows;
}

/** Start and size of a function symbol (nm -S). */
export function symbolOf(obj: string, fn: string): { start: number; size: number } {
  const out = execFileSync('nm', ['-S', obj], { encoding: 'utf8' });
  const m = new RegExp(`^([0-9a-f]+) ([0-9a-f]+) [tT] ${fn.replace(/\./g, '\\.')}$`, 'm').exec(out);
  if (!m) throw new Error(`${fn} not in nm -S ${obj}`);
  return { start: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16) };
}

/** The frames a kernel would print for a NULL read in mymod_checksum called from mymod_parse,
 * and the lines they must resolve to. */
export function crashFrames(b: Built): { rip: string; caller: string; fault: number; inlineCall: number; call: number } {
  const ck = symbolOf(b.ko, 'mymod_checksum');
  const pa = symbolOf(b.ko, 'mymod_parse');
  const fault = lineOf(b.src, '/* FAULT */');
  const load = disassemble(b.ko, 'mymod_checksum').find((r) => r.line === fault && /\(%/.test(r.text));
  if (!load) throw new Error('no load on the FAULT line');
  const rows = disassemble(b.ko, 'mymod_parse');
  const at = rows.findIndex((r) => /call/.test(r.text) && /mymod_checksum/.test(r.text));
  if (at < 0 || !rows[at + 1]) throw new Error('no call to mymod_checksum');
  const hex = (n: number): string => `0x${n.toString(16)}`;
  return {
    rip: `mymod_checksum+${hex(load.addr - ck.start)}/${hex(ck.size)} [mymod]`,
    caller: `mymod_parse+${hex(rows[at + 1]!.addr - pa.start)}/${hex(pa.size)} [mymod]`,
    fault, inlineCall: lineOf(b.src, '/* INLINE-CALL */'), call: lineOf(b.src, '/* CALL */'),
  };
}
