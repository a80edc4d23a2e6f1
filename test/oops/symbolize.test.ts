// Frames of a module resolve to the module's source lines, with the inlined helper, through
// binutils addr2line: on a gcc -g object always, on a real kernel module where Debian's
// linux-headers are installed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { Symbolizer } from '../../src/oops/symbolize/symbolize.js';
import { parseAddr2line } from '../../src/oops/symbolize/addr2line.js';
import { parseOops } from '../../src/oops/parse.js';
import { buildModule, buildObject, crashFrames, have, headersDir, type Built } from './objects.js';

const tools = have('gcc') && have('addr2line') && have('objdump') && have('nm');
const headers = headersDir();

function consoleLog(f: ReturnType<typeof crashFrames>): string {
  return [
    'BUG: kernel NULL pointer dereference, address: 0000000000000000',
    '#PF: supervisor read access in kernel mode',
    'Oops: 0000 [#1] PREEMPT SMP PTI',
    'CPU: 0 PID: 99 Comm: insmod Tainted: G           OE      6.1.0-57-amd64 #1  Debian 6.1.192-3',
    `RIP: 0010:${f.rip}`,
    'RSP: 0018:ffffd30b003e3ad8 EFLAGS: 00010246',
    'RAX: 0000000000000000 RBX: ffffd30b003e3b08 RCX: 0000000000000073',
    'Call Trace:',
    ' <TASK>',
    ` ${f.caller}`,
    ' ? do_one_initcall+0x41/0x200',
    ' </TASK>',
    'Modules linked in: mymod(OE)',
    '---[ end trace 0000000000000000 ]---',
  ].map((l, i) => `[    3.${String(870000 + i * 100).padStart(6, '0')}] ${l}`).join('\n') + '\n';
}

function checks(name: string, build: () => Built): void {
  describe(name, () => {
    let b: Built;
    let f: ReturnType<typeof crashFrames>;
    it('builds, and objdump names the lines', () => {
      b = build();
      f = crashFrames(b);
      expect(f.fault).toBeGreaterThan(0);
    }, 300_000); // kbuild on two shared cores

    it('the faulting pc: the inlined helper\'s line, inside the caller\'s line', async () => {
      const o = parseOops(consoleLog(f).split('\n').map((l) => l.replace(/^\[[^\]]*\] /, '')));
      await new Symbolizer({ modules: b.dir }).oops(o);
      expect(o.rip).toMatchObject({ function: 'mymod_checksum', module: 'mymod', line: f.inlineCall });
      expect(o.rip!.file).toMatch(/mymod\.c$/);
      expect(o.rip!.inlined).toEqual([expect.objectContaining({ function: 'sum_bytes', line: f.fault })]);
      // A return address resolves to the call, not the line after it.
      expect(o.trace[0]).toMatchObject({ function: 'mymod_parse', line: f.call });
      expect(o.trace[1]!.file).toBeUndefined();
    });

    it('crashlog symbolize on a pasted trace', async () => {
      const log = join(b.dir, 'oops.txt');
      writeFileSync(log, consoleLog(f));
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(['symbolize', '--modules', b.dir, log], { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
      expect(code).toBe(0);
      const text = out.join('');
      expect(text).toContain(` sum_bytes ${b.file}:${f.fault} [inline]`);
      expect(text).toContain(`RIP: 0010:${f.rip} ${b.file}:${f.inlineCall}`);
      expect(text).toContain(` ${f.caller} ${b.file}:${f.call}`);
      // The output reads back: the [inline] line folds into the frame after it.
      const again = parseOops(text.split('\n').map((l) => l.replace(/^\[[^\]]*\] /, '')));
      expect(again.trace[0]).toMatchObject({ function: 'mymod_parse', line: f.call });
    });

    it('crashlog report --modules puts the lines in the JSON oops block', async () => {
      const log = join(b.dir, 'console.log');
      writeFileSync(log, consoleLog(f) + '[    4.000000] Kernel panic - not syncing: Fatal exception\n');
      const out: string[] = [];
      await run(['report', '--json', '--modules', b.dir, log], { stdout: (s) => out.push(s), stderr: () => {} });
      const inc = JSON.parse(out.join('')).incidents.at(-1);
      expect(inc.oops.rip).toMatchObject({ function: 'mymod_checksum', line: f.inlineCall });
      expect(inc.oops.trace[0]).toMatchObject({ function: 'mymod_parse', line: f.call });
      expect(inc.trigger).toBe('panic_on_oops');
    });
  });
}

