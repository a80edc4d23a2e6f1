// A plain CPER record stream (records one after another, as an NVRAM dump or a tool that
// saved ERST records holds them, with no QEMU header): the real records of erst-mce-memory
// taken out of QEMU's store read exactly as the store does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { erst } from '../../backends/erst/index.js';
import { scanCperRecords } from '../../backends/erst/read.js';
import { makeProbe } from '../../src/input/probe.js';
import type { CrashRecord } from '../../src/model/index.js';
import { fixture } from '../corpus.js';
import { readWith } from '../helpers/read.js';

const STORE = fixture('erst', 'erst-mce-memory', 'erst-backing.bin');

const collect = (path: string) => readWith('erst', path);
/** What a reader gives, without where it came from. */
const content = (rs: CrashRecord[]) => rs.map((r) => ({ ...r, source: { id: r.source.id, part: r.source.part } }));

/** The store's records one after another, `gap` between them, the first `skip` left out. */
function stream(gap: Uint8Array, skip = 0): { path: string; starts: number[] } {
  const bytes = readFileSync(STORE);
  const recs = scanCperRecords(bytes, STORE, { options: {}, problem: (p) => expect.fail(p.message) }).slice(skip);
  const pieces: Uint8Array[] = [];
  const starts: number[] = [];
  let at = 0;
  for (const r of recs) {
    starts.push(at);
    pieces.push(bytes.subarray(r.offset, r.offset + r.length), gap);
    at += r.length + gap.length;
  }
  const path = join(mkdtempSync(join(tmpdir(), 'cper-stream-')), 'records.cper');
  writeFileSync(path, Buffer.concat(pieces));
  return { path, starts };
}

describe('erst on a plain CPER record stream', () => {
  it.each([['back to back', 0x00, 0], ['with erased gaps', 0xff, 300]])('reads the records of the store %s', async (_how, fill, gap) => {
    const { path } = stream(Buffer.alloc(gap, fill));
    expect(erst.probe(await makeProbe(path))).toBeGreaterThan(0.5);
    const [fromStore, fromStream] = [await collect(STORE), await collect(path)];
    expect(fromStream.problems).toEqual([]);
    expect(fromStream.records.length).toBeGreaterThan(10);
    expect(content(fromStream.records)).toEqual(content(fromStore.records));
  });

  it('a record whose length runs over the next record: the lie is a problem at that field, and every record is read', async () => {
    const { path, starts } = stream(Buffer.alloc(64, 0xff));
    const whole = await collect(path);
    const bytes = readFileSync(path);
    // cper_record_header.record_length (u32 at +20) past the end of the file
    bytes.writeUInt32LE(0x7fffffff, starts[0]! + 20);
    writeFileSync(path, bytes);
    const { records, problems } = await collect(path);
    expect(problems).toEqual([expect.objectContaining({ offset: starts[0]! + 20, message: expect.stringMatching(`runs past the record at 0x${starts[1]!.toString(16)}`) })]);
    expect(whole.records.length).toBeGreaterThan(10);
    expect(content(records)).toEqual(content(whole.records));
  });
});
