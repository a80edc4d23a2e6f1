// tcpdump/tshark captures of netconsole traffic (drivers/net/netconsole.c): legacy and
// extended formats, ncfrag fragments joined, one stream per sender address.
import { lazyRead, type Backend } from '../../src/backend.js';
import { captureKind } from './packets.js';

export const pcap: Backend = {
  id: 'pcap',
  summary: 'tcpdump/tshark capture (pcap, pcapng) of netconsole traffic, legacy or extended; option port (UDP destination ports, default 6666 or any extended-format datagram)',
  options: [{ key: 'port', kind: 'list' }],
  probe(p) {
    if (p.isDirectory) return 0;
    // The magic alone: any capture is ours to look through for netconsole datagrams.
    return captureKind(p.head) ? 0.9 : 0;
  },
  read: lazyRead(async () => (await import('./read.js')).readPcap),
};
