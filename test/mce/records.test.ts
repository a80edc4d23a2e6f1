// Machine checks from every place they are kept: the log's "[Hardware Error]" lines, EDAC
// lines, the struct mce of pstore/ERST, rasdaemon's database, mcelog's log.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Database } from 'node-sqlite3-wasm';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { parseEdacText, parseMceText } from '../../src/mce/text.js';
import { parseStructMce, STRUCT_MCE } from '../../src/mce/struct.js';
import { FormatError } from '../../src/util/errors.js';
import type { MachineCheck, MemoryError } from '../../src/model/index.js';
import { backendById } from '../../backends/index.js';
import { makeProbe } from '../../src/input/probe.js';
import { readWith } from '../helpers/read.js';
import { fixture } from '../corpus.js';
import { buildRasdaemonDb } from '../builders/rasdaemon.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-mce-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const truthOf = (...p: string[]) => JSON.parse(readFileSync(fixture(...p), 'utf8')) as { mce: Record<string, string | number>; correctedBefore: { bank: number; count: number; addr: string }[] };
const hex = (v: bigint | undefined) => (v === undefined ? undefined : `0x${v.toString(16)}`);
const mces = (rs: { kind: string }[]) => rs.filter((r): r is MachineCheck => r.kind === 'mce');

describe('kernel log text', () => {
  const log = fixture('pstore', 'erst-mce-memory', 'serial-console.log');
  const msgs = bytesToMessages(readFileSync(log), { backend: 'text', path: log, offset: 0 });
  const found = parseMceText(msgs);

  it('reads every machine check of the real console log, with its line and kernel time', () => {
    expect(found.map((m) => [m.cpu, m.bank, hex(m.status), hex(m.mcgStatus), hex(m.addr), hex(m.misc)])).toEqual([
      [0, 8, '0x9c0000400001009f', '0x0', '0x12345000', '0x8c'],
      [0, 8, '0x9c0000800001009f', '0x0', '0x12345000', '0x8c'],
      [0, 8, '0xbe0000000001009f', '0x4', '0x12345000', '0x8c'],
    ]);
    const fatal = found[2]!;
    expect(fatal).toMatchObject({ tsc: 0xa3e072df6n, cpuVendor: 'intel', cpuid: 0x50654, socket: 0, apicId: 0, microcode: 1, tsNs: 14_499_407_000n });
    expect(fatal.time?.toISOString()).toBe(new Date(1795373701 * 1000).toISOString());
    expect(readFileSync(log).subarray(fatal.source.offset!, fatal.source.offset! + 90).toString()).toContain('Machine Check Exception: 4 Bank 8');
  });

  it('RIP, SYND and IPID lines, and a group cut short', () => {
    const lines = [
      '<0>[  100.000001] mce: [Hardware Error]: CPU 3: Machine Check Exception: 5 Bank 1: bf80000000000124',
      '<0>[  100.000002] mce: [Hardware Error]: RIP !INEXACT! 10:<ffffffff81670493> {skb_release_data+0x63/0x100}',
      '<0>[  100.000003] mce: [Hardware Error]: TSC 1721b44be3 ADDR 2335c2880 MISC 86 SYND 4d000000 IPID 9600050f00 ',
      '<0>[  100.000004] [Hardware Error]: CPU 1: Machine Check: 0 Bank 15: dc2040000000011b',
    ].join('\n');
    const got = parseMceText(bytesToMessages(Buffer.from(lines), { backend: 'text', path: 'x', offset: 0 }));
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ cpu: 3, bank: 1, ip: 0xffffffff81670493n, tsc: 0x1721b44be3n, addr: 0x2335c2880n, misc: 0x86n, synd: 0x4d000000n, ipid: 0x9600050f00n });
    expect(got[1]).toMatchObject({ cpu: 1, bank: 15, status: 0xdc2040000000011bn, mcgStatus: 0n });
    expect(got[1]!.time).toBeUndefined();
  });

  it('EDAC lines as memory errors with their DIMM label and address', () => {
    const lines = [
      '[   42.1] EDAC MC0: 1 CE memory read error on CPU_SrcID#0_Ha#0_Chan#1_DIMM#0 (channel:1 slot:0 page:0x12345 offset:0x40 grain:32 syndrome:0x0 -  area:DRAM err_code:0001:0090 socket:0 ha:0 channel_mask:2 rank:0)',
      '[   43.2] EDAC MC1: 2 UE Read error on DIMM_B2 (page:0x0 offset:0x0 grain:8)',
      '[   44.0] EDAC MC: Ver: 3.0.0',
    ].join('\n');
    const got: MemoryError[] = parseEdacText(bytesToMessages(Buffer.from(lines), { backend: 'text', path: 'x', offset: 0 }));
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ severity: 'corrected', count: 1, card: 0, label: 'CPU_SrcID#0_Ha#0_Chan#1_DIMM#0', physAddr: 0x12345040n, module: 0, tsNs: 42_100_000_000n });
    expect(got[0]!.detail).toMatch(/^memory read error \(channel:1 slot:0 page:0x12345/);
    expect(got[1]).toMatchObject({ severity: 'uncorrected', count: 2, card: 1, label: 'DIMM_B2' });
    expect(got[1]!.physAddr).toBeUndefined();
  });
});

