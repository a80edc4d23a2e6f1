// Edge cases the corpus capture does not hold, from test/builders/pcap.ts: legacy text cut
// at 1000 bytes, IPv6, pcapng, Linux cooked captures, both byte orders, IP fragments,
// several senders, release prepend with userdata/sysdata, lost fragments, cut captures.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { NetconsoleStream, type NetconsoleRecord } from '../../src/netconsole/stream.js';
import { buildCapture, extendedDatagrams, legacyDatagrams, type CaptureSpec, type Udp } from '../builders/pcap.js';
import { messagesOf, readWith } from '../helpers/read.js';

const dir = mkdtempSync(join(tmpdir(), 'crashlog-pcap-'));
let n = 0;
function write(spec: CaptureSpec): string {
  const p = join(dir, `c${n++}.pcap`);
  writeFileSync(p, buildCapture(spec));
  return p;
}
const udp = (src: string, payloads: Buffer[], dst = '10.0.0.2'): Udp[] => payloads.map((payload) => ({ src, dst, payload }));

const OOPS = [
  'BUG: kernel NULL pointer dereference, address: 0000000000000008',
  '#PF: supervisor read access in kernel mode',
  'Oops: 0000 [#1] PREEMPT SMP PTI',
  'CPU: 1 PID: 77 Comm: sh Tainted: G           OE      6.1.0-56-amd64 #1 Debian 6.1.192-2',
  'RIP: 0010:forge_deref+0x12/0x30 [forgedev]',
  'Call Trace:',
  ' <TASK>',
  ' forge_write+0x40/0x90 [forgedev]',
  ' vfs_write+0xb8/0x3d0',
  ' </TASK>',
  'Kernel panic - not syncing: Fatal exception',
];
const legacyLog = (lines: string[]) => lines.map((l, i) => `[   ${(10 + i).toFixed(6)}] ${l}\n`).join('');

