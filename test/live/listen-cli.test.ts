// `crashlog listen` as a user runs it: the built CLI (dist/, which `npm ci` builds), whose
// writer runs in a thread of its own (vitest runs the sources, where it cannot: the other
// listen tests cover the same writer in the receiving thread). The corpus capture replayed
// over loopback from two senders at once: each sender's log in order, one crash line each,
// and the counts said at exit.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { capturePayloads } from '../helpers/capture.js';

const CLI = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));
const WORKER = fileURLToPath(new URL('../../dist/src/live/writer-worker.js', import.meta.url));
const DIR = fixture('pcap', 'netconsole-extended');

/** Both senders' datagrams interleaved, a pause now and then to stay inside the socket buffer. */
async function sendBoth(payloads: Buffer[], port: number): Promise<void> {
  const socks = await Promise.all(['127.0.0.2', '127.0.0.3'].map(async (a) => {
    const s = createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, a, () => r()));
    return s;
  }));
  for (const [i, p] of payloads.entries()) {
    for (const s of socks) await new Promise<void>((res, rej) => s.send(p, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    if (i % 16 === 15) await new Promise((r) => setTimeout(r, 1));
  }
  for (const s of socks) s.close();
}

describe.skipIf(!existsSync(WORKER))('crashlog listen (built CLI, writer thread)', () => {
  it('writes each sender its log, prints one crash line per sender, and says the counts at exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-listen-cli-'));
    const child = spawn(process.execPath, [CLI, 'listen', '--udp', '127.0.0.1:0', '--dir', dir, '--settle', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const until = async (cond: () => boolean, ms = 20_000) => {
      for (const end = Date.now() + ms; !cond(); await new Promise((r) => setTimeout(r, 25))) if (Date.now() > end) throw new Error(`timed out: ${stderr}`);
    };
    await until(() => stderr.includes('listening on'));
    expect(stderr).toMatch(/receive buffer \d+ KiB/);
    expect(stderr).toContain('writer in a thread of its own');
    const port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
    const payloads = await capturePayloads(join(DIR, 'netconsole.pcap'));
    await sendBoth(payloads, port);
    await until(() => stdout.trim().split('\n').filter(Boolean).length >= 2);
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const truth = JSON.parse(readFileSync(join(DIR, 'truth.json'), 'utf8')) as { cause: string; kind: string; title: string };
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { sender: string; title: string; cause: string });
    expect(lines.map((l) => [l.sender, l.cause, l.title]).sort()).toEqual([
      ['127.0.0.2', truth.cause, truth.title],
      ['127.0.0.3', truth.cause, truth.title],
    ]);
    const expected = readFileSync(join(DIR, 'expected-netconsole-records.txt'), 'utf8');
    for (const sender of ['127.0.0.2', '127.0.0.3']) {
      const log = readFileSync(join(dir, `${sender}.log`), 'utf8').replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      expect(log).toBe(expected);
    }
    expect(stderr).toMatch(/868 datagram\(s\) from 2 sender\(s\), 864 record\(s\), \d+ byte\(s\) written, 0 dropped \(queue full\), 0 dropped by the kernel/);
  });
});
