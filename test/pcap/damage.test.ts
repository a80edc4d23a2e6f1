// Damage stays local (issue 16): a record header or block length that lies costs that
// record, not the capture after it. The next record is found by its shape (resync.ts), the
// damage is a problem at its file offset, and every other record is still read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCapture, extendedDatagrams } from '../builders/pcap.js';
import { messagesOf, readWith } from '../helpers/read.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-pcap-damage-'));
const WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const datagrams = WORDS.flatMap((text, i) => extendedDatagrams({ pri: 6, seq: i + 1, tsUs: 1_000_000 * (i + 1), text })).map((payload) => ({ src: '10.0.0.1', dst: '10.0.0.2', payload }));

/** Offsets of the classic records (after the 24-byte file header), or of the pcapng blocks. */
function recordsOf(b: Buffer, ng: boolean): number[] {
  const out: number[] = [];
  for (let pos = ng ? 0 : 24; pos < b.length; pos += ng ? b.readUInt32LE(pos + 4) : 16 + b.readUInt32LE(pos + 8)) out.push(pos);
  return out;
}

function damaged(name: string, ng: boolean, lie: (b: Buffer, at: number) => void, nth: number): { path: string; at: number } {
  const b = buildCapture({ format: ng ? 'pcapng' : 'pcap', datagrams });
  // pcapng: the section header and interface come first; record n is block n + 2.
  const at = recordsOf(b, ng)[ng ? nth + 2 : nth]!;
  lie(b, at);
  const path = join(dir, name);
  writeFileSync(path, b);
  return { path, at };
}

describe('pcap: a lying length costs one record', () => {
  it.each([
    ['past any packet', () => 0xffffffff],
    ['a length inside the packet', () => 20],
    ['a length that ends inside the next record', () => 150],
    // The walk goes on out of step by one byte: the header read there does not hold together.
    ['one byte short', (cur: number) => cur - 1],
  ])('classic incl_len %s: the records after it are read, the damage named at its offset', async (what, len) => {
    const { path, at } = damaged(`incl-${what.replace(/\W+/g, '-')}.pcap`, false, (b, a) => b.writeUInt32LE(len(b.readUInt32LE(a + 8)), a + 8), 3);
    const { records, problems } = await readWith('pcap', path);
    // At most the lying record is lost (a length that takes in the next one's header: both are still read, from inside it).
    const texts = messagesOf(records).map((m) => m.text);
    expect(texts.length).toBeGreaterThanOrEqual(WORDS.length - 1);
    expect(WORDS.filter((w) => texts.includes(w))).toEqual(texts);
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems.every((p) => !p.message.includes(path))).toBe(true);
    expect(problems).toContainEqual({ path, offset: expect.any(Number), message: expect.stringMatching(/read on at the next record, at 0x[0-9a-f]+$/) });
    expect(problems.every((p) => p.offset! >= at && p.offset! < at + 200)).toBe(true);
  });

  it.each([
    ['past the file', 0x7ffffff0],
    ['a multiple of 4 the trailer does not repeat', 64],
  ])('pcapng block length %s: the blocks after it are read, the damage named at its offset', async (_what, len) => {
    const { path, at } = damaged(`block-${len}.pcapng`, true, (b, a) => b.writeUInt32LE(len, a + 4), 5);
    const { records, problems } = await readWith('pcap', path);
    expect(messagesOf(records).map((m) => m.text)).toEqual(WORDS.filter((w) => w !== 'six'));
    expect(problems).toEqual([{ path, offset: at + 4, message: expect.stringMatching(/^block length \d+ .*; read on at the next record, at 0x/) }]);
  });

  it('a capture cut inside a record says so and keeps what came before', async () => {
    const b = buildCapture({ datagrams });
    const path = join(dir, 'cut.pcap');
    writeFileSync(path, b.subarray(0, recordsOf(b, false)[9]! + 30));
    const { records, problems } = await readWith('pcap', path);
    expect(messagesOf(records).map((m) => m.text)).toEqual(WORDS.slice(0, 9));
    expect(problems).toEqual([expect.objectContaining({ path, message: expect.stringMatching(/capture cut.*no record found after it/) })]);
  });
});
