// The corpus capture: a real 6.1 kernel's extended netconsole traffic (boot log replayed
// when netconsole loaded, two ncfrag= records, UTF-8 escaped as \xc3\xa9, a GPF then a sysrq
// panic). The pcap backend must give exactly the reassembled records the corpus lists, and
// the verdict truth.json names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Incident, KernelMessage } from '../../src/model/index.js';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';

const DIR = fixture('pcap', 'netconsole-extended');
const PCAP = `${DIR}/netconsole.pcap`;

/** A message in the corpus's "pri,seq,usec,flag;text" + " KEY=value" lines form. */
function asExpected(m: KernelMessage): string {
  let s = `${(m.facility! << 3) | m.level!},${m.seq},${m.tsNs! / 1000n},-;${m.text}`;
  if (m.device?.subsystem) s += `\n SUBSYSTEM=${m.device.subsystem}`;
  if (m.device?.device) s += `\n DEVICE=${m.device.device}`;
  return s;
}

describe('pcap backend: netconsole-extended capture', () => {
  it('yields exactly the expected records, in order, without problems', async () => {
    const { records, problems } = await readWith('pcap', PCAP);
    expect(problems).toEqual([]);
    const msgs = messagesOf(records);
    const expected = readFileSync(`${DIR}/expected-netconsole-records.txt`, 'utf8').replace(/\n$/, '').split(/\n(?=\d)/);
    expect(msgs.length).toBe(432);
    expect(msgs.map(asExpected)).toEqual(expected);
    expect(new Set(msgs.map((m) => m.source.id))).toEqual(new Set(['10.0.2.15']));
  });

  it('joins ncfrag fragments and decodes \\xNN escapes to UTF-8', async () => {
    const msgs = messagesOf((await readWith('pcap', PCAP)).records);
    const long = msgs.find((m) => m.seq === 388n)!;
    expect(long.text).toBe('x'.repeat(988));
    expect(long.level).toBe(4);
    expect(long.facility).toBe(1);
    const utf8 = msgs.find((m) => m.seq === 389n)!;
    expect(utf8.text).toBe(`forge-utf8: ${'é'.repeat(150)}`);
    // SourceRef.offset: the record of the first fragment's packet in the capture.
    const buf = readFileSync(PCAP);
    const inclLen = buf.readUInt32LE(utf8.source.offset! + 8);
    const packet = buf.subarray(utf8.source.offset! + 16, utf8.source.offset! + 16 + inclLen);
    expect(packet.includes(Buffer.from('12,389,13907976,-,ncfrag=0/1213;forge-utf8: '))).toBe(true);
    expect(msgs.every((m) => m.problem === undefined)).toBe(true);
  });

  it('is probed as pcap and gives the verdict truth.json names', async () => {
    const a = await analyze([PCAP]);
    expect(a.inputs.map((i) => [i.backend, i.problems])).toEqual([['pcap', []]]);
    const truth = JSON.parse(readFileSync(`${DIR}/truth.json`, 'utf8')) as { cause: string; kind: string; title: string; panic: string; events: string[]; module: string; first_oops_function: string };
    const verdict = (i: Incident) => ({ cause: i.cause, kind: i.kind, title: i.title, panic: i.panic, events: i.events.map((e) => e.title), module: i.module ?? i.firstOops?.module, firstOops: i.firstOops?.function });
    expect(a.incidents.map(verdict)).toEqual([
      { cause: truth.cause, kind: truth.kind, title: truth.title, panic: truth.panic, events: truth.events, module: truth.module, firstOops: truth.first_oops_function },
    ]);
  });
});
