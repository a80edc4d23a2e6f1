import { describe, expect, it } from 'vitest';
import { detectText } from '../../src/detect/index.js';
import { normalizeTitle } from '../../src/detect/rules.js';

const log = (...lines: string[]) => lines.map((l, i) => `[    ${i + 10}.000000] ${l}`).join('\n') + '\n';
const x86Trace = (fn: string) => [
  'CPU: 1 PID: 97 Comm: insmod Tainted: G        W  OE      6.1.0-56-amd64 #1  Debian 6.1.192-2',
  'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2 04/01/2014',
  `RIP: 0010:${fn}+0xf/0x30 [forgecrash]`,
  'Call Trace:', ' <TASK>', ' forge_write+0x20/0x40 [forgecrash]', ' ? vfs_write+0x1/0x2', ' ksys_write+0x60/0xe0', ' </TASK>',
];
const arm64Trace = (fn: string) => [
  'CPU: 0 PID: 1 Comm: sh Not tainted 6.1.0 #1', 'Hardware name: linux,dummy-virt (DT)',
  `pc : ${fn}+0x14/0x20 [forgecrash]`, 'lr : forge_write+0x30/0x40 [forgecrash]', 'Call trace:',
  ` ${fn}+0x14/0x20 [forgecrash]`, ' forge_write+0x30/0x40 [forgecrash]', ' vfs_write+0xc8/0x2f0',
];

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
  ['WARNING without at', 'WARNING in forge_check_state', ['WARNING: CPU: 0 PID: 97', ...x86Trace('forge_check_state')]],
  ['soft lockup', 'BUG: soft lockup in forge_spinner', ['watchdog: BUG: soft lockup - CPU#1 stuck for 45s! [forge_spinner:96]', ...x86Trace('forge_spinner')]],
  ['hard lockup', 'BUG: hard lockup in forge_spinner', ['BUG: hard lockup - CPU#1', ...x86Trace('forge_spinner')]],
  ['hung task', 'INFO: task hung in forge_wait', ['INFO: task sh:97 blocked for more than 120 seconds.', 'task:sh state:D', 'Call Trace:', ' __schedule+0x1/0x2', ' schedule+0x1/0x2', ' forge_wait+0x1/0x2 [forgecrash]']],
  ['rcu stall', 'INFO: rcu detected stall in forge_spinner', ['rcu: INFO: rcu_preempt self-detected stall on CPU', ...x86Trace('forge_spinner')]],
  ['KASAN', 'KASAN: use-after-free Read in forge_read', ['BUG: KASAN: use-after-free in forge_read+0x1/0x2 [forgecrash]', 'Read of size 8 at addr ffff88800 by task sh/1']],
  ['UBSAN', 'UBSAN: shift-out-of-bounds in forge_shift', ['UBSAN: shift-out-of-bounds in drivers/forge.c:3:9', 'Call Trace:', ' dump_stack_lvl+0x1/0x2', ' forge_shift+0x1/0x2']],
  ['list corruption', 'BUG: corrupted list in forge_list', ['list_del corruption. next->prev should be ffff, but was dead', 'RIP: 0010:__list_del_entry_valid+0x1/0x2', 'Call Trace:', ' forge_list+0x1/0x2']],
  ['lockdep', 'possible deadlock in forge_lock', ['WARNING: possible circular locking dependency detected', 'Call Trace:', ' lock_acquire+0x1/0x2', ' _raw_spin_lock+0x1/0x2', ' forge_lock+0x1/0x2']],
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
  it('folds "Fatal exception" into the oops before it', () => {
    const ev = detectText(log('BUG: kernel NULL pointer dereference, address: 0', ...x86Trace('forge_checksum'), 'Kernel panic - not syncing: Fatal exception'));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ endsBoot: true, panic: 'Fatal exception', function: 'forge_checksum', module: 'forgecrash', cpu: 1, pid: 97, comm: 'insmod', release: '6.1.0-56-amd64' });
    expect(ev[0]!.taintFlags).toEqual(['warning', 'out-of-tree module', 'unsigned module']);
  });
  it('folds panic_on_warn into the WARNING; sysrq panic stays its own event', () => {
    const w = ['WARNING: CPU: 0 PID: 97 at x.c:1 forge_check_state+0x1/0x2 [forgecrash]', ...x86Trace('forge_check_state')];
    expect(detectText(log(...w, 'Kernel panic - not syncing: panic_on_warn set ...')).map((e) => [e.title, e.endsBoot])).toEqual([['WARNING in forge_check_state', true]]);
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
  });
});

describe('the header prefilter', () => {
  it('lets every rule header through (each rule has a matching case above or in the corpus)', async () => {
    const { RULES } = await import('../../src/detect/rules.js');
    const samples = RULES.map((r) => r.header.source.replace(/^\^(?:\(\?:[^)]*\)\?)?\(?(?:\?:)?/, '').slice(0, 2));
    const src = await import('node:fs').then((fs) => fs.readFileSync(new URL('../../src/detect/index.ts', import.meta.url), 'utf8'));
    for (const p of samples) expect(src).toContain(`'${p}'`);
  });
});
