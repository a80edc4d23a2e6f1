// pstore/zone images built as fs/pstore/zone.c writes them (test/builders/pstore-blk.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendById } from '../../backends/index.js';
import { layoutZones, pszBuffer, pszKmsgHeader } from '../../backends/pstore-blk/layout.js';
import { readImage, type PszRecord } from '../../backends/pstore-blk/read.js';
import type { ReadOptions } from '../../src/backend.js';
import { makeProbe } from '../../src/input/probe.js';
import type { Problem } from '../../src/model/index.js';
import { buildPstoreBlk, pszParams, type PszSpec } from '../builders/pstore-blk.js';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';

function write(bytes: Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'pstore-blk-')), 'blk.img');
  writeFileSync(path, bytes);
  return path;
}
async function recordsOf(path: string, options: ReadOptions = {}): Promise<{ recs: PszRecord[]; problems: Problem[] }> {
  const problems: Problem[] = [];
  const recs: PszRecord[] = [];
  for await (const r of readImage(path, { options, problem: (p) => problems.push(p) })) recs.push(r);
  return { recs, problems };
}

/** 1 MiB: pmsg 8K, console 8K, ftrace 8K (2 cpus), kmsg zones of 16K to the end. */
const PARAMS = { totalSize: 1 << 20, kmsgSize: 16 << 10, pmsgSize: 8 << 10, consoleSize: 8 << 10, ftraceSize: 8 << 10, cpus: 2 };
const OPTIONS: ReadOptions[] = [
  { kmsg_size: 16, pmsg_size: 8, console_size: 8, ftrace_size: 8, cpus: 2 },
  { cmdline: 'root=/dev/vda1 pstore_blk.blkdev=/dev/vdb pstore_blk.kmsg_size=16 pstore_blk.pmsg_size=8k pstore_blk.console_size=8 pstore_blk.ftrace_size=8 pstore_blk.cpus=2' },
  {},
];
const consoleLog = (n: number) => Array.from({ length: n }, (_, i) => `[    ${i}.000000] console line ${i}\n`).join('');
const oops = (n: number, what: string) => `Oops#${n} Part1\n<4>[    ${n}.000000] ${what}\n<4>[    ${n}.000001] Call Trace:\n`;
const zoneAt = (kind: string, index = 0) => layoutZones(pszParams(PARAMS)).find((z) => z.kind === kind && z.index === index)!;

describe('pstore/zone layout (psz_alloc_zones)', () => {
  it('puts pmsg, console, per-cpu ftrace, then kmsg zones to the end', () => {
    const zones = layoutZones(pszParams(PARAMS));
    expect(zones.slice(0, 5).map((z) => [z.kind, z.index, z.offset, z.size])).toEqual([
      ['pmsg', 0, 0, 0x2000], ['console', 0, 0x2000, 0x2000], ['ftrace', 0, 0x4000, 0x1000], ['ftrace', 1, 0x5000, 0x1000], ['dmesg', 0, 0x6000, 0x4000],
    ]);
    expect(zones.filter((z) => z.kind === 'dmesg').length).toBe(Math.floor(((1 << 20) - 0x6000) / 0x4000));
    expect(pszKmsgHeader.size).toBe(40);
  });
});