describe('struct mce (pstore mce-*, ERST)', () => {
  const path = fixture('pstore', 'erst-mce-memory', 'pstore', 'mce-erst-7711071329893482497');
  const bytes = readFileSync(path);
  const truth = truthOf('pstore', 'erst-mce-memory', 'truth.json').mce;

  it('the real 128-byte record matches truth.json', () => {
    expect(bytes.length).toBe(STRUCT_MCE.size);
    const mc = parseStructMce(bytes, { backend: 'pstore', path });
    expect({ cpu: mc.cpu, bank: mc.bank, status: hex(mc.status), mcgStatus: hex(mc.mcgStatus), addr: hex(mc.addr), misc: hex(mc.misc) }).toEqual(truth);
    expect(mc).toMatchObject({ cpuVendor: 'intel', cpuid: 0x50654, tsc: 0xa3e072df6n, microcode: 1 });
    expect(mc.time?.getTime()).toBe(1795373701000);
  });

  it('an older, shorter record (no synd/ipid/ppin) still reads; a cut one is a FormatError', () => {
    const old = parseStructMce(bytes.subarray(0, STRUCT_MCE.offsets.mcgcap), { backend: 'pstore', path });
    expect(old.status).toBe(0xbe0000000001009fn);
    expect(old.microcode).toBeUndefined();
    expect(() => parseStructMce(bytes.subarray(0, 40), { backend: 'pstore', path, offset: 0 })).toThrow(FormatError);
  });
});