describe('pcap backend: built captures', () => {
  it('joins legacy text cut at 1000 bytes with no marker', async () => {
    const long = 'y'.repeat(2500);
    const text = legacyLog(['first', long, 'last']);
    const datagrams = legacyDatagrams(text);
    expect(datagrams.length).toBe(3);
    const msgs = messagesOf((await readWith('pcap', write({ datagrams: udp('10.0.0.1', datagrams) }))).records);
    expect(msgs.map((m) => m.text)).toEqual(['first', long, 'last']);
    expect(msgs[1]!.tsNs).toBe(11_000_000_000n);
  });

  it('keeps a short legacy piece without newline apart from a following time-stamped line', async () => {
    const d = [Buffer.from('[    1.000000] cont start'), Buffer.from(' and more\n'), Buffer.from('[    1.000000] part'), Buffer.from('[    2.000000] next\n')];
    const msgs = messagesOf((await readWith('pcap', write({ datagrams: udp('10.0.0.1', d) }))).records);
    expect(msgs.map((m) => m.text)).toEqual(['cont start and more', 'part', 'next']);
  });

  const ext = (seq: number, text: string) => ({ pri: 4, seq, tsUs: 5_000_000 + seq, text });
  const variants: [string, Partial<CaptureSpec>][] = [
    ['pcap little-endian, Ethernet', {}],
    ['pcap big-endian, nanoseconds, VLAN', { bigEndian: true, nanoseconds: true, link: 'vlan' }],
    ['pcapng, Linux cooked (SLL)', { format: 'pcapng', link: 'sll' }],
    ['pcapng big-endian, SLL2', { format: 'pcapng', link: 'sll2', bigEndian: true }],
    ['raw IP with IP fragments', { link: 'raw', mtu: 576 }],
  ];
  for (const [name, spec] of variants) {
    for (const src of ['10.1.2.3', 'fd00:1::15']) {
      it(`reads ${name} from ${src.includes(':') ? 'IPv6' : 'IPv4'}`, async () => {
        const long = `long: ${'é'.repeat(700)}`;
        const datagrams = [ext(1, 'hello'), ext(2, long), ext(3, 'bye')].flatMap((r) => extendedDatagrams(r));
        const p = write({ ...spec, datagrams: udp(src, datagrams, src.includes(':') ? 'fd00:1::2' : '10.0.0.2') });
        const { records, problems } = await readWith('pcap', p);
        expect(problems).toEqual([]);
        const msgs = messagesOf(records);
        expect(msgs.map((m) => [m.seq, m.text, m.source.id])).toEqual([[1n, 'hello', src], [2n, long, src], [3n, 'bye', src]]);
      });
    }
  }

  it('reads release prepend, dictionary, userdata and sysdata, fragmented or not', async () => {
    const opts = { release: '6.15.0-rc1', userdata: ' rack=r12\n host=db7\n', sysdata: ' cpu=3\n taskname=kworker/3:1\n release=6.15.0-rc1\n msgid=9\n' };
    const short = extendedDatagrams({ pri: 6, seq: 7, tsUs: 1, text: 'e1000e: link up', dict: [['SUBSYSTEM', 'pci'], ['DEVICE', '+pci:0000:00:19.0']] }, opts);
    const long = extendedDatagrams({ pri: 6, seq: 8, tsUs: 2, text: 'z'.repeat(990), caller: 'T42' }, opts);
    expect(long.length).toBe(2);
    const recs: NetconsoleRecord<number>[] = [];
    const s = new NetconsoleStream<number>((r) => recs.push(r));
    [...short, ...long].forEach((d, i) => s.push(d, i));
    s.flush();
    expect(recs.map((r) => [r.release, r.seq, r.caller, r.text.length, r.dict, r.parts])).toEqual([
      ['6.15.0-rc1', 7n, undefined, 15, [['SUBSYSTEM', 'pci'], ['DEVICE', '+pci:0000:00:19.0'], ['rack', 'r12'], ['host', 'db7'], ['cpu', '3'], ['taskname', 'kworker/3:1'], ['release', '6.15.0-rc1'], ['msgid', '9']], 1],
      ['6.15.0-rc1', 8n, 'T42', 990, [['rack', 'r12'], ['host', 'db7'], ['cpu', '3'], ['taskname', 'kworker/3:1'], ['release', '6.15.0-rc1'], ['msgid', '9']], 2],
    ]);
    const msgs = messagesOf((await readWith('pcap', write({ datagrams: udp('10.0.0.9', [...short, ...long]) }))).records);
    expect(msgs[0]!.device).toEqual({ subsystem: 'pci', device: '+pci:0000:00:19.0' });
    expect(msgs[1]!.caller).toBe('T42');
  });

  it('gives a record with a lost fragment as damaged, and records sequence gaps', async () => {
    const frags = extendedDatagrams(ext(2, 'q'.repeat(2500)));
    expect(frags.length).toBe(3);
    const gaps: [bigint, bigint][] = [];
    const recs: NetconsoleRecord<number>[] = [];
    const s = new NetconsoleStream<number>((r) => recs.push(r), { gap: (a, b) => gaps.push([a, b]) });
    for (const d of [...extendedDatagrams(ext(1, 'a')), frags[0]!, frags[2]!, ...extendedDatagrams(ext(6, 'b'))]) s.push(d, 0);
    s.flush();
    const arrived = [frags[0]!, frags[2]!].reduce((sum, f) => sum + f.length - f.indexOf(';') - 1, 0);
    expect(recs.map((r) => [r.seq, r.problem])).toEqual([[1n, undefined], [6n, undefined], [2n, `ncfrag: ${arrived} of 2501 bytes arrived`]]);
    expect(gaps).toEqual([[2n, 5n]]);
  });

  it('tells senders apart and keeps each one a stream of its own', async () => {
    const a = legacyLog(OOPS).split('\n').filter(Boolean).map((l) => Buffer.from(`${l}\n`));
    const b = [ext(1, 'other machine, fine'), ext(2, 'still fine')].flatMap((r) => extendedDatagrams(r));
    const interleaved: Udp[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) interleaved.push({ src: '10.0.0.1', dst: '10.0.0.2', payload: a[i]! });
      if (b[i]) interleaved.push({ src: 'fd00::7', dst: 'fd00::2', payload: b[i]! });
    }
    const p = write({ datagrams: interleaved });
    const msgs = messagesOf((await readWith('pcap', p)).records);
    expect(msgs.map((m) => m.source.id)).toEqual([...Array(OOPS.length).fill('10.0.0.1'), 'fd00::7', 'fd00::7']);
    const { incidents } = await analyze([p]);
    expect(incidents.map((i) => [i.kind, i.title, i.firstOops?.function])).toEqual([['oops', 'BUG: unable to handle kernel NULL pointer dereference in forge_deref', 'forge_deref']]);
  });

  it('reads a cut capture up to the damage and says where it is', async () => {
    const full = buildCapture({ datagrams: udp('10.0.0.1', [ext(1, 'one'), ext(2, 'two')].flatMap((r) => extendedDatagrams(r))) });
    const p = join(dir, 'cut.pcap');
    writeFileSync(p, full.subarray(0, full.length - 10));
    const { records, problems } = await readWith('pcap', p);
    expect(messagesOf(records).map((m) => m.text)).toEqual(['one']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/capture cut/);
  });

  it('skips UDP that is not netconsole, and takes option port', async () => {
    const dns = { src: '10.0.0.1', dst: '10.0.0.53', sport: 40000, dport: 53, payload: Buffer.from('not a log') };
    const log = { src: '10.0.0.1', dst: '10.0.0.2', sport: 5555, dport: 514, payload: Buffer.from('[    1.000000] hello\n') };
    const p = write({ datagrams: [dns, log] });
    expect(messagesOf((await readWith('pcap', p)).records)).toEqual([]);
    expect(messagesOf((await readWith('pcap', p, { port: 514 })).records).map((m) => m.text)).toEqual(['hello']);
  });
});
