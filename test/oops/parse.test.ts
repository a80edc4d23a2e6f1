// The report-block parser on the kernel's printk formats: each form written out from the
// kernel's own format strings (x86 __show_regs, arm64 __show_regs, show_trace_log_lvl), not
// only from the corpus.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOops } from '../../src/oops/parse.js';
import { parseFrameLine } from '../../src/oops/frame.js';
import { parseRegisterLine } from '../../src/oops/registers.js';

const x = (v: bigint, w = 16): string => v.toString(16).padStart(w, '0');
const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** arch/x86/kernel/process_64.c __show_regs(regs, SHOW_REGS_ALL) for 6.1, as printk writes it. */
function x86Regs(r: Record<string, bigint>): string[] {
  return [
    `RSP: ${x(r.SS!, 4)}:${x(r.RSP!)} EFLAGS: ${x(r.EFLAGS!, 8)}`,
    `RAX: ${x(r.RAX!)} RBX: ${x(r.RBX!)} RCX: ${x(r.RCX!)}`,
    `RDX: ${x(r.RDX!)} RSI: ${x(r.RSI!)} RDI: ${x(r.RDI!)}`,
    `RBP: ${x(r.RBP!)} R08: ${x(r.R08!)} R09: ${x(r.R09!)}`,
    `R10: ${x(r.R10!)} R11: ${x(r.R11!)} R12: ${x(r.R12!)}`,
    `R13: ${x(r.R13!)} R14: ${x(r.R14!)} R15: ${x(r.R15!)}`,
    `FS:  ${x(r.FS!)}(0000) GS:${x(r.GS!)}(0000) knlGS:${x(r.knlGS!)}`,
    `CS:  ${x(r.CS!, 4)} DS: 0000 ES: 0000 CR0: ${x(r.CR0!)}`,
    `CR2: ${x(r.CR2!)} CR3: ${x(r.CR3!)} CR4: ${x(r.CR4!)}`,
    `PKRU: ${x(r.PKRU!, 8)}`,
  ];
}
const X86_NAMES = ['SS', 'RSP', 'EFLAGS', 'RAX', 'RBX', 'RCX', 'RDX', 'RSI', 'RDI', 'RBP', 'R08', 'R09', 'R10', 'R11', 'R12', 'R13', 'R14', 'R15', 'FS', 'GS', 'knlGS', 'CS', 'CR0', 'CR2', 'CR3', 'CR4', 'PKRU'];
const WIDTH: Record<string, bigint> = { SS: 0xffffn, CS: 0xffffn, EFLAGS: 0xffffffffn, PKRU: 0xffffffffn };

/** arch/arm64/kernel/process.c __show_regs: "x%-2d: %016llx " two to a line from x29 down. */
function arm64Regs(xs: bigint[], sp: bigint): string[] {
  const out = [`sp : ${x(sp)}`];
  let i = 29;
  while (i >= 0) {
    let line = `x${String(i).padEnd(2)}: ${x(xs[i]!)} `;
    i--;
    if (i % 2 === 0) { line += `x${String(i).padEnd(2)}: ${x(xs[i]!)} `; i--; }
    out.push(line);
  }
  return out;
}

describe('registers, written from the kernel format strings', () => {
  it('x86_64 __show_regs', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: X86_NAMES.length, maxLength: X86_NAMES.length }), (vals) => {
      const r: Record<string, bigint> = {};
      X86_NAMES.forEach((n, i) => { r[n] = vals[i]! & (WIDTH[n] ?? (1n << 64n) - 1n); });
      const o = parseOops(['Oops: 0000 [#1] SMP', 'RIP: 0010:f+0x1/0x2', ...x86Regs(r), 'Call Trace:', ' g+0x1/0x2']);
      for (const n of X86_NAMES) expect(o.registers?.[n], n).toBe(hex(r[n]!));
    }), { numRuns: 50 });
  });

  it('arm64 __show_regs (x%-2d)', () => {
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 31, maxLength: 31 }), (vals) => {
      const o = parseOops(['Internal error: Oops: 96000005 [#1] SMP', 'pstate: 60400005 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)',
        'pc : f+0x1/0x2 [m]', 'lr : g+0x3/0x4 [m]', ...arm64Regs(vals.slice(0, 30), vals[30]!), 'Call trace:', ' f+0x1/0x2 [m]']);
      for (let i = 0; i < 30; i++) expect(o.registers?.[`x${i}`]).toBe(hex(vals[i]!));
      expect(o.registers?.sp).toBe(hex(vals[30]!));
      expect(o.registers?.pstate).toBe('0x60400005');
      expect(o.rip).toMatchObject({ function: 'f', module: 'm' });
      expect(o.lr).toMatchObject({ function: 'g', offset: '0x3', size: '0x4' });
    }), { numRuns: 30 });
  });

  it('a line that is not a register dump', () => {
    expect(parseRegisterLine('RIP: 0010:forge+0x1/0x2')).toBeUndefined();
    expect(parseRegisterLine('Call Trace:')).toBeUndefined();
    expect(parseRegisterLine('R10 is broken')).toBeUndefined();
  });
});

