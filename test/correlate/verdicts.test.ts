// The verdict paths on small hand-made boots, with a fake detector.
import { describe, expect, it } from 'vitest';
import { correlate } from '../../src/correlate/index.js';
import type { CrashEvent } from '../../src/detect/types.js';
import type { DumpNote, KernelMessage, MachineCheck, MemoryError, SourceRef } from '../../src/model/index.js';
import type { Boot } from '../../src/timeline/types.js';

const src = (backend: string, path = `${backend}.file`, offset?: number): SourceRef => ({ backend, path, ...(offset !== undefined ? { offset } : {}) });
const msg = (text: string, ts: number, backend = 'text'): KernelMessage => ({ kind: 'kmsg', text, tsNs: BigInt(ts) * 1_000_000_000n, source: src(backend, `${backend}.log`, ts) });
const boot = (b: Partial<Boot>): Boot => ({ key: 'k', messages: [], mces: [], memoryErrors: [], dumps: [], blobs: [], ...b });
const event = (e: Partial<CrashEvent> & Pick<CrashEvent, 'kind' | 'title'>): CrashEvent => ({ endsBoot: false, corrupted: false, frames: [], first: 0, last: 0, source: src('text', 'text.log'), ...e });
const fakeDetect = (events: CrashEvent[]) => () => events;
const one = (b: Boot, events: CrashEvent[] = []) => correlate({ boots: [b], problems: [] }, fakeDetect(events));

const CE: MachineCheck = { kind: 'mce', bank: 8, status: 0x9c0000400001009fn, mcgStatus: 0n, addr: 0x12345000n, misc: 0x8cn, source: src('rasdaemon', 'ras.db'), time: new Date(1_795_375_938_000) };
const UC: MachineCheck = { kind: 'mce', bank: 1, status: 0xb000000000000150n, mcgStatus: 0n, source: src('rasdaemon', 'ras.db'), time: new Date(1_795_375_940_000) };

describe('software', () => {
  const oops = event({ kind: 'oops', title: 'BUG: unable to handle kernel NULL pointer dereference in forge_checksum', function: 'forge_checksum', module: 'forgecrash', tsNs: 5n });
  const panic = event({ kind: 'panic', title: 'kernel panic: sysrq triggered crash', endsBoot: true, panic: 'sysrq triggered crash', tsNs: 9n });

  it('a panic ends the boot; the culprit comes from the report before it; a CE does not make it hardware', () => {
    const [inc] = one(boot({ messages: [msg('x', 1)], mces: [CE, UC] }), [oops, panic]);
    expect(inc).toMatchObject({ cause: 'software', kind: 'panic', title: panic.title, panic: 'sysrq triggered crash', function: 'forge_checksum', module: 'forgecrash', confidence: 0.95 });
    expect(inc!.events.map((e) => [e.title, e.tsNs])).toEqual([[oops.title, '5'], [panic.title, '9']]);
    expect(inc!.evidence.map((e) => e.text)).toContain('A uncorrected machine check was also logged (bank 1, status 0xb000000000000150): check the hardware too');
  });

  it('an oops without a panic line; a cut report lowers confidence', () => {
    const [inc] = one(boot({ messages: [msg('x', 1)] }), [{ ...oops, corrupted: true }]);
    expect(inc).toMatchObject({ cause: 'software', kind: 'oops', confidence: 0.65 });
    expect(inc!.evidence.at(-1)!.text).toBe('Confidence 0.65: a crash report without a panic line: the log may be cut, or the kernel went on; the report was cut or interleaved, so its title is a best effort');
  });

  it('a live dump of a locked-up system is hung', () => {
    const live: DumpNote = { kind: 'dump', live: true, source: src('vmcore', 'vmcore.kdump') };
    const lockup = event({ kind: 'lockup', title: 'BUG: soft lockup in forge_spinner', function: 'forge_spinner', module: 'forgecrash' });
    const [inc] = one(boot({ messages: [msg('x', 1)], dumps: [live] }), [lockup]);
    expect(inc).toMatchObject({ cause: 'software', kind: 'lockup', hung: true, title: lockup.title, function: 'forge_spinner' });
  });

  it('corrected machine-check events alone are no incident', () => {
    expect(one(boot({ messages: [msg('x', 1)], mces: [CE] }), [event({ kind: 'machine-check', title: 'machine check: hardware error' })])).toEqual([]);
  });
});