describe('pstore-blk built images', () => {
  const spec: PszSpec = {
    params: PARAMS,
    kmsg: [
      { zone: 0, text: oops(1, 'BUG: kernel NULL pointer dereference, address: 0000000000000000'), counter: 1 },
      { zone: 1, text: `Panic#1 Part1\n<0>[    2.000000] Kernel panic - not syncing: sysrq triggered crash\n`, reason: 1, compressed: true, sec: 1_795_375_100 },
    ],
    console: { text: consoleLog(30) },
    pmsg: Buffer.from('userspace says hi'),
  };

  it.each([0x00, 0xff])('reads kmsg, console and pmsg zones alike from options, a command line, or a scan (unwritten = 0x%s)', async (fill) => {
    const path = write(buildPstoreBlk({ ...spec, fill }));
    for (const options of OPTIONS) {
      const { records, problems } = await readWith('pstore-blk', path, options);
      expect(problems).toEqual([]);
      const msgs = messagesOf(records);
      expect(msgs.filter((m) => m.source.id!.startsWith('dmesg')).map((m) => [m.text, m.source.id, m.source.part])).toEqual([
        ['BUG: kernel NULL pointer dereference, address: 0000000000000000', 'dmesg-pstore_blk Oops#1', 1],
        ['Call Trace:', 'dmesg-pstore_blk Oops#1', 1],
        ['Kernel panic - not syncing: sysrq triggered crash', 'dmesg-pstore_blk Panic#1', 1],
      ]);
      expect(msgs.filter((m) => m.source.id === 'console-pstore_blk-0').map((m) => m.text).at(-1)).toBe('console line 29');
      expect(records.filter((r) => r.kind === 'blob')).toMatchObject([{ type: 'pmsg', size: 17 }]);
      // plain text points at its bytes in the image
      const first = msgs[0]!;
      expect(first.source.offset).toBe(zoneAt('dmesg').offset + pszBuffer.size + pszKmsgHeader.size + 'Oops#1 Part1\n'.length);
    }
  });

  it('shows a plain kmsg record as pstore does: "<reason>: Total <n> times" first', async () => {
    const { recs } = await recordsOf(write(buildPstoreBlk(spec)));
    const d0 = recs.find((r) => r.name === 'dmesg-pstore_blk-0')!;
    expect(Buffer.from(d0.bytes).toString('latin1')).toBe('Oops: Total 1 times\n' + oops(1, 'BUG: kernel NULL pointer dereference, address: 0000000000000000'));
    const d1 = recs.find((r) => r.name === 'dmesg-pstore_blk-1')!;
    expect(d1).toMatchObject({ reason: 'Panic', counter: 1, time: new Date(1_795_375_100_123) });
  });

  it('unrolls a wrapped console ring oldest first', async () => {
    const cap = PARAMS.consoleSize - pszBuffer.size;
    let text = consoleLog(400);
    text = text.slice(text.length - cap);
    text = 'x'.repeat(text.indexOf('\n')) + text.slice(text.indexOf('\n'));
    const path = write(buildPstoreBlk({ params: PARAMS, console: { text, wrapAt: 3000 }, kmsg: [{ zone: 0, text: oops(1, 'x') }] }));
    for (const options of OPTIONS) {
      const { records, problems } = await readWith('pstore-blk', path, options);
      expect(problems).toEqual([]);
      const nums = messagesOf(records).filter((m) => m.text.startsWith('console line')).map((m) => Number(m.text.split(' ')[2]));
      expect(nums.length).toBeGreaterThan(100);
      expect(nums).toEqual(nums.slice().sort((a, b) => a - b));
      expect(nums.at(-1)).toBe(399);
    }
  });

  it('keeps the text before a torn kmsg record and says where it tore', async () => {
    const img = buildPstoreBlk({ params: PARAMS, fill: 0xff, kmsg: [{ zone: 0, text: oops(1, 'first') + 'x'.repeat(500) + '\n' }, { zone: 3, text: oops(2, 'second') }] });
    const z0 = zoneAt('dmesg', 0);
    const tear = z0.offset + pszBuffer.size + pszKmsgHeader.size + oops(1, 'first').length + 100;
    img.fill(0xff, tear, tear + 400); // the flash write stopped here
    for (const options of OPTIONS) {
      const { records, problems } = await readWith('pstore-blk', write(img), options);
      expect(problems).toEqual([{ path: expect.any(String), offset: tear, message: expect.stringMatching(/kmsg zone 0: torn record/) }]);
      expect(messagesOf(records).map((m) => m.text)).toEqual(['first', 'Call Trace:', 'x'.repeat(100), 'second', 'Call Trace:']);
    }
  });

  it('reports a bad kmsg header and an overtop zone with their offsets, and reads the rest', async () => {
    const img = buildPstoreBlk({ params: PARAMS, kmsg: [0, 1, 2].map((zone) => ({ zone, text: oops(zone + 1, `zone ${zone}`) })), console: { text: consoleLog(3) } });
    const [z0, z1] = [zoneAt('dmesg', 0), zoneAt('dmesg', 1)];
    const dv = new DataView(img.buffer);
    dv.setUint32(z0.offset + pszBuffer.size, 0xdeadbeef, true); // magic
    dv.setUint32(z1.offset + 4, 0x7fff0000, true); // datalen past the zone
    for (const options of OPTIONS) {
      const { records, problems } = await readWith('pstore-blk', write(img), options);
      expect(problems.map((p) => [p.offset, p.message])).toEqual([
        [z0.offset + pszBuffer.size, 'kmsg zone 0: bad psz_kmsg_header magic 0xdeadbeef (expected 0x4dfc3ae5)'],
        [z1.offset, expect.stringMatching(/^kmsg zone 1: invalid psz_buffer: datalen 2147418112/)],
      ]);
      expect(messagesOf(records).map((m) => m.text)).toEqual(['zone 2', 'Call Trace:', 'console line 0', 'console line 1', 'console line 2']);
    }
  });

  it('says when the parameters are wrong, and scans instead', async () => {
    const path = write(buildPstoreBlk({ params: PARAMS, kmsg: [{ zone: 2, text: oops(1, 'found anyway') }] }));
    const { records, problems } = await readWith('pstore-blk', path, { kmsg_size: 32, pmsg_size: 0, console_size: 0, ftrace_size: 0 });
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/parameters given do not match/)]);
    expect(messagesOf(records).map((m) => m.text)).toEqual(['found anyway', 'Call Trace:']);
  });

  it('reports an image cut short, and keeps what it holds', async () => {
    const img = buildPstoreBlk({ params: PARAMS, kmsg: [{ zone: 0, text: oops(1, 'whole') }], console: { text: consoleLog(100) } });
    const cz = zoneAt('console');
    const cut = cz.offset + pszBuffer.size + 1000;
    const { records, problems } = await readWith('pstore-blk', write(img.subarray(0, cut)), OPTIONS[0]);
    expect(problems).toEqual([expect.objectContaining({ offset: cut, message: expect.stringMatching(/console zone 0: expected/) })]);
    const texts = messagesOf(records).map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('console line')).length).toBeGreaterThan(20);
  });

  it('is claimed by content, and does not claim ramoops or mtdoops images', async () => {
    const b = backendById('pstore-blk')!;
    const kmsgFirst = buildPstoreBlk({ params: { ...PARAMS, pmsgSize: 0, consoleSize: 0, ftraceSize: 0 }, kmsg: [{ zone: 0, text: oops(1, 'x') }] });
    expect(b.probe(await makeProbe(write(kmsgFirst)))).toBeGreaterThan(0.9);
    expect(b.probe(await makeProbe(write(buildPstoreBlk(spec))))).toBeGreaterThan(0.5);
    // pmsg unused (no header at 0): the console zone's header one 64 KiB zone in is seen
    const defaults = { totalSize: 1 << 20 };
    const pmsgUnwritten = buildPstoreBlk({ params: defaults, console: { text: consoleLog(5) } });
    expect(layoutZones(pszParams(defaults)).find((z) => z.kind === 'console')!.offset).toBe(64 << 10);
    expect(b.probe(await makeProbe(write(pmsgUnwritten)))).toBeGreaterThan(0.5);
    expect(backendById('ramoops')!.probe(await makeProbe(write(kmsgFirst)))).toBe(0);
    for (const other of [fixture('ramoops', 'ramoops-ecc-bug', 'ramoops-region.bin'), fixture('mtdoops', 'mtdoops-oops-panic', 'mtdoops-partition.bin')]) {
      expect(b.probe(await makeProbe(other))).toBe(0);
    }
  });
});

describe('crashlog report on a pstore/blk image', () => {
  it('is read by pstore-blk and names the panic the kmsg zone holds', async () => {
    const { analyze } = await import('../../src/analyze.js');
    const text = 'Panic#1 Part1\n<0>[    2.000000] sysrq: Trigger a crash\n<0>[    2.000001] Kernel panic - not syncing: sysrq triggered crash\n';
    const path = write(buildPstoreBlk({ params: PARAMS, fill: 0xff, kmsg: [{ zone: 4, text, reason: 1, compressed: true }], console: { text: consoleLog(5) } }));
    const a = await analyze([path]);
    expect(a.inputs).toEqual([expect.objectContaining({ backend: 'pstore-blk', problems: [] })]);
    expect(a.incidents.map((i) => [i.kind, i.title, i.panic])).toEqual([['panic', 'kernel panic: sysrq triggered crash', 'sysrq triggered crash']]);
  });
});
