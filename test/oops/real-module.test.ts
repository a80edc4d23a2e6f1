// A real oops of a real kernel (Debian 6.1.0-57-amd64 under QEMU) in a module built with its
// debug info (fixtures/qemu-mymod/SOURCE.md): every module frame the kernel printed resolves
// to the source line objdump -d -l gives for that instruction.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { run } from '../../src/cli.js';
import { disassemble, have, lineOf } from './objects.js';

const DIR = fileURLToPath(new URL('./fixtures/qemu-mymod/', import.meta.url));
const KO = join(DIR, 'mymod.ko');
const SRC = readFileSync(join(DIR, 'mymod.c'), 'utf8');

/** objdump's line for func+off (the instruction at off; a return address: the one before). */
function objdumpLine(fn: string, off: number, ret: boolean): number | undefined {
  // objdump heads a function with its global alias when it has one (mymod_init: init_module).
  const rows = disassemble(KO, fn).length ? disassemble(KO, fn) : disassemble(KO, fn === 'mymod_init' ? 'init_module' : fn);
  const start = rows[0]!.addr;
  const at = rows.findIndex((r) => r.addr - start === off);
  return rows[ret ? at - 1 : at]?.line;
}

describe.skipIf(!have('addr2line') || !have('objdump'))('a real module oops, symbolised', () => {
  it('report --modules: the pc, its inlined helper, the callers', async () => {
    const out: string[] = [];
    const code = await run(['report', '--json', '--modules', DIR, join(DIR, 'serial-console.log')], { stdout: (s) => out.push(s), stderr: () => {} });
    expect(code).toBe(0);
    const inc = JSON.parse(out.join('')).incidents.at(-1);
    expect(inc.trigger).toBe('sysrq');
    expect(inc.lead.title).toBe('BUG: unable to handle kernel NULL pointer dereference in mymod_checksum');
    const { rip, trace } = inc.oops;
    expect(rip).toMatchObject({ function: 'mymod_checksum', offset: '0x15', size: '0xfa0', module: 'mymod' });
    // The peer: objdump's line for the faulting instruction is the helper's FAULT line.
    expect(objdumpLine('mymod_checksum', 0x15, false)).toBe(lineOf(SRC, '/* FAULT */'));
    expect(rip.inlined).toEqual([expect.objectContaining({ function: 'sum_bytes', line: lineOf(SRC, '/* FAULT */') })]);
    expect(rip.line).toBe(lineOf(SRC, '/* INLINE-CALL */'));
    expect(rip.file).toMatch(/mymod\.c$/);
    expect(trace.slice(0, 2).map((f: { function: string; line?: number }) => [f.function, f.line])).toEqual([
      ['mymod_parse', objdumpLine('mymod_parse', 0x31, true)],
      ['mymod_init', objdumpLine('mymod_init', 0x17, true)],
    ]);
    expect(trace[0].line).toBe(lineOf(SRC, '/* CALL */'));
    // Kernel frames without --vmlinux keep no line.
    expect(trace[2]).toMatchObject({ function: 'do_one_initcall' });
    expect(trace[2].file).toBeUndefined();
  });

  it('symbolize on the console log as pasted', async () => {
    const out: string[] = [];
    await run(['symbolize', '--modules', DIR, join(DIR, 'serial-console.log')], { stdout: (s) => out.push(s), stderr: () => {} });
    const text = out.join('');
    expect(text).toMatch(new RegExp(`\\] RIP: 0010:mymod_checksum\\+0x15/0xfa0 \\[mymod\\] \\S*mymod\\.c:${lineOf(SRC, '/* INLINE-CALL */')}\\n`));
    expect(text).toMatch(new RegExp(`\\]  sum_bytes \\S*mymod\\.c:${lineOf(SRC, '/* FAULT */')} \\[inline\\]\\n`));
    expect(text).toMatch(new RegExp(`\\]  mymod_parse\\+0x31/0x60 \\[mymod\\] \\S*mymod\\.c:${lineOf(SRC, '/* CALL */')}\\n`));
  });
});
