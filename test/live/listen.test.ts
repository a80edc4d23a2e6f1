// The corpus capture replayed over loopback UDP to the receiver: every datagram's record
// in the sender's log, in order, the log read back by `report` to the same verdict, and
// one crash JSON line.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { Listener, parseListenAddress, type CrashLine } from '../../src/live/index.js';
import { extendedDatagrams, legacyDatagrams } from '../builders/pcap.js';
import { fixture } from '../corpus.js';
import { capturePayloads } from '../helpers/capture.js';
import { runCli } from '../helpers/run.js';

const DIR = fixture('pcap', 'netconsole-extended');

async function send(payloads: Buffer[], port: number, host: string, family: 'udp4' | 'udp6'): Promise<void> {
  const sock = createSocket(family);
  for (const [i, p] of payloads.entries()) {
    await new Promise<void>((resolve, reject) => sock.send(p, port, host, (err) => (err ? reject(err) : resolve())));
    if (i % 32 === 31) await new Promise((r) => setTimeout(r, 1)); // stay inside the socket buffer
  }
  sock.close();
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('crashlog listen: replay of the corpus capture over loopback', () => {
  it('writes every record to the sender log in order and prints one crash line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-listen-'));
    const crashes: CrashLine[] = [];
    const l = await Listener.start({ udp: [parseListenAddress('127.0.0.1:0')], dir, settleMs: 300, onCrash: (c) => crashes.push(c) });
    const port = l.addresses()[0]!.port;
    const payloads = await capturePayloads(join(DIR, 'netconsole.pcap'));
    expect(payloads.length).toBe(434);
    await send(payloads, port, '127.0.0.1', 'udp4');
    await until(() => crashes.length > 0);
    const stats = l.stats();
    await l.close();
    expect(stats).toMatchObject({ datagrams: 434, records: 432, droppedDatagrams: 0, senders: 1 });
    expect(stats.socketDrops ?? 0).toBe(0);

    const log = join(dir, '127.0.0.1.log');
    // The log is /dev/kmsg's form: a tab or backslash in a message is "\x09", "\x5c" there
    // (the text backend reads it back so); UTF-8 stays as it is.
    const unescaped = readFileSync(log, 'utf8').replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    expect(unescaped).toBe(readFileSync(join(DIR, 'expected-netconsole-records.txt'), 'utf8'));
    // The sequence gaps (KERN_DEBUG records below the console loglevel) are recorded.
    const lost = readFileSync(join(dir, '127.0.0.1.lost'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; from: string; to: string });
    expect(lost.map((g) => `${g.from}-${g.to}`)).toEqual(['15-16', '73-74', '258-260', '366-370']);

    expect(crashes).toHaveLength(1);
    const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as { cause: string; kind: string; title: string };
    expect(crashes[0]).toMatchObject({ sender: '127.0.0.1', log, cause: truth.cause, kind: truth.kind, title: truth.title });
    expect(crashes[0]!.signature).toMatch(/^[0-9a-f]{64}$/);

    // `crashlog report DIR/<host>.log` gives the same verdict.
    const a = await analyze([log]);
    expect(a.inputs.map((i) => [i.backend, i.problems])).toEqual([['text', []]]);
    expect(a.incidents.map((i) => [i.cause, i.kind, i.title])).toEqual([[truth.cause, truth.kind, truth.title]]);
  });

  it('receives IPv6 and rotates a log by size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-listen6-'));
    const l = await Listener.start({ udp: [parseListenAddress('[::1]:0')], dir, rotateBytes: 5000, rotateKeep: 2, detect: false });
    const port = l.addresses()[0]!.port;
    const lines = Array.from({ length: 100 }, (_, i) => `6,${i},${i},-;message ${i} ${'p'.repeat(100)}`);
    // Five bursts of ~2,400 bytes, each written before the next: the third passes 5,000 bytes.
    for (let b = 0; b < 5; b++) {
      const recs = lines.slice(b * 20, b * 20 + 20).map((t, i) => extendedDatagrams({ pri: 6, seq: b * 20 + i, tsUs: b * 20 + i, text: t.slice(t.indexOf(';') + 1) })).flat();
      await send(recs, port, '::1', 'udp6');
      await until(() => l.stats().records === (b + 1) * 20 && l.stats().queuedBytes === 0);
      await new Promise((r) => setTimeout(r, 50));
    }
    await l.close();
    expect(readdirSync(dir).sort()).toEqual(['::1.log', '::1.log.1']);
    const both = readFileSync(join(dir, '::1.log.1'), 'utf8') + readFileSync(join(dir, '::1.log'), 'utf8');
    expect(both.trim().split('\n')).toEqual(lines);
  });

  it('counts and notes datagrams that find the write queue full, and writes the rest in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-listenq-'));
    // A queue of 1,000 bytes and a flush every 10 s: the first few datagrams fit, the rest wait for nothing.
    const l = await Listener.start({ udp: [parseListenAddress('127.0.0.1:0')], dir, maxQueueBytes: 1000, flushMs: 10_000, detect: false });
    const port = l.addresses()[0]!.port;
    await send(Array.from({ length: 50 }, (_, i) => Buffer.from(`6,${i},${i},-;record ${i} ${'q'.repeat(80)}\n`)), port, '127.0.0.1', 'udp4');
    await until(() => l.stats().datagrams === 50);
    const stats = l.stats();
    await l.close();
    const lines = readFileSync(join(dir, '127.0.0.1.log'), 'utf8').trim().split('\n');
    expect(stats.droppedDatagrams).toBe(50 - lines.length);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((x) => Number(x.split(',')[1]))).toEqual([...Array(lines.length).keys()]);
    // What was dropped is said once (a sequence gap would follow only a record after it).
    const lost = readFileSync(join(dir, '127.0.0.1.lost'), 'utf8').trim().split('\n').map((x) => JSON.parse(x) as { kind: string; datagrams: number });
    expect(lost).toEqual([expect.objectContaining({ kind: 'dropped', datagrams: stats.droppedDatagrams, reason: 'write queue full' })]);
  });

  it('refuses a bad --udp as a usage error', async () => {
    const r = await runCli(['listen', '--dir', tmpdir(), '--udp', 'nonsense']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--udp nonsense: expected ADDR:PORT/);
  });

  it('takes legacy text from another sender: pieces joined into lines, its own log, its own crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-listenl-'));
    const crashes: CrashLine[] = [];
    const l = await Listener.start({ udp: [parseListenAddress('[::]:0')], dir, settleMs: 200, onCrash: (c) => crashes.push(c) });
    const port = l.addresses()[0]!.port;
    const long = `[    5.000000] ${'L'.repeat(2400)}\n`;
    const oops = [
      '[   10.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008',
      '[   10.000001] Oops: 0000 [#1] PREEMPT SMP PTI',
      '[   10.000002] CPU: 0 PID: 9 Comm: sh Not tainted 6.1.0 #1',
      '[   10.000003] RIP: 0010:forge_deref+0x12/0x30 [forgedev]',
      '[   10.000004] Call Trace:',
      '[   10.000005]  <TASK>',
      '[   10.000006]  forge_write+0x40/0x90 [forgedev]',
      '[   10.000007]  </TASK>',
    ].map((x) => `${x}\n`);
    await send([...legacyDatagrams(long), ...oops.map((x) => Buffer.from(x))], port, '127.0.0.1', 'udp4');
    await send(extendedDatagrams({ pri: 6, seq: 1, tsUs: 1, text: 'quiet machine' }), port, '::1', 'udp6');
    await until(() => crashes.length > 0 && l.stats().senders === 2);
    await l.close();
    expect(readFileSync(join(dir, '127.0.0.1.log'), 'utf8')).toBe(long + oops.join(''));
    expect(readFileSync(join(dir, '::1.log'), 'utf8')).toBe('6,1,1,-;quiet machine\n');
    expect(crashes.map((c) => [c.sender, c.kind, c.title])).toEqual([['127.0.0.1', 'oops', 'BUG: unable to handle kernel NULL pointer dereference in forge_deref']]);
  });
});

