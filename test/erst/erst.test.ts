import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { erst } from '../../backends/erst/index.js';
import { dmesgPart, scanCperRecords } from '../../backends/erst/read.js';
import { makeProbe } from '../../src/input/probe.js';
import { parseStructMce } from '../../src/mce/struct.js';
import type { KernelMessage, MachineCheck, Problem } from '../../src/model/index.js';
import { fixture } from '../corpus.js';
import { readWith } from '../helpers/read.js';

const ITEM = fixture('erst', 'erst-mce-memory');
const STORE = join(ITEM, 'erst-backing.bin');
const PSTORE = join(ITEM, 'pstore');

const collect = (path: string) => readWith('erst', path);

describe('erst on erst-mce-memory (QEMU acpi-erst, kernel 6.1)', () => {
  it('finds the three records pstore showed, dmesg sections byte for byte', () => {
    const ctx = { options: {}, problem: (p: Problem) => expect.fail(p.message) };
    const recs = scanCperRecords(readFileSync(STORE), STORE, ctx);
    const shown = readdirSync(PSTORE).map((f) => f.replace(/^\w+-erst-/, '')).sort();
    expect(recs.map((r) => r.recordId.toString()).sort()).toEqual(shown);
    for (const r of recs) {
      const part = dmesgPart(r, r.sections[0]!, STORE, ctx);
      if (!part) continue;
      const file = readFileSync(join(PSTORE, `dmesg-erst-${r.recordId}`));
      expect(Buffer.compare(part.bytes, file), `record ${r.recordId}`).toBe(0);
    }
  });

  it('yields the MCE equal to pstore/mce-erst-* and the log oldest first', async () => {
    const { records, problems } = await collect(STORE);
    expect(problems).toEqual([]);
    const mces = records.filter((r): r is MachineCheck => r.kind === 'mce');
    expect(mces.length).toBe(1);
    const mceFile = readdirSync(PSTORE).find((f) => f.startsWith('mce-'))!;
    const want = parseStructMce(readFileSync(join(PSTORE, mceFile)), mces[0]!.source);
    expect({ ...mces[0], time: undefined }).toEqual({ ...want, time: undefined });
    expect(mces[0]).toMatchObject({ bank: 8, status: 0xbe0000000001009fn, addr: 0x12345000n, mcgStatus: 0x4n, misc: 0x8cn, cpu: 0 });

    const msgs = records.filter((r): r is KernelMessage => r.kind === 'kmsg');
    const files = readdirSync(PSTORE).filter((f) => f.startsWith('dmesg-'));
    const withPart = files.map((f) => {
      const text = readFileSync(join(PSTORE, f), 'latin1');
      return { part: Number(/Part(\d+)/.exec(text)![1]), lines: text.split('\n').slice(1).filter(Boolean) };
    });
    withPart.sort((a, b) => b.part - a.part);
    const expected = withPart.flatMap((p) => p.lines).map((l) => l.replace(/^<\d+>\[[ \d.]+\] ?/, ''));
    expect(msgs.map((m) => m.text)).toEqual(expected);
    expect(msgs.some((m) => m.text.includes('Kernel panic - not syncing: Fatal machine check'))).toBe(true);
    expect(msgs[0]!.source).toMatchObject({ backend: 'erst', part: 2 });
  });

  it('claims the store, not a text log or a pstore directory', async () => {
    expect(erst.probe(await makeProbe(STORE))).toBeGreaterThan(0.5);
    expect(erst.probe(await makeProbe(join(ITEM, 'serial-console.log')))).toBe(0);
    expect(erst.probe(await makeProbe(PSTORE))).toBe(0);
  });
});
