import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';
import { buildMtdoops } from '../builders/mtdoops.js';
import { backendById } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { parseLine } from '../../src/kmsg/line.js';

const ITEM = fixture('mtdoops', 'mtdoops-oops-panic');
const IMAGE = join(ITEM, 'mtdoops-partition.bin');

function write(bytes: Uint8Array, name = 'mtd.img'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mtdoops-')), name);
  writeFileSync(path, bytes);
  return path;
}

describe('mtdoops real partition (mtdoops-oops-panic)', () => {
  it('holds the oops truth.json names, every line as the serial console printed it', async () => {
    const manifest = JSON.parse(readFileSync(join(ITEM, 'manifest.json'), 'utf8')) as { oops_lines: string[] };
    const { records, problems } = await readWith('mtdoops', IMAGE);
    expect(problems).toEqual([]);
    const msgs = messagesOf(records);
    const texts = msgs.map((m) => m.text);
    // a 4 KiB record holds the log's tail: every oops line printed after its first line
    const inRecord = manifest.oops_lines.map((l) => parseLine(l)).filter((p) => p.tsNs! >= msgs[0]!.tsNs!);
    expect(inRecord.map((p) => p.text)).toEqual(['BUG: kernel NULL pointer dereference, address: 0000000000000000', 'Oops: 0000 [#1] PREEMPT SMP PTI']);
    for (const p of inRecord) expect(texts).toContain(p.text);
    const serial = new Set(readFileSync(join(ITEM, 'serial-console.log'), 'latin1').split(/\r?\n/).map((l) => parseLine(l)).map((p) => `${p.tsNs} ${p.text}`));
    const missing = msgs.filter((m) => !serial.has(`${m.tsNs} ${m.text}`));
    // the dump carries lines printed below the console loglevel; all the rest match
    expect(missing.length).toBeLessThan(msgs.length / 5);
    expect(msgs[0]!.source).toMatchObject({ backend: 'mtdoops', id: 'mtdoops-1', offset: 16 });
  });

  it('reads the same from the image, from a directory holding it, and with record_size given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mtdoops-dir-'));
    cpSync(IMAGE, join(dir, 'part.bin'));
    writeFileSync(join(dir, 'serial.log'), '<6>[ 0.0] hello\n');
    const texts = async (p: string, o = {}) => messagesOf((await readWith('mtdoops', p, o)).records).map((m) => m.text);
    const file = await texts(IMAGE);
    expect(await texts(dir)).toEqual(file);
    expect(await texts(IMAGE, { record_size: 4096 })).toEqual(file);
  });
});

describe('mtdoops built images', () => {
  const line = (n: number) => `<4>[    ${n}.000000] record ${n}`;

  it('orders a wrapped ring by seq, across seq wrap-around', async () => {
    const img = buildMtdoops({
      size: 8 * 4096, recordSize: 4096,
      records: [
        { slot: 5, seq: 0xfffffffd, text: line(1) },
        { slot: 6, seq: 0xfffffffe, text: line(2) },
        { slot: 0, seq: 1, text: line(3) },
        { slot: 1, seq: 2, text: line(4), version: 1 },
      ],
    });
    const { records, problems } = await readWith('mtdoops', write(img));
    expect(problems).toEqual([]);
    expect(messagesOf(records).map((m) => m.text)).toEqual(['record 1', 'record 2', 'record 3', 'record 4']);
  });

  it('finds the record size when not given, and uses it when given', async () => {
    const img = buildMtdoops({ size: 16 * 8192, recordSize: 8192, records: [{ slot: 0, seq: 1, text: line(1) }, { slot: 3, seq: 2, text: 'x'.repeat(6000) + '\n' + line(2) }] });
    const path = write(img);
    for (const options of [{}, { record_size: '8192' }]) {
      const { records } = await readWith('mtdoops', path, options);
      expect(messagesOf(records).map((m) => m.text).at(-1)).toBe('record 2');
    }
  });

  it('skips bad headers, reports empty records, reads the rest', async () => {
    const img = buildMtdoops({ size: 4 * 4096, recordSize: 4096, records: [{ slot: 0, seq: 1, text: line(1) }, { slot: 1, seq: 2, text: line(2) }, { slot: 2, seq: 3, text: '' }] });
    new DataView(img.buffer).setUint32(4096 + 4, 0x5d005f00, true);
    const { records, problems } = await readWith('mtdoops', write(img));
    expect(messagesOf(records).map((m) => m.text)).toEqual(['record 1']);
    expect(problems).toEqual([expect.objectContaining({ offset: 2 * 4096 })]);
  });

  it('claims mtdoops images only', async () => {
    const b = backendById('mtdoops')!;
    expect(b.probe(await makeProbe(IMAGE))).toBeGreaterThan(0.5);
    expect(b.probe(await makeProbe(fixture('ramoops', 'ramoops-oops-panic', 'ramoops-region.bin')))).toBe(0);
    expect(b.probe(await makeProbe(write(Buffer.from('<6>[    0.000000] Linux version\n'))))).toBe(0);
    expect(backendById('ramoops')!.probe(await makeProbe(IMAGE))).toBe(0);
  });
});
