import { describe, expect, it } from 'vitest';
import { detectText, signature, signatureFrames, signatureKey } from '../../src/detect/index.js';
import { consoleLog as log } from '../builders/console-log.js';
import { SYSCALL, arm64Regs, x86Regs, x86Trace } from './printk-forms.js';

const gpf = (fn: string, ...callers: string[]) => ['general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN',
  ...x86Regs(fn), ...x86Trace(fn, ...callers)];
const sysrq = (...before: string[]) => [...before, 'sysrq: Trigger a crash', 'Kernel panic - not syncing: sysrq triggered crash',
  'CPU: 1 PID: 4321 Comm: sh Not tainted 6.8.0 #1', 'Call Trace:', ' <TASK>', ' dump_stack_lvl+0x1/0x2', ' panic+0x1/0x2', ' sysrq_handle_crash+0x1/0x2',
  ' __handle_sysrq+0x1/0x2', ' write_sysrq_trigger+0x1/0x2', ' proc_reg_write+0x1/0x2', ' vfs_write+0x1/0x2', ' </TASK>'];
const first = (...lines: string[]) => detectText(log(...lines))[0]!;

describe('crash signature', () => {
  it('is the normalised title and the top three non-skipped guilty frames', () => {
    const ev = first(...gpf('forge_walk', 'forge_list', 'forge_ioctl', ...SYSCALL));
    expect(signatureKey(ev)).toBe('general protection fault in forge_walk\nforge_walk\nforge_list\nforge_ioctl');
    expect(signature(ev)).toMatch(/^[0-9a-f]{64}$/);
  });
  it('is one for the same bug on two machines and kernels (offsets, clones, pids, syscall prefixes)', () => {
    const a = first(...gpf('forge_walk', 'forge_list', '__x64_sys_ioctl', 'do_syscall_64'));
    const b = detectText(log(...gpf('forge_walk', 'forge_list', '__x64_sys_ioctl', 'do_syscall_64')).replace(/0x1c\/0x90/g, '0x2a/0xc0')
      .replace(/forge_list\+/g, 'forge_list.isra.0+').replace(/syz-executor\.3/g, 'syz-executor.7').replace(/PID: 4321/g, 'PID: 99'))[0]!;
    expect(signature(b)).toBe(signature(a));
    // arm64's syscall wrapper is __arm64_sys_ioctl: the same frame once the prefix is gone.
    const arm = first('Unable to handle kernel paging request at virtual address dfff800000000001', 'Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP',
      ...arm64Regs('forge_walk', 'forge_list', '__arm64_sys_ioctl'));
    expect(signatureFrames(arm)).toEqual(['forge_walk', 'forge_list', 'sys_ioctl']);
    expect(signatureFrames(a)).toEqual(['forge_walk', 'forge_list', 'sys_ioctl']);
  });
  it('differs for two bugs with one title', () => {
    const a = first(...gpf('forge_walk', 'forge_list', 'forge_ioctl'));
    const b = first(...gpf('forge_walk', 'forge_table', 'forge_ioctl'));
    expect(a.title).toBe(b.title);
    expect(signature(a)).not.toBe(signature(b));
  });
  it('tells two "sysrq triggered crash" panics apart by the report the trigger fired on', () => {
    const panicOf = (lines: string[]) => detectText(log(...lines)).find((e) => e.kind === 'panic')!;
    const hungA = ['INFO: task forge:97 blocked for more than 120 seconds.', 'Call Trace:', ' __schedule+0x1/0x2', ' schedule+0x1/0x2', ' forge_wait_a+0x1/0x2', ' forge_ioctl+0x1/0x2'];
    const hungB = hungA.map((l) => l.replace('forge_wait_a', 'forge_wait_b'));
    const [leadA, pA] = [first(...hungA), panicOf(sysrq(...hungA))];
    const [leadB, pB] = [first(...hungB), panicOf(sysrq(...hungB))];
    expect(pA.title).toBe('kernel panic: sysrq triggered crash');
    expect(signatureFrames(pA)).toEqual(['sysrq_handle_crash', '__handle_sysrq', 'write_sysrq_trigger']);
    expect(signature(pA, leadA)).not.toBe(signature(pB, leadB));
    expect(signature(pA, leadA)).toBe(signature(panicOf(sysrq(...hungA)), first(...hungA)));
  });
  it('a WARNING (RIP line alone in its guilty stack) continues with its call trace', () => {
    const ev = first('WARNING: CPU: 0 PID: 1 at drivers/forge/q.c:21 forge_check+0x1d/0x30', ...x86Regs('forge_check'), ...x86Trace('forge_check', 'forge_submit', 'forge_ioctl'));
    expect(ev.title).toBe('WARNING in forge_check');
    expect(signatureFrames(ev)).toEqual(['forge_check', 'forge_submit', 'forge_ioctl']);
  });
  it('is a pure function of the event', () => {
    const ev = first(...gpf('forge_walk', 'forge_list'));
    expect(signature({ ...ev })).toBe(signature(ev));
    expect(signature({ title: 'kernel panic: Attempted to kill init!' })).toBe(signature({ title: 'kernel panic: Attempted to kill init!', frames: [] }));
  });
});
