// How a report is read (syzkaller linux.go findReport/stripLinePrefix): by its printk caller
// context, without the unwinder's guesses, cut at messages that carry their own stack.
import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { consoleLog as log } from '../builders/console-log.js';
import { arm64Regs, frames, x86Regs, x86Trace } from './printk-forms.js';

/** "[ts][ T97] text" lines, as CONFIG_PRINTK_CALLER prints them. */
const ctx = (...lines: [string, string][]): string => lines.map(([c, l], i) => `[   ${i + 10}.000000][ ${c}] ${l}`).join('\n') + '\n';

describe('reading a report', () => {
  it('reads past another task\'s report to its own trace', () => {
    const text = ctx(['T97', 'general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN'],
      ['T12', 'BUG: sleeping function called from invalid context at kernel/sched/core.c:1'], ['T12', 'Call Trace:'], ['T12', ' other_task_fn+0x1/0x2'], ['T12', ' other_caller+0x1/0x2'], ['T12', ' kthread+0x1/0x2'],
      ['T97', 'RIP: 0010:forge_walk+0x1c/0x90'], ['T97', 'Call Trace:'], ['T97', ' forge_walk+0x1c/0x90'], ['T97', ' forge_ioctl+0x1c/0x90'], ['T97', ' do_syscall_64+0x1/0x2']);
    const ev = detectText(text);
    expect(ev.map((e) => [e.title, e.corrupted])).toEqual([['general protection fault in forge_walk', false], ['BUG: sleeping function called from invalid context in other_task_fn', false]]);
  });
  it('a userspace line on the console (no caller) neither starts a report inside one nor cuts it', () => {
    const text = ctx(['T97', 'BUG: KASAN: slab-use-after-free in forge_read+0x1c/0x90'], ['T97', 'Read of size 8 at addr ffff88801d2a8010 by task sh/97'],
      ['T97', 'Call Trace:']) + 'SYZFAIL: failed to recv rpc\n' + ctx(['T97', ' forge_read+0x1c/0x90'], ['T97', ' forge_ioctl+0x1c/0x90'], ['T97', ' do_syscall_64+0x1/0x2']);
    expect(detectText(text)[0]).toMatchObject({ title: 'KASAN: slab-use-after-free Read in forge_read', corrupted: false });
  });
  it('drops "? func" guesses and powerpc "(unreliable)" frames', () => {
    const ev = detectText(log('BUG: scheduling while atomic: sh/97/0x00000002', 'Call Trace:', ' ? forge_guess+0x1/0x2', '[c00000000a1e3b70] [c000000000654321] forge_maybe+0x1/0x2 (unreliable)',
      ...frames('__schedule_bug', 'schedule', 'forge_sleep', 'forge_ioctl')))[0];
    expect(ev?.title).toBe('BUG: scheduling while atomic in forge_sleep');
  });
  it('without a caller context, a fault-injection message ends the report before its stack', () => {
    const ev = detectText(log('BUG: sleeping function called from invalid context at mm/slab.h:1', 'FAULT_INJECTION: forcing a failure.', 'Call Trace:',
      ...frames('should_fail', 'forge_alloc')))[0];
    expect(ev).toMatchObject({ title: 'BUG: sleeping function called from invalid context in corrupted', corrupted: true });
  });
  it('a fault-injection stack inside the report makes it corrupted', () => {
    const ev = detectText(ctx(['T1', 'BUG: scheduling while atomic: sh/1/0x00000002'], ['T1', 'Call Trace:'], ['T1', ' schedule+0x1/0x2'],
      ['T1', ' forge_sleep+0x1d/0x30'], ['T1', ' should_fail+0x1/0x2'], ['T1', ' forge_ioctl+0x1d/0x30']))[0];
    expect(ev).toMatchObject({ title: 'BUG: scheduling while atomic in forge_sleep', corrupted: true });
  });
  it('finds headers behind a pr_fmt prefix ("subsys: BUG: ...")', () => {
    const ev = detectText(log('forge: BUG: spinlock recursion on CPU#0, sh/97', ...x86Trace('do_raw_spin_lock', 'forge_poke')))[0];
    expect(ev?.title).toBe('BUG: spinlock recursion in forge_poke');
  });
  it('a GCE console hangup makes the report corrupted', () => {
    const ev = detectText(log('BUG: scheduling while atomic: sh/97/0x00000002', ...x86Trace('schedule', 'forge_sleep'), 'serialport: VM disconnected.'))[0];
    expect(ev).toMatchObject({ title: 'BUG: scheduling while atomic in forge_sleep', corrupted: true });
  });
});

describe('RCU stall flavours (kernel/rcu/tree_stall.h, tasks.h)', () => {
  const irq = [' </IRQ>', ' <TASK>', ' asm_sysvec_apic_timer_interrupt+0x1a/0x20', 'RIP: 0010:forge_spin+0x1c/0x90', ...frames('forge_spin', 'forge_work', 'process_one_work')];
  for (const header of ['rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 0-... } 2653 jiffies s: 1293 root: 0x1/.',
    'INFO: rcu_sched detected stalls on CPUs/tasks:', 'rcu: INFO: rcu_bh self-detected stall on CPU']) {
    it(header, () => expect(detectText(log(header, 'Call Trace:', ' <IRQ>', ...irq))[0]?.title).toBe('INFO: rcu detected stall in forge_work'));
  }
  it('RCU tasks: no interrupted stack to read', () => {
    const ev = detectText(log('INFO: rcu_tasks detected stalls on tasks:', '00000000b92b832d: .. nvcsw: 1/1 holdout: 1 idle_cpu: -1/7', 'Call Trace:', ...frames('__schedule', 'forge_loop')))[0];
    expect(ev).toMatchObject({ title: 'INFO: rcu detected stall in corrupted', corrupted: true });
  });
});

describe('arm64 SError (arch/arm64/kernel/traps.c arm64_serror_panic)', () => {
  it('is titled by its panic', () => {
    const ev = detectText(log('SError Interrupt on CPU0, code 0x00000000bf000000 -- SError', ...arm64Regs('forge_readl', 'forge_probe').slice(0, 6),
      'Kernel panic - not syncing: Asynchronous SError Interrupt', 'Call trace:', ...frames('dump_backtrace', 'panic', 'nmi_panic', 'arm64_serror_panic', 'do_serror')));
    expect(ev.map((e) => [e.title, e.corrupted])).toEqual([['kernel panic: Asynchronous SError Interrupt', false]]);
  });
});

describe('alternative titles (syzkaller alt)', () => {
  it('a fault carries "bad-access in f"', () => {
    const ev = detectText(log('general protection fault: 0000 [#1] SMP', ...x86Regs('forge_walk'), ...x86Trace('forge_walk')))[0];
    expect(ev?.altTitles).toEqual(['bad-access in forge_walk']);
  });
});