describe.skipIf(!tools)('symbolisation with addr2line', () => {
  checks('a gcc -g object', buildObject);
  describe.skipIf(!headers || !have('make'))('a kernel module built against linux-headers', () => {
    checks(`module built with ${headers}`, () => buildModule(headers!));
  });
});

describe('addr2line output', () => {
  it('groups by address, innermost first, unknowns without a line', () => {
    const out = '0x0000000000000010\nsum_bytes\n/tmp/m.c:8\nmymod_checksum\n/tmp/m.c:14 (discriminator 3)\n0x0000000000000099\n??\n??:0\n';
    expect(parseAddr2line(out)).toEqual([
      [{ function: 'sum_bytes', file: '/tmp/m.c', line: 8 }, { function: 'mymod_checksum', file: '/tmp/m.c', line: 14 }],
      [{ function: '??' }],
    ]);
  });
});

describe.skipIf(!tools)('a linked image as the vmlinux: symbol+offset, bare addresses under KASLR, System.map', () => {
  it('resolves', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { source, lineOf, disassemble, symbolOf } = await import('./objects.js');
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-vmlinux-'));
    const src = `${source(false)}\nint main(int c, char **v) { return mymod_parse(c, v[0]); }\n`;
    writeFileSync(join(dir, 'main.c'), src);
    const vmlinux = join(dir, 'vmlinux');
    execFileSync('gcc', ['-g', '-O2', '-no-pie', '-o', vmlinux, join(dir, 'main.c')]);
    const map = join(dir, 'System.map');
    writeFileSync(map, execFileSync('nm', ['-n', vmlinux], { encoding: 'utf8' }));
    const ck = symbolOf(vmlinux, 'mymod_checksum');
    const load = disassemble(vmlinux, 'mymod_checksum').find((r) => r.line === lineOf(src, '/* FAULT */') && /\(%/.test(r.text))!;
    const rows = disassemble(vmlinux, 'mymod_parse');
    const ret = rows[rows.findIndex((r) => /call/.test(r.text) && /mymod_checksum/.test(r.text)) + 1]!.addr;
    const kaslr = 0x1000000;
    const log = [
      `[    1.000000] RIP: 0010:mymod_checksum+0x${(load.addr - ck.start).toString(16)}/0x${ck.size.toString(16)}`,
      '[    1.000001] Call Trace:',
      `[    1.000002]  [<${(ret + kaslr).toString(16).padStart(16, '0')}>]`,
      '[    1.000003] Kernel Offset: 0x1000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)',
    ].join('\n');
    const file = join(dir, 'oops.txt');
    writeFileSync(file, log);
    const out: string[] = [];
    await run(['symbolize', '--vmlinux', vmlinux, file], { stdout: (s) => out.push(s), stderr: () => {} });
    const text = out.join('');
    expect(text).toContain(` sum_bytes ${join(dir, 'main.c')}:${lineOf(src, '/* FAULT */')} [inline]`);
    expect(text).toMatch(new RegExp(`RIP: 0010:mymod_checksum\\+0x[0-9a-f]+/0x[0-9a-f]+ \\S+main\\.c:${lineOf(src, '/* INLINE-CALL */')}\\n`));
    expect(text).toMatch(new RegExp(`\\[<[0-9a-f]{16}>\\] mymod_parse\\+0x[0-9a-f]+ \\S+main\\.c:${lineOf(src, '/* CALL */')}\\n`));
    // System.map alone: the bare address gets its name, no line.
    const named: string[] = [];
    await run(['symbolize', '--system-map', map, file], { stdout: (s) => named.push(s), stderr: () => {} });
    expect(named.join('')).toContain(`>] mymod_parse+0x${(ret - symbolOf(vmlinux, 'mymod_parse').start).toString(16)}\n`);
  });
});