describe('frame lines', () => {
  it.each([
    [' forge_crash+0xd4/0x150 [forgecrash]', { function: 'forge_crash', offset: '0xd4', size: '0x150', module: 'forgecrash', reliable: true }],
    [' ? do_fault+0x1a7/0x410', { function: 'do_fault', offset: '0x1a7', size: '0x410', reliable: false }],
    // 5.14+ %pBb with a build id.
    [' nf_hook_slow+0x41/0xc0 [nf_tables 3c8d0a6e1f2b4c5d6e7f8091a2b3c4d5e6f70819]', { function: 'nf_hook_slow', module: 'nf_tables', reliable: true }],
    // before 4.10 (x86), 4.12 (arm64): the address first.
    ['  [<ffffffff8108f2b5>] ? __might_sleep+0x95/0x190', { function: '__might_sleep', address: '0xffffffff8108f2b5', reliable: false }],
    ['[<ffff000008085ab4>] el0_svc_naked+0x24/0x28', { function: 'el0_svc_naked', address: '0xffff000008085ab4', reliable: true }],
    [' forge_checksum.constprop.0+0xf/0x30 [forgecrash]', { function: 'forge_checksum.constprop.0' }],
    [' __kernel_read+0x41d/0x4d0 fs/read_write.c:427', { function: '__kernel_read', file: 'fs/read_write.c', line: 427 }],
    [' 0xffffffffc0574fe4', { function: '0xffffffffc0574fe4', address: '0xffffffffc0574fe4' }],
  ])('%s', (line, want) => {
    expect(parseFrameLine(line)).toMatchObject(want);
  });

  it('is not fooled by prose', () => {
    for (const l of ['Modules linked in: a b', 'Code: 0f 0b', 'kasan: GPF could be caused by NULL-ptr deref', '']) expect(parseFrameLine(l)).toBeUndefined();
  });
});

