import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendById } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';

function tempFile(name: string, content: string | Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'crashlog-text-')), name);
  writeFileSync(p, content);
  return p;
}

describe('text backend', () => {
  it('reads a real serial console capture, junk before the time stamp and all', async () => {
    const path = fixture('pstore', 'erst-mce-memory', 'serial-console.log');
    const msgs = messagesOf((await readWith('text', path)).records);
    const banner = msgs.find((m) => m.text.startsWith('Linux version 6.1.0-56-amd64'));
    expect(banner?.tsNs).toBe(0n);
    expect(msgs.find((m) => m.text === 'Kernel panic - not syncing: Fatal machine check')?.tsNs).toBe(14_502_446_000n);
    expect(await backendById('text')!.probe(await makeProbe(path))).toBeGreaterThan(0.5);
  });

  it('reads dmesg, pstore-style and caller-id lines', async () => {
    const path = tempFile('log', '[    1.500000] plain dmesg\n<4>[    2.000001] with level\n[   12.345678][    T1] with caller\nno prefix at all\n');
    const msgs = messagesOf((await readWith('text', path)).records);
    expect(msgs.map((m) => [m.text, m.tsNs, m.level, m.caller])).toEqual([
      ['plain dmesg', 1_500_000_000n, undefined, undefined],
      ['with level', 2_000_001_000n, 4, undefined],
      ['with caller', 12_345_678_000n, undefined, 'T1'],
      ['no prefix at all', undefined, undefined, undefined],
    ]);
    expect(msgs[2]!.source.offset).toBe(Buffer.byteLength('[    1.500000] plain dmesg\n<4>[    2.000001] with level\n'));
  });

  it('reads /dev/kmsg records with their dictionary lines', async () => {
    const path = tempFile('kmsg', '6,1234,5678901,-;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1\n4,1235,5678999,c;tab\\x09here\n');
    const msgs = messagesOf((await readWith('text', path)).records);
    expect(msgs[0]).toMatchObject({ text: 'usb 1-1: new device', level: 6, facility: 0, seq: 1234n, tsNs: 5_678_901_000n, device: { subsystem: 'usb', device: 'c189:1' } });
    expect(msgs[1]).toMatchObject({ text: 'tab\there', level: 4 });
  });

  it('reads syslog and ISO kern.log lines with their wall time', async () => {
    const path = tempFile('kern.log', 'Nov 22 10:00:01 host kernel: [   3.000000] bsd line\n2026-11-22T10:00:02.500000+00:00 host kernel: iso line\n');
    const msgs = messagesOf((await readWith('text', path, { year: 2026 })).records);
    expect(msgs[0]).toMatchObject({ text: 'bsd line', tsNs: 3_000_000_000n });
    expect(msgs[0]!.wallTime!.getMonth()).toBe(10);
    expect(msgs[1]!.text).toBe('iso line');
    expect(msgs[1]!.wallTime!.toISOString()).toBe('2026-11-22T10:00:02.500Z');
  });

  it('cuts an over-long line and says where', async () => {
    const path = tempFile('long', `[    1.000000] ${'x'.repeat(100_000)}\n[    2.000000] after\n`);
    const { records, problems } = await readWith('text', path);
    expect(messagesOf(records).map((m) => m.text.slice(0, 5))).toEqual(['xxxxx', 'after']);
    expect(problems).toMatchObject([{ path, offset: 0 }]);
  });

  it('does not claim binary data or JSON', async () => {
    const text = backendById('text')!;
    expect(text.probe(await makeProbe(tempFile('bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)))))).toBe(0);
    expect(text.probe(await makeProbe(tempFile('j.json', '{"a": "[    1.000000] x"}\n')))).toBe(0);
  });
});

describe('journal backend', () => {
  it('reads journalctl -o json, MESSAGE as string or bytes', async () => {
    const entries = [
      { __CURSOR: 's=1', __REALTIME_TIMESTAMP: '1795373701000000', _SOURCE_MONOTONIC_TIMESTAMP: '14502446', _BOOT_ID: 'b0', PRIORITY: '0', SYSLOG_FACILITY: '0', MESSAGE: 'Kernel panic - not syncing: Fatal machine check' },
      { __CURSOR: 's=2', __MONOTONIC_TIMESTAMP: '15000000', _BOOT_ID: 'b0', PRIORITY: '4', MESSAGE: [104, 105, 0xff] },
    ];
    const path = tempFile('j.json', entries.map((e) => JSON.stringify(e)).join('\n') + '\nnot json\n');
    const probe = await makeProbe(path);
    expect(backendById('journal')!.probe(probe)).toBeGreaterThan(backendById('text')!.probe(probe));
    const { records, problems } = await readWith('journal', path);
    const msgs = messagesOf(records);
    expect(msgs[0]).toMatchObject({ text: 'Kernel panic - not syncing: Fatal machine check', tsNs: 14_502_446_000n, level: 0, boot: 'b0' });
    expect(msgs[0]!.wallTime!.getTime()).toBe(1_795_373_701_000);
    expect(msgs[1]).toMatchObject({ text: 'hi\ufffd', tsNs: 15_000_000_000n, level: 4 });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.offset).toBe(Buffer.byteLength(entries.map((e) => JSON.stringify(e)).join('\n') + '\n'));
  });
});
