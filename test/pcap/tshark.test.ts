// Differential test against tshark (Debian package "tshark"): every UDP datagram tshark
// dissects in a capture, with its source and ports and payload, is what backends/pcap's
// frame decoder gives, for the corpus capture and for built captures across the link
// types, byte orders, formats, IP versions and IP fragmentation the backend reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../backends/pcap/decode.js';
import { readPackets } from '../../backends/pcap/packets.js';
import { InputFile } from '../../src/input/file.js';
import { buildCapture, extendedDatagrams, legacyDatagrams, type CaptureSpec } from '../builders/pcap.js';
import { fixture } from '../corpus.js';

const hasTshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasTshark) console.warn('tshark not installed (apt-get install tshark): the differential pcap tests are skipped');

/** "src sport dport payloadhex" per UDP datagram, as tshark dissects the file. */
function tsharkDatagrams(path: string): string[] {
  const r = spawnSync('tshark', ['--disable-protocol', 'adwin_config', '-r', path, '-Y', 'udp && !icmp && !icmpv6', '-T', 'fields', '-E', 'separator=/t',
    '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'udp.payload'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean).map((l) => {
    const [ip4, ip6, sport, dport, payload] = l.split('\t');
    return `${ip4 || ip6} ${sport} ${dport} ${payload ?? ''}`;
  });
}

async function ourDatagrams(path: string): Promise<string[]> {
  const out: string[] = [];
  const file = await InputFile.open(path);
  const dec = new FrameDecoder(path);
  try {
    for await (const p of readPackets(file)) {
      const d = dec.decode(p.linktype, p.data, p.offset);
      if (d && !('damaged' in d)) out.push(`${d.src} ${d.sport} ${d.dport} ${Buffer.from(d.payload).toString('hex')}`);
    }
  } finally {
    await file.close();
  }
  return out;
}

describe.skipIf(!hasTshark)('pcap decoding agrees with tshark', () => {
  it('on the corpus capture (434 netconsole datagrams)', async () => {
    const p = fixture('pcap', 'netconsole-extended', 'netconsole.pcap');
    const theirs = tsharkDatagrams(p);
    expect(theirs.length).toBe(434);
    expect(await ourDatagrams(p)).toEqual(theirs);
  });

  const dir = mkdtempSync(join(tmpdir(), 'crashlog-tshark-'));
  const datagrams = (src: string, dst: string) => [
    ...legacyDatagrams(`[    1.000000] ${'L'.repeat(2100)}\n`),
    ...extendedDatagrams({ pri: 4, seq: 9, tsUs: 77, text: `é${'x'.repeat(1500)}` }, { release: '6.12.0', userdata: ' k=v\n' }),
    Buffer.from('6,10,78,-;short\n'),
  ].map((payload, i) => ({ src, dst, sport: 6665 + (i % 2), dport: 6666, payload }));
  const specs: Partial<CaptureSpec>[] = [
    {}, { bigEndian: true }, { nanoseconds: true }, { link: 'vlan' }, { link: 'sll' }, { link: 'sll2' }, { link: 'raw' },
    { format: 'pcapng' }, { format: 'pcapng', bigEndian: true, link: 'sll' }, { mtu: 576 }, { mtu: 1280, format: 'pcapng' },
  ];
  // IPv4 and IPv6 alternate over the variants (each tshark run costs seconds), both for fragments.
  specs.forEach((spec, i) => {
    for (const v6 of spec.mtu ? [false, true] : [i % 2 === 1]) {
      it(`on a built capture ${JSON.stringify(spec)} ${v6 ? 'IPv6' : 'IPv4'}`, async () => {
        const p = join(dir, `s${i}${v6 ? '6' : '4'}.pcap`);
        writeFileSync(p, buildCapture({ ...spec, datagrams: v6 ? datagrams('2001:db8::15', '2001:db8::2') : datagrams('192.0.2.15', '192.0.2.2') }));
        const theirs = tsharkDatagrams(p);
        expect(theirs.length).toBe(6);
        expect(await ourDatagrams(p)).toEqual(theirs);
      });
    }
  });
});
