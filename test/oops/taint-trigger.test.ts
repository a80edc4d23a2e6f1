// Taint letters from kernel/panic.c taint_flags, and triggers from the kernel's panic strings.
import { describe, expect, it } from 'vitest';
import { TAINT_FLAGS, decodeTaint } from '../../src/oops/taint.js';
import { TRIGGER_RULES, findTrigger, type TriggerEvent } from '../../src/oops/trigger.js';

describe('taint', () => {
  it('every flag of taint_flags[], in bit order, one letter each', () => {
    expect(TAINT_FLAGS.map((f) => f.letter).join('')).toBe('PFSRMBUDAWCIOELKXTNJ');
    expect(TAINT_FLAGS.map((f) => f.bit)).toEqual(TAINT_FLAGS.map((_, i) => i));
  });

  it('print_tainted() columns: every letter set at once', () => {
    // Each column holds c_true when set: all 20 set is the table's letters in order.
    const all = decodeTaint(`Tainted: ${TAINT_FLAGS.map((f) => f.letter).join('')}`);
    expect(all.meaning).toHaveLength(TAINT_FLAGS.length);
    expect(decodeTaint('Tainted: G        W  OE     ')).toEqual({ flags: 'G W OE', meaning: [expect.stringMatching(/^W: /), expect.stringMatching(/^O: out-of-tree|^O: an externally/), expect.stringMatching(/^E: /)] });
    expect(decodeTaint('Not tainted')).toEqual({ flags: '', meaning: [] });
    expect(decodeTaint('Tainted: P           O').meaning[0]).toMatch(/proprietary/);
  });
});

const ev = (kind: string, title: string, panic?: string, fn?: string): TriggerEvent => ({ kind, title, ...(panic !== undefined ? { panic } : {}), ...(fn ? { function: fn } : {}) });

describe('triggers', () => {
  it.each([
    // [events, trigger, lead index]
    [[ev('warning', 'WARNING in a'), ev('oops', 'BUG in b'), ev('panic', 'kernel panic: sysrq triggered crash', 'sysrq triggered crash')], 'sysrq', 1],
    [[ev('warning', 'WARNING in a'), ev('panic', 'kernel panic: sysrq triggered crash', 'sysrq triggered crash')], 'sysrq', 0],
    [[ev('panic', 'kernel panic: sysrq triggered crash', 'sysrq triggered crash')], 'sysrq', undefined],
    // panic_on_warn: the detector folds the panic into the WARNING (6.1 prints "kernel: " first).
    [[ev('warning', 'WARNING in a', 'kernel: panic_on_warn set ...')], 'panic_on_warn', 0],
    [[ev('warning', 'WARNING in a', 'panic_on_warn set ...')], 'panic_on_warn', 0],
    [[ev('warning', 'WARNING in a'), ev('oops', 'divide error in b', 'Fatal exception')], 'panic_on_oops', 1],
    [[ev('oops', 'BUG in b', 'Fatal exception in interrupt')], 'oops_in_interrupt', 0],
    [[ev('oops', 'BUG in b', 'Oops: Fatal exception')], 'panic_on_oops', 0],
    [[ev('lockup', 'BUG: soft lockup in spin'), ev('panic', 'kernel panic: softlockup: hung tasks', 'softlockup: hung tasks')], 'softlockup_panic', 0],
    [[ev('lockup', 'BUG: soft lockup in spin', 'softlockup: hung tasks')], 'softlockup_panic', 0],
    [[ev('lockup', 'watchdog: Watchdog detected hard LOCKUP on cpu 1'), ev('panic', 'kernel panic: Hard LOCKUP', 'Hard LOCKUP')], 'hardlockup_panic', 0],
    [[ev('hang', 'INFO: task hung in x'), ev('panic', 'kernel panic: hung_task: blocked tasks', 'hung_task: blocked tasks')], 'hung_task_panic', 0],
    [[ev('rcu-stall', 'INFO: rcu detected stall in x', 'RCU Stall')], 'panic_on_rcu_stall', 0],
    [[ev('oom', 'out of memory', 'Out of memory: system-wide panic_on_oom is enabled')], 'panic_on_oom', 0],
    [[ev('panic', 'kernel panic: NMI: Not continuing', 'NMI: Not continuing')], 'unknown_nmi_panic', undefined],
  ] as [TriggerEvent[], string, number | undefined][])('%#: %s', (events, trigger, lead) => {
    const t = findTrigger(events);
    expect(t?.trigger).toBe(trigger);
    expect(t?.lead).toBe(lead);
  });

  it('no trigger for a panic nobody asked for', () => {
    expect(findTrigger([ev('panic', 'kernel panic: VFS: Unable to mount root fs', 'VFS: Unable to mount root fs on unknown-block(0,0)')])).toBeUndefined();
    expect(findTrigger([ev('oops', 'BUG in b')])).toBeUndefined();
  });

  it('before 4.17 SysRq crashed through a NULL write: its own oops is not the lead', () => {
    const t = findTrigger([ev('warning', 'WARNING in a'), ev('oops', 'BUG: unable to handle kernel NULL pointer dereference in sysrq_handle_crash', 'Fatal exception', 'sysrq_handle_crash')], { sysrqCrash: true });
    expect(t).toEqual({ trigger: 'sysrq', at: 1, lead: 0 });
  });

  it('every rule names its kernel source', () => {
    for (const r of TRIGGER_RULES) expect(r.source).toMatch(/\.(c|h)\b/);
  });
});