describe('rasdaemon backend', () => {
  const db = fixture('rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db');

  it('probes the real database and reads its 3 corrected errors, status unsigned', async () => {
    expect(backendById('rasdaemon')!.probe(await makeProbe(db))).toBeGreaterThan(0.9);
    expect(backendById('text')!.probe(await makeProbe(db))).toBe(0);
    const { records, problems } = await readWith('rasdaemon', db);
    expect(problems).toEqual([]);
    const got = mces(records);
    expect(got.map((m) => [m.cpu, m.bank, hex(m.status), hex(m.addr)])).toEqual([
      [0, 8, '0x9c0000400001009f', '0x12345000'],
      [1, 8, '0x9c0000400001009f', '0x12345000'],
      [0, 7, '0x9c000040000100c1', '0x2201000'],
    ]);
    expect(got[0]!.time?.getTime()).toBe(1795375938000);
    // rasdaemon's own words are kept for uncorrected rows only (a million CEs say the same).
    expect(got[0]!.note).toBeUndefined();
    expect(got[0]!.source).toEqual({ backend: 'rasdaemon', path: db, id: 'mce_record#1' });
  });

  it('reads a built database: negative statuses, mc_event memory errors', async () => {
    const p = join(work, 'built.db');
    buildRasdaemonDb(p, [
      { bank: 8, status: 0xbe0000000001009fn, mcgstatus: 4n, addr: 0xffff800012345000n, walltime: 1795375955, error_msg: 'MEMORY CONTROLLER RD_CHANNELunspecified_ERR' },
      { bank: 15, status: 0xdc2040000000011bn, cpuvendor: 2, walltime: 1795375956 },
    ], [{ timestamp: '2026-11-22 19:32:40 +0000', err_count: 1, err_type: 'Corrected', err_msg: 'memory read error', label: 'DIMM_A1', mc: 0, address: 0x12345040n }]);
    const { records, problems } = await readWith('rasdaemon', p);
    expect(problems).toEqual([]);
    expect(mces(records).map((m) => [hex(m.status), hex(m.addr), m.cpuVendor])).toEqual([
      ['0xbe0000000001009f', '0xffff800012345000', 'intel'],
      ['0xdc2040000000011b', '0x0', 'amd'],
    ]);
    expect(mces(records)[0]!.note).toBe('rasdaemon: MEMORY CONTROLLER RD_CHANNELunspecified_ERR');
    const mem = records.filter((r): r is MemoryError => r.kind === 'memerr');
    expect(mem).toMatchObject([{ severity: 'corrected', count: 1, label: 'DIMM_A1', physAddr: 0x12345040n, card: 0 }]);
    expect(mem[0]!.time?.toISOString()).toBe('2026-11-22T19:32:40.000Z');
  });

  it('reads the columns newer rasdaemons add (ipid, synd, microcode)', async () => {
    const p = join(work, 'newer.db');
    buildRasdaemonDb(p, [{ bank: 15, status: 0xdc2040000000011bn, cpuvendor: 2 }]);
    const db = new Database(p);
    db.exec('ALTER TABLE mce_record ADD COLUMN synd INTEGER; ALTER TABLE mce_record ADD COLUMN ipid INTEGER; ALTER TABLE mce_record ADD COLUMN microcode INTEGER');
    db.prepare('UPDATE mce_record SET synd = ?, ipid = ?, microcode = ?').run([0x4d000000n, 0x9600050f00n, 0x8301055]);
    db.close();
    const { records } = await readWith('rasdaemon', p);
    expect(mces(records)).toMatchObject([{ bank: 15, synd: 0x4d000000n, ipid: 0x9600050f00n, microcode: 0x8301055, cpuVendor: 'amd' }]);
  });

  it('a damaged database is a problem, not a crash', async () => {
    const p = join(work, 'damaged.db');
    const b = Buffer.from(readFileSync(db));
    b.fill(0x41, 4096, 20480);
    writeFileSync(p, b);
    const { records, problems } = await readWith('rasdaemon', p);
    expect(records).toEqual([]);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.path).toBe(p);
  });
});

describe('mcelog backend', () => {
  it('reads mcelog records with their offsets and mcelog\'s own words', async () => {
    const p = fixture('mcelog', 'intel-memory.log');
    expect(backendById('mcelog')!.probe(await makeProbe(p))).toBeGreaterThan(backendById('text')!.probe(await makeProbe(p)));
    const { records, problems } = await readWith('mcelog', p);
    expect(problems).toEqual([]);
    const got = mces(records);
    expect(got.map((m) => [m.cpu, m.bank, hex(m.status), hex(m.mcgStatus), hex(m.addr), hex(m.misc), m.socket, m.cpuVendor, m.cpuid])).toEqual([
      [0, 8, '0x9c0000400001009f', '0x0', '0x12345000', '0x8c', 0, 'intel', 0x50650],
      [0, 8, '0xbe0000000001009f', '0x4', '0x12345000', '0x8c', 0, 'intel', 0x50650],
    ]);
    expect(got[1]!.tsc).toBe(0xa3e072df6n);
    expect(got[1]!.note).toBe('mcelog: MCA: MEMORY CONTROLLER RD_CHANNELunspecified_ERR; Transaction: Memory read error');
    expect(readFileSync(p).subarray(got[1]!.source.offset!).toString()).toMatch(/^Hardware event/);
  });

  it('reads mcelog lines behind a syslog prefix, and says when a record has no STATUS', async () => {
    const { records } = await readWith('mcelog', fixture('mcelog', 'syslog-cache.log'));
    expect(mces(records)).toMatchObject([{ cpu: 3, bank: 1, status: 0xbf80000000000124n, mcgStatus: 5n, ip: 0xffffffff81670493n, apicId: 6, cpuid: 0x306c0 }]);
    const p = join(work, 'cut.log');
    writeFileSync(p, 'Hardware event. This is not a software error.\nMCE 0\nCPU 1 BANK 4\nTIME 1415556598\n');
    const cut = await readWith('mcelog', p);
    expect(cut.records).toEqual([]);
    expect(cut.problems).toEqual([{ path: p, offset: 0, message: 'mcelog record without STATUS line' }]);
  });
});
