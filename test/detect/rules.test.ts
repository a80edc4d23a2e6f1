import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { normalizeTitle } from '../../src/detect/rules.js';

import { arm64Trace, consoleLog as log, x86Trace } from '../builders/console-log.js';

const cases: [string, string, string[]][] = [
  ['x86 NULL deref', 'BUG: unable to handle kernel NULL pointer dereference in forge_checksum',
    ['BUG: kernel NULL pointer dereference, address: 0000000000000000', 'Oops: 0000 [#1] PREEMPT SMP PTI', ...x86Trace('forge_checksum.constprop.0')]],
  ['x86 page fault', 'BUG: unable to handle kernel paging request in forge_checksum',
    ['BUG: unable to handle page fault for address: ffffffffc0574fe4', ...x86Trace('forge_checksum')]],
  ['arm64 NULL deref + Internal error', 'BUG: unable to handle kernel NULL pointer dereference in forge_checksum',
    ['Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000', 'Mem abort info:',
      'Internal error: Oops: 96000005 [#1] SMP', ...arm64Trace('forge_checksum.isra.0')]],
  ['gpf', 'general protection fault in forge_checksum', ['general protection fault, probably for non-canonical address 0xdffffc0000000000: 0000 [#1] PREEMPT SMP KASAN', ...x86Trace('forge_checksum')]],
  ['kernel BUG', 'kernel BUG in forge_validate_table', ['kernel BUG at /usr/src/forgecrash.c:52!', 'invalid opcode: 0000 [#1] PREEMPT SMP PTI', ...x86Trace('forge_validate_table.cold')]],
  ['WARNING with at', 'WARNING in forge_check_state', ['WARNING: CPU: 0 PID: 97 at /usr/src/forgecrash.c:37 forge_check_state+0x1c/0x30 [forgecrash]', 'Modules linked in: forgecrash(OE) ramoops', ...x86Trace('forge_check_state')]],
  // kernel/panic.c __warn without a file (no CONFIG_DEBUG_BUGVERBOSE): syzkaller's WARNING rows
  // all need "file.c:line", so the line itself is the title.
  ['WARNING without a file', 'WARNING: CPU: NUM PID: NUM at forge_check_state [forgecrash]', ['WARNING: CPU: 0 PID: 97 at forge_check_state+0x1/0x2 [forgecrash]', ...x86Trace('forge_check_state')]],
  // kernel/watchdog.c: a kthread spinning; the frame above the dispatch point (kthread) names it.
  ['soft lockup', 'BUG: soft lockup in forge_spinner', ['watchdog: BUG: soft lockup - CPU#1 stuck for 45s! [forge_spinner:96]', 'RIP: 0010:forge_spin_once+0x1/0x2 [forgecrash]',
    'Call Trace:', ' <IRQ>', ' </IRQ>', ' <TASK>', ' forge_spinner+0x1/0x2 [forgecrash]', ' kthread+0x1/0x2', ' ret_from_fork+0x1/0x2', ' </TASK>']],
  // No dispatch point in the stack: syzkaller's stall extractor finds no anchor.
  ['soft lockup without a dispatch frame', 'BUG: soft lockup in corrupted', ['watchdog: BUG: soft lockup - CPU#1 stuck for 45s! [forge_spinner:96]', ...x86Trace('forge_spinner')]],
  ['hard lockup', 'BUG: hard lockup in forge_spinner', ['BUG: hard lockup - CPU#1', ...x86Trace('forge_spinner')]],
  // syzbot's hang rule skips the waiting primitives (schedule, *_lock, wait, completion...).
  ['hung task', 'INFO: task hung in forge_sleeper', ['INFO: task sh:97 blocked for more than 120 seconds.', 'task:sh state:D', 'Call Trace:', ' __schedule+0x1/0x2', ' schedule+0x1/0x2', ' mutex_lock+0x1/0x2', ' forge_sleeper+0x1/0x2 [forgecrash]']],
  ['hung task on rtnl_lock', 'INFO: task hung in rtnl_lock', ['INFO: task sh:97 blocked for more than 120 seconds.', 'Call Trace:', ' __schedule+0x1/0x2', ' rtnl_lock+0x1/0x2', ' forge_ioctl+0x1/0x2 [forgecrash]']],
  // The stalled code is the one the timer interrupt found: after apic_timer_interrupt, the
  // frame above the first dispatch point (here the kthread).
  ['rcu stall', 'INFO: rcu detected stall in forge_loop', ['rcu: INFO: rcu_preempt self-detected stall on CPU', 'Call Trace:', ' <IRQ>',
    ' dump_stack_lvl+0x1/0x2', ' rcu_dump_cpu_stacks+0x1/0x2', ' rcu_sched_clock_irq+0x1/0x2', ' update_process_times+0x1/0x2',
    ' __sysvec_apic_timer_interrupt+0x1/0x2', ' sysvec_apic_timer_interrupt+0x1/0x2', ' </IRQ>', ' <TASK>', ' asm_sysvec_apic_timer_interrupt+0x1/0x2',
    'RIP: 0010:forge_step+0xe/0x10 [forgecrash]', ' forge_loop+0x1/0x2 [forgecrash]', ' kthread+0xda/0x100', ' ret_from_fork+0x22/0x30']],
  ['KASAN', 'KASAN: use-after-free Read in forge_read', ['BUG: KASAN: use-after-free in forge_read+0x1/0x2 [forgecrash]', 'Read of size 8 at addr ffff88800 by task sh/1']],
  ['UBSAN', 'UBSAN: shift-out-of-bounds in forge_shift', ['UBSAN: shift-out-of-bounds in drivers/forge.c:3:9', 'Call Trace:', ' dump_stack_lvl+0x1/0x2', ' forge_shift+0x1/0x2']],
  ['list corruption', 'BUG: corrupted list in forge_list', ['list_del corruption. next->prev should be ffff, but was dead', 'RIP: 0010:__list_del_entry_valid+0x1/0x2', 'Call Trace:', ' forge_list+0x1/0x2']],
  ['lockdep', 'possible deadlock in forge_lock', ['WARNING: possible circular locking dependency detected', 'sh/97 is trying to acquire lock:',
    'ffff8880 (&forge_mutex){+.+.}-{3:3}, at: forge_lock+0x1/0x2 [forgecrash]', 'but task is already holding lock:',
    'ffff8881 (&other_mutex){+.+.}-{3:3}, at: forge_other+0x1/0x2 [forgecrash]', 'Call Trace:', ' lock_acquire+0x1/0x2', ' forge_lock+0x1/0x2']],
  ['lockdep, the lock taken by a primitive', 'possible deadlock in forge_other', ['WARNING: possible circular locking dependency detected', 'sh/97 is trying to acquire lock:',
    'ffff8880 (&forge_mutex){+.+.}-{3:3}, at: mutex_lock_nested+0x1/0x2', 'but task is already holding lock:',
    'ffff8881 (&other_mutex){+.+.}-{3:3}, at: forge_other+0x1/0x2 [forgecrash]']],
  ['WARNING of a generic checker names the checker', 'WARNING: refcount bug in forge_put', ['refcount_t: underflow; use-after-free.',
    'WARNING: CPU: 0 PID: 97 at lib/refcount.c:28 refcount_warn_saturate+0x1/0x2', 'RIP: 0010:refcount_warn_saturate+0x1/0x2', 'Call Trace:', ' forge_put+0x1/0x2 [forgecrash]']],
  ['6.x WARNING header form', 'WARNING in forge_check_state', ['WARNING: drivers/forge.c:37 at forge_check_state+0x1c/0x30 [forgecrash], CPU#0: insmod/97', ...x86Trace('forge_check_state')]],
  ['memory leak: the allocator frames are skipped', 'memory leak in forge_new_table', ['BUG: memory leak', 'unreferenced object 0xffff888 (size 64):',
    '  backtrace:', '    [<ffffffff81>] kmalloc_trace+0x1/0x2', '    [<ffffffff82>] forge_new_table+0x1/0x2 [forgecrash]']],
  ['a header with its report lost', 'BUG: unable to handle kernel', ['BUG: unable to handle kernel']],
  ['sysrq panic', 'kernel panic: sysrq triggered crash', ['Kernel panic - not syncing: sysrq triggered crash', 'Call Trace:', ' panic+0x1/0x2', ' sysrq_handle_crash+0x1/0x2']],
  ['VFS panic', 'kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)', ['Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)']],
];

