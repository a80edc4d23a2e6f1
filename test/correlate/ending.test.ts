// Which event is the crash (src/correlate/ending.ts), on logs built from the kernel's own
// printk forms: the first of two oopses without a panic; a module's own panic() blamed on
// its caller, not on an earlier WARNING; a follow-on panic listed after its oops.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { consoleLog, x86Trace } from '../builders/console-log.js';

async function verdictOf(text: string) {
  const p = join(mkdtempSync(join(tmpdir(), 'crashlog-ending-')), 'console.log');
  writeFileSync(p, text);
  const a = await analyze([p]);
  expect(a.incidents).toHaveLength(1);
  return a.incidents[0]!;
}

const warning = (fn: string) => [
  `------------[ cut here ]------------`,
  `WARNING: CPU: 1 PID: 97 at /usr/src/forgedev-1.0/forgedev.c:21 ${fn}+0x1d/0x30 [forgedev]`,
  'Modules linked in: forgedev(OE)',
  ...x86Trace(fn).map((l) => l.replace('forgecrash', 'forgedev')),
  '---[ end trace 0000000000000000 ]---',
];
const gpf = (fn: string) => [
  'general protection fault, probably for non-canonical address 0xdead000000000114: 0000 [#1] PREEMPT SMP PTI',
  ...x86Trace(fn).map((l) => l.replace('forgecrash', 'forgedev')),
  '---[ end trace 0000000000000000 ]---',
];

describe('the crash event', () => {
  it('two oopses and no panic: the first is the crash, the second its consequence', async () => {
    const inc = await verdictOf(consoleLog(...gpf('forgedev_walk_list'), ...gpf('forgedev_submit')));
    expect(inc.title).toBe('general protection fault in forgedev_walk_list');
    expect(inc.events.map((e) => e.title)).toEqual(['general protection fault in forgedev_walk_list', 'general protection fault in forgedev_submit']);
    expect(inc.firstOops?.function).toBe('forgedev_walk_list');
  });

  it("a module's own panic() after a WARNING is blamed on the module's caller of panic()", async () => {
    const inc = await verdictOf(consoleLog(
      ...warning('forgedev_check_queue'),
      'Kernel panic - not syncing: forgedev: firmware reported fatal state 0xdeadbeef',
      'CPU: 1 PID: 98 Comm: insmod Tainted: G        W  OE      6.1.0-56-amd64 #1  Debian 6.1.192-2',
      'Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.2 04/01/2014',
      'Call Trace:', ' <TASK>', ' dump_stack_lvl+0x44/0x5c', ' panic+0x118/0x2ed',
      ' forgedev_fw_fatal+0x15/0x20 [forgedev]', ' forgedev_init+0x50/0x1000 [forgedev]', ' do_one_initcall+0x41/0x200', ' </TASK>',
      'Kernel Offset: 0x1c000000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)',
      '---[ end Kernel panic - not syncing: forgedev: firmware reported fatal state 0xdeadbeef ]---',
    ));
    expect(inc.kind).toBe('panic');
    expect(inc.function).toBe('forgedev_fw_fatal');
    expect(inc.module).toBe('forgedev');
  });

  it('a panic after an oops ("Fatal exception") is its own event, after the oops that is the crash, and not cut', async () => {
    const inc = await verdictOf(consoleLog(...gpf('forgedev_walk_list'), 'Kernel panic - not syncing: Fatal exception', '---[ end Kernel panic - not syncing: Fatal exception ]---'));
    expect(inc.kind).toBe('oops');
    expect(inc.title).toBe('general protection fault in forgedev_walk_list');
    expect(inc.events.map((e) => [e.title, e.corrupted ?? false])).toEqual([['general protection fault in forgedev_walk_list', false], ['kernel panic: Fatal exception', false]]);
    expect(inc.confidence).toBe(0.95);
  });
});
