// Boot keys tell crashed boots apart: two machines of one image that crash the same way,
// or one machine that crashes twice, print the same first lines; their keys must differ,
// while every source of one boot (a dump and its console) still meets in one boot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { buildTimeline } from '../../src/timeline/build.js';
import { corpus } from '../corpus.js';

const log = (name: string, text: string) => ({ path: name, records: bytesToMessages(Buffer.from(text), { backend: 'text', path: name }) });

/** The real console of a crashed boot, every kernel time past the first second moved by `shiftUs`. */
function shifted(shiftUs: number): string {
  const text = readFileSync(corpus('pstore-blk-gpf-panic', 'serial-console.log'), 'latin1');
  return text.replace(/\[ *(\d+)\.(\d{6})\]/g, (m, s: string, us: string) => {
    const t = Number(s) * 1e6 + Number(us);
    if (t < 1e6) return m;
    const n = t + shiftUs;
    return `[${String(Math.floor(n / 1e6)).padStart(5)}.${String(n % 1e6).padStart(6, '0')}]`;
  });
}

describe('boot keys', () => {
  it('differ for two crashed boots whose first lines are the same', () => {
    const a = buildTimeline([log('a.log', shifted(0))]).boots;
    const b = buildTimeline([log('b.log', shifted(137))]).boots;
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]!.messages.slice(0, 8).map((m) => m.text)).toEqual(b[0]!.messages.slice(0, 8).map((m) => m.text));
    expect(a[0]!.key).not.toBe(b[0]!.key);
  });

  it('two such boots given together stay two boots with two keys', () => {
    const t = buildTimeline([log('a.log', shifted(0)), log('b.log', shifted(250_000))]);
    expect(t.boots).toHaveLength(2);
    expect(new Set(t.boots.map((b) => b.key)).size).toBe(2);
  });

  it('are the same for the same input read twice', () => {
    expect(buildTimeline([log('a.log', shifted(0))]).boots[0]!.key).toBe(buildTimeline([log('a.log', shifted(0))]).boots[0]!.key);
  });

  it('a nanosecond dump line and its microsecond console copy are one line', () => {
    const console = log('c.log', '[    5.908729] general protection fault\n[    5.909394] RIP: 0010:f+0x16/0x30\n[    5.910000] x\n');
    const dump = { path: 'vmcore', records: console.records.map((m, i) => ({ ...m, tsNs: m.tsNs! + BigInt(100 + i), source: { backend: 'vmcore', path: 'vmcore' } })) };
    const t = buildTimeline([dump, console]);
    expect(t.boots).toHaveLength(1);
    expect(t.boots[0]!.messages).toHaveLength(3);
    expect(t.boots[0]!.messages.every((m) => m.alsoIn?.length === 1)).toBe(true);
  });
});