describe('hardware', () => {
  it("a slim dump's PANIC_MCE note alone", () => {
    const note: DumpNote = { kind: 'dump', noCoredumpReason: 'PANIC_MCE', source: src('vmcore', 'slim.elf', 0x100) };
    const [inc] = one(boot({ dumps: [note] }));
    expect(inc).toMatchObject({ cause: 'hardware', kind: 'machine-check', title: 'machine check: dump note PANIC_MCE', confidence: 0.8 });
    expect(inc!.evidence[0]!.source).toEqual(note.source);
  });

  it("the firmware's BERT record alone", () => {
    const bert: MemoryError = { kind: 'memerr', severity: 'fatal', physAddr: 0x7f001000n, label: 'DIMM_A1', source: src('bert', 'BERT', 0x48) };
    const [inc] = one(boot({ memoryErrors: [bert] }));
    expect(inc).toMatchObject({ cause: 'hardware', kind: 'machine-check', confidence: 0.7 });
    expect(inc!.evidence.map((e) => e.text)).toContain('Firmware BERT record: fatal memory error at 0x7f001000 (DIMM_A1)');
  });

  it('a fatal MCE printed at the end of a log without a panic line; one long before the end is not the cause', () => {
    const fatalLines = [msg('mce: [Hardware Error]: CPU 2: Machine Check Exception: 5 Bank 1: bf80000000000124', 100), msg('mce: [Hardware Error]: TSC 0 ADDR 1424bd400 MISC 86 ', 100)];
    const [inc] = one(boot({ messages: [msg('boot', 1), ...fatalLines, msg('last words', 110)] }));
    expect(inc).toMatchObject({ cause: 'hardware', confidence: 0.8, title: 'machine check: Data cache level 0 write error on CPU 2, bank 1' });
    const early = one(boot({ messages: [msg('boot', 1), ...fatalLines, msg('much later', 1000)] }));
    expect(early.map((i) => i.cause)).toEqual([]);
  });

  it('EDAC corrected memory errors before the fatal one are history, per DIMM and address', () => {
    const edac = (ts: number, n: number, label: string) => msg(`EDAC MC0: ${n} CE memory read error on ${label} (channel:0 slot:0 page:0x12345 offset:0x40 grain:32 syndrome:0x0)`, ts);
    const fatalLines = [
      msg('mce: [Hardware Error]: CPU 0: Machine Check Exception: 4 Bank 8: be0000000001009f', 100),
      msg('mce: [Hardware Error]: TSC 0 ADDR 12345000 MISC 8c ', 100),
      msg('Kernel panic - not syncing: Fatal machine check', 101),
    ];
    const [inc] = one(boot({ messages: [msg('boot', 1), edac(10, 1, 'DIMM_A1'), edac(20, 2, 'DIMM_A1'), edac(30, 1, 'DIMM_B1'), ...fatalLines] }));
    expect(inc).toMatchObject({ cause: 'hardware', panic: 'Fatal machine check' });
    const history = inc!.evidence.filter((e) => e.text.includes('corrected memory error'));
    expect(history.map((e) => [e.text, e.source.offset])).toEqual([
      ['3 corrected memory errors on DIMM_A1 at 0x12345040 (text) before the fatal one (first 10000000000, last 20000000000)', 10],
      ['1 corrected memory error on DIMM_B1 at 0x12345040 (text) before the fatal one (first 30000000000, last 30000000000)', 30],
    ]);
  });

  it('a software panic that plainly ended the boot wins over a fatal MCE record', () => {
    const fatal: MachineCheck = { kind: 'mce', bank: 8, status: 0xbe0000000001009fn, source: src('rasdaemon', 'ras.db') };
    const panic = event({ kind: 'panic', title: 'kernel panic: sysrq triggered crash', endsBoot: true, panic: 'sysrq triggered crash' });
    expect(one(boot({ messages: [msg('x', 1)], mces: [fatal] }), [panic])[0]).toMatchObject({ cause: 'software', kind: 'panic' });
  });
});

describe('unknown', () => {
  it('a log the kernel dumped for a panic that holds no report says what is missing', () => {
    const dumped = (text: string, ts: number): KernelMessage => ({ ...msg(text, ts, 'pstore'), source: { backend: 'pstore', path: 'dmesg-erst-1', id: 'dmesg-erst Panic#1', part: 1 } });
    const [inc] = one(boot({ messages: [dumped('Linux version 6.1.0', 0), dumped('systemd[1]: Started foo', 50)] }));
    expect(inc).toMatchObject({ cause: 'unknown', kind: 'reset', confidence: 0.3, events: [] });
    expect(inc!.missing!.join('\n')).toMatch(/BERT[\s\S]*ipmitool sel[\s\S]*watchdog/);
    expect(inc!.evidence[1]!.text).toBe('The log stops at "systemd[1]: Started foo" with no crash report, panic or machine check');
  });

  it('a clean reboot, a log a crash-time store merely kept, or a console log that just ends, is no incident', () => {
    const kept = (text: string, ts: number): KernelMessage => ({ ...msg(text, ts, 'pstore'), source: { backend: 'pstore', path: 'dmesg-erst-2', id: 'dmesg-erst Panic#2' } });
    expect(one(boot({ messages: [kept('x', 0), kept('reboot: Restarting system', 9)] }))).toEqual([]);
    expect(one(boot({ messages: [msg('x', 0, 'ramoops'), msg('y', 9, 'ramoops')] }))).toEqual([]);
    expect(one(boot({ messages: [msg('x', 0), msg('y', 9)] }))).toEqual([]);
  });
});