describe('one report of each family', () => {
  for (const [name, title, lines] of cases) {
    it(name, () => {
      const ev = detectText(log(...lines));
      expect(ev.map((e) => e.title)).toEqual([title]);
    });
  }
});

describe('incident rules', () => {
  it('"Fatal exception" ends the oops before it and stays an event of the timeline', () => {
    const ev = detectText(log('BUG: kernel NULL pointer dereference, address: 0', ...x86Trace('forge_checksum'), 'Kernel panic - not syncing: Fatal exception'));
    expect(ev.map((e) => [e.title, e.corrupted, e.endsBoot])).toEqual([
      ['BUG: unable to handle kernel NULL pointer dereference in forge_checksum', false, true], ['kernel panic: Fatal exception', false, true]]);
    expect(ev[0]).toMatchObject({ endsBoot: true, panic: 'Fatal exception', function: 'forge_checksum', module: 'forgecrash', cpu: 1, pid: 97, comm: 'insmod', release: '6.1.0-56-amd64' });
    expect(ev[0]!.taintFlags).toEqual(['warning', 'out-of-tree module', 'unsigned module']);
  });
  it('panic_on_warn ends the WARNING; sysrq panic stays its own event', () => {
    const w = ['WARNING: CPU: 0 PID: 97 at x.c:1 forge_check_state+0x1/0x2 [forgecrash]', ...x86Trace('forge_check_state')];
    expect(detectText(log(...w, 'Kernel panic - not syncing: panic_on_warn set ...')).map((e) => [e.title, e.endsBoot, e.panic])).toEqual([
      ['WARNING in forge_check_state', true, 'panic_on_warn set ...'], ['kernel panic: panic_on_warn set', true, 'panic_on_warn set ...']]);
    expect(detectText(log(...w, 'Kernel panic - not syncing: sysrq triggered crash')).map((e) => e.title)).toEqual(['WARNING in forge_check_state', 'kernel panic: sysrq triggered crash']);
  });
  it('machine checks: a Hardware Error group, then the fatal panic folded into it', () => {
    const mce = ['mce: [Hardware Error]: Machine check events logged', 'mce: [Hardware Error]: CPU 0: Machine Check: 0 Bank 8: 9c0000400001009f'];
    const ev = detectText(log(...mce, 'ok', ...mce.slice(1), 'Kernel panic - not syncing: Fatal machine check'));
    expect(ev.map((e) => [e.kind, e.endsBoot])).toEqual([['machine-check', true]]);
    const alone = detectText(log('Kernel panic - not syncing: Fatal local machine check'));
    expect(alone.map((e) => [e.kind, e.title])).toEqual([['machine-check', 'kernel panic: Fatal local machine check']]);
  });
  it('a log with no crash has no events', () => {
    expect(detectText(log('RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable', 'Run /init as init process'))).toEqual([]);
  });
  it('normalizes numbers and addresses in titles', () => {
    expect(normalizeTitle('error -12 at 0xffff8880 ffffffff81000000')).toBe('error -NUM at ADDR ADDR');
    expect(normalizeTitle('at fs/jfs/jfs_dmap.c:2867 in ext4_iget+0x1/0x2 [ext4], CPU#1: syz-executor.3/123 on 10.0.0.1')).toBe('at fs/jfs/jfs_dmap.c:LINE in ext4_iget [ext4], CPU: syz-executor on IP');
    expect(normalizeTitle('mkdir ./tmpdir264563108 for nl802154')).toBe('mkdir ./tmpdirNUM for nl802154');
    expect(normalizeTitle('x'.repeat(300))).toHaveLength(120);
  });
  it('marks a report whose stack is missing as corrupted, with a best-effort title', () => {
    const [ev] = detectText(log('WARNING: CPU: 0 PID: 97 at kernel/forge.c:3 forge_check_state+0x1/0x2', 'Kernel panic - not syncing: panic_on_warn set ...'));
    expect(ev).toMatchObject({ title: 'WARNING in corrupted', corrupted: true, endsBoot: true });
  });
  it('ignores informational WARNING lines the kernel prints at boot', () => {
    expect(detectText(log('WARNING: the mand mount option is being deprecated and', 'WARNING: fbcon: Driver foo missed to adjust'))).toEqual([]);
  });
});

describe('the header prefilter', () => {
  it('never drops a header line the table matches (every corpus line, brute force against the table)', async () => {
    const { RULES, matchRules } = await import('../../src/detect/rules.js');
    const { headerText } = await import('../../src/detect/index.js');
    const { corpus } = await import('../corpus.js');
    const { readFileSync, readdirSync } = await import('node:fs');
    const dir = corpus('crash-reports');
    let headers = 0;
    for (const f of readdirSync(dir)) {
      for (const line of readFileSync(`${dir}/${f}`, 'utf8').split('\n')) {
        const text = headerText(line.replace(/^(?:<\d+>)?(?:\[ *\d+\.\d+\])?(?:\[ *[TC]\d+\])? ?/, ''));
        const brute = RULES.filter((r) => r.header.test(text));
        expect(matchRules(text).map((h) => h.rule)).toEqual(brute);
        if (brute.length) headers++;
      }
    }
    expect(headers).toBeGreaterThan(124);
  });
});