describe('traces and their stacks', () => {
  it('x86 IRQ then TASK, with the interrupted RIP inside the trace (show_regs_if_on_stack)', () => {
    const o = parseOops([
      'watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [spin:96]',
      'CPU: 0 PID: 96 Comm: spin Tainted: G           OEL     6.1.0-56-amd64 #1  Debian 6.1.192-2',
      'RIP: 0010:native_queued_spin_lock_slowpath+0x5b/0x1e0',
      'Code: 6d 42 8b 05 <f3> 90',
      'RSP: 0018:ffffc90000003e38 EFLAGS: 00000202',
      'Call Trace:',
      ' <IRQ>',
      ' _raw_spin_lock+0x25/0x30',
      ' ? tick_sched_timer+0x40/0x90',
      ' __hrtimer_run_queues+0x112/0x2b0',
      ' </IRQ>',
      ' <TASK>',
      'RIP: 0010:spin_loop+0xe/0x10 [spin]',
      'Code: Unable to access opcode bytes at 0xffffffffc0574fe4.',
      'RSP: 0018:ffffd274c03d3f18 EFLAGS: 00000282',
      'RAX: 0000000000000000 RBX: ffff8cde423d66c0 RCX: ffff8cde423d6c40',
      ' kthread+0xda/0x100',
      ' ret_from_fork+0x22/0x30',
      ' </TASK>',
      'Modules linked in: spin(OE) [last unloaded: other]',
    ]);
    expect(o.trace.map((f) => [f.function, f.stack, f.reliable, f.interrupted ?? false])).toEqual([
      ['_raw_spin_lock', 'IRQ', true, false],
      ['tick_sched_timer', 'IRQ', false, false],
      ['__hrtimer_run_queues', 'IRQ', true, false],
      ['spin_loop', 'TASK', true, true],
      ['kthread', 'TASK', true, false],
      ['ret_from_fork', 'TASK', true, false],
    ]);
    expect(o.registers?.RSP).toBe('0xffffc90000003e38');
    expect(o.registers?.RAX).toBeUndefined();
    expect(o.code).toBe('6d 42 8b 05 <f3> 90');
    expect(o.modules).toEqual(['spin']);
    expect(o.taint).toEqual({ flags: 'G OEL', meaning: [expect.stringMatching(/^O: /), expect.stringMatching(/^E: /), expect.stringMatching(/^L: /)] });
  });

  it('old x86 <EOI> ends the IRQ stack; the block ends at the end marker', () => {
    const o = parseOops([
      'BUG: unable to handle kernel NULL pointer dereference at           (null)',
      'IP: [<ffffffffa0012345>] bad_fn+0x5/0x10 [bad]',
      'Call Trace:',
      ' <IRQ> ',
      ' [<ffffffff8108f2b5>] irq_fn+0x95/0x190',
      ' <EOI> ',
      ' [<ffffffff8100abcd>] ? task_fn+0x1/0x2',
      '---[ end trace 1234567890abcdef ]---',
      ' [<ffffffff8100abcd>] after_end+0x1/0x2',
    ]);
    expect(o.rip).toMatchObject({ function: 'bad_fn', address: '0xffffffffa0012345', module: 'bad' });
    expect(o.trace.map((f) => [f.function, f.stack])).toEqual([['irq_fn', 'IRQ'], ['task_fn', undefined]]);
  });

  it('a hung task report: taint on a line of its own, task line', () => {
    const o = parseOops([
      'INFO: task kworker/0:1:12 blocked for more than 120 seconds.',
      '      Tainted: G        W          6.1.0-56-amd64 #1 Debian 6.1.192-2',
      '"echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.',
      'task:kworker/0:1     state:D stack:0     pid:12    ppid:2      flags:0x00004000',
      'Call Trace:',
      ' <TASK>',
      ' __schedule+0x34d/0x9e0',
      ' schedule+0x5a/0xd0',
      ' </TASK>',
    ]);
    expect(o).toMatchObject({ comm: 'kworker/0:1', pid: 12, release: '6.1.0-56-amd64', taint: { flags: 'G W' } });
    expect(o.trace).toHaveLength(2);
  });

  it('6.10+ verbose taint line wins over the columns', () => {
    const o = parseOops(['WARNING: CPU: 1 PID: 5 at x.c:1 f+0x1/0x2', 'CPU: 1 UID: 0 PID: 5 Comm: k Tainted: G        W  O       6.12.0 #1', 'Tainted: [W]=WARN, [O]=OOT_MODULE']);
    expect(o.taint?.flags).toBe('WO');
    expect(o.release).toBe('6.12.0');
  });

  it('syzbot [inline] frames fold into the frame that follows', () => {
    const o = parseOops(['general protection fault', 'Call Trace:', ' __list_del_entry include/linux/list.h:132 [inline]', ' list_del include/linux/list.h:146 [inline]', ' walk+0x4d/0x90 drivers/x/y.c:77', ' other+0x1/0x2']);
    expect(o.trace).toHaveLength(2);
    expect(o.trace[0]).toMatchObject({ function: 'walk', file: 'drivers/x/y.c', line: 77, inlined: [{ function: '__list_del_entry', line: 132 }, { function: 'list_del', line: 146 }] });
  });

  it('never throws, and stays bounded, on any lines', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string({ maxLength: 120 }), fc.constantFrom('Call Trace:', ' <IRQ>', ' </IRQ>', 'RIP: 0010:', 'RIP: 0010:a+0x1/0x2', 'RAX: 00', ' ? a+0x1/0x2', 'pc : ', 'x9 : 00')), { maxLength: 60 }), (lines) => {
      const o = parseOops(lines);
      expect(o.trace.length).toBeLessThanOrEqual(lines.length);
    }), { numRuns: 300 });
  });
});
