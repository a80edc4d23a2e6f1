import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { consoleLog as log, x86Trace } from '../builders/console-log.js';

// Report families the syzkaller corpus holds few or none of; each is how the kernel prints it.
const cases: [string, string, string[]][] = [
  ['NMI watchdog hard lockup', 'BUG: hard lockup in forge_spinner', ['NMI watchdog: Watchdog detected hard LOCKUP on cpu 1', ...x86Trace('forge_spinner')]],
  ['stack-protector panic names the function', 'kernel panic: stack is corrupted in forge_parse_packet',
    ['Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: forge_parse_packet+0x91/0xa0 [forgecrash]']],
  ['init killed', 'kernel panic: Attempted to kill init!', ['Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b']],
  ['double fault', 'PANIC: double fault in forge_recurse', ['PANIC: double fault, error_code: 0x0', ...x86Trace('forge_recurse')]],
  ['list corruption with its kernel BUG line', 'BUG: corrupted list in forge_list',
    ['list_del corruption, ffff888003f0 ->next is LIST_POISON1 (dead000000000100)', 'kernel BUG at lib/list_debug.c:56!',
      'invalid opcode: 0000 [#1] PREEMPT SMP PTI', 'RIP: 0010:__list_del_entry_valid+0x1/0x2', 'Call Trace:', ' forge_list+0x1/0x2 [forgecrash]']],
  ['Dentry still in use with its WARNING', 'BUG: Dentry still in use in unmount',
    ['BUG: Dentry ffff888119d8a000{i=0,n=x}  still in use (1) [unmount of ramfs ramfs]', 'WARNING: CPU: 0 PID: 1 at fs/dcache.c:1616 umount_check+0x1/0x2', 'Call Trace:', ' d_walk+0x1/0x2']],
  ['scheduling while atomic skips the scheduler', 'BUG: scheduling while atomic in forge_sleep_locked',
    ['BUG: scheduling while atomic: sh/97/0x00000002', 'Call Trace:', ' dump_stack_lvl+0x1/0x2', ' __schedule_bug+0x1/0x2', ' __schedule+0x1/0x2', ' schedule+0x1/0x2', ' forge_sleep_locked+0x1/0x2 [forgecrash]']],
  ['soft lockup: the frame above the dispatch point', 'BUG: soft lockup in forge_ioctl',
    ['watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [sh:97]', 'RIP: 0010:forge_poll+0x1/0x2 [forgecrash]', 'Call Trace:', ' forge_ioctl+0x1/0x2 [forgecrash]', ' __x64_sys_ioctl+0x1/0x2', ' do_syscall_64+0x1/0x2']],
  // Rust and C++ symbols in kernel stacks (Rust for Linux) are named by their own identifier.
  ['lockdep in a mangled function', 'possible deadlock in fakeName', ['WARNING: possible circular locking dependency detected', 'sh/97 is trying to acquire lock:',
    'ffff8880 (&q->elevator_lock){+.+.}-{4:4}, at: _Z8fakeNameiii+0x49a/0x1a10']],
  ['Rust v0 symbol', 'WARNING in init', ['WARNING: CPU: 0 PID: 1 at rust/kernel/x.rs:3 _RNvXCsktjF9JQNZ8U_5rnullNtB2_13NullBlkModuleNtCs43vyB533jt3_6kernel13InPlaceModule4init+0x1/0x2',
    'RIP: 0010:_RNvXCsktjF9JQNZ8U_5rnullNtB2_13NullBlkModuleNtCs43vyB533jt3_6kernel13InPlaceModule4init+0x1/0x2', 'Call Trace:', ' do_one_initcall+0x1/0x2']],
  ['KASAN header in a skipped helper', 'KASAN: slab-out-of-bounds Write in forge_copy',
    ['BUG: KASAN: slab-out-of-bounds in memcpy+0x1/0x2', 'Write of size 8 at addr ffff888 by task sh/97', 'Call Trace:', ' kasan_report+0x1/0x2', ' memcpy+0x1/0x2', ' forge_copy+0x1/0x2 [forgecrash]']],
];

describe('more report families', () => {
  for (const [name, title, lines] of cases) {
    it(name, () => expect(detectText(log(...lines)).map((e) => e.title)).toEqual([title]));
  }
  it('arm64 "Oops - BUG: Fatal exception" ends the kernel BUG before it', () => {
    const ev = detectText(log('kernel BUG at drivers/forge.c:52!', 'Internal error: Oops - BUG: 00000000f2000800 [#1] SMP', 'pc : forge_validate_table+0x14/0x20 [forgecrash]',
      'Call trace:', ' forge_validate_table+0x14/0x20 [forgecrash]', 'Kernel panic - not syncing: Oops - BUG: Fatal exception'));
    expect(ev.map((e) => [e.title, e.endsBoot, e.panic])).toEqual([['kernel BUG in forge_validate_table', true, 'Oops - BUG: Fatal exception'],
      ['kernel panic: Oops - BUG: Fatal exception', true, 'Oops - BUG: Fatal exception']]);
  });
  it('reads only the header task\'s lines when the console records callers (CONFIG_PRINTK_CALLER)', () => {
    const text = ['[   10.0][ T97] WARNING: CPU: 0 PID: 97 at drivers/forge.c:3 forge_check_state+0x1/0x2', '[   10.1][ T97] Call Trace:',
      '[   10.2][ T12]  other_task_fn+0x1/0x2', '[   10.3][ T97]  forge_check_state+0x1/0x2 [forgecrash]'].join('\n') + '\n';
    expect(detectText(text).map((e) => e.title)).toEqual(['WARNING in forge_check_state']);
  });
  it('a header inside console noise ("** N printk messages dropped **") still starts a report', () => {
    const text = '** 12 printk messages dropped ** [   96.1] INFO: Freed in forge_free+0x14/0x20 age=57 cpu=0 pid=18338\n';
    expect(detectText(text).map((e) => [e.title, e.corrupted])).toEqual([['INFO: Freed in forge_free age=NUM cpu=NUM pid=NUM', true]]);
  });
});
