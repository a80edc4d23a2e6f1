// Capture file and packet header layouts.
//   pcap: https://www.tcpdump.org/manpages/pcap-savefile.5.html, draft-ietf-opsawg-pcap
//     (magic 0xa1b2c3d4 microseconds, 0xa1b23c4d nanoseconds, in the writer's byte order).
//   pcapng: draft-ietf-opsawg-pcapng (SHB 0x0a0d0d0a with byte-order magic 0x1a2b3c4d,
//     IDB 1, SPB 3, EPB 6, obsolete PB 2; if_tsresol option 9).
//   Link types: https://www.tcpdump.org/linktypes.html (1 Ethernet, 113 LINUX_SLL,
//     276 LINUX_SLL2, 101 RAW, 228 IPV4, 229 IPV6, 0 NULL, 12 RAW on OpenBSD).
//   Ethernet/VLAN (IEEE 802.3, 802.1Q), IPv4 (RFC 791), IPv6 (RFC 8200), UDP (RFC 768):
//     network byte order.
import { struct } from '../../src/util/struct.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const PCAPNG_IDB = 1;
export const PCAPNG_PB = 2;
export const PCAPNG_SPB = 3;
export const PCAPNG_EPB = 6;
export const PCAPNG_OPT_TSRESOL = 9;

/** Largest packet or block read: snaplen 262144 (tcpdump's maximum) with room for pcapng. */
export const MAX_PACKET_BYTES = 1 << 20;
/** Interfaces one pcapng section may declare. */
export const MAX_INTERFACES = 4096;

export const pcapFileHeader = struct('pcap_file_header', [
  ['magic', 'u32'],
  ['versionMajor', 'u16'],
  ['versionMinor', 'u16'],
  ['thiszone', 'i32'],
  ['sigfigs', 'u32'],
  ['snaplen', 'u32'],
  ['linktype', 'u32'],
] as const);

export const pcapRecordHeader = struct('pcap_pkthdr', [
  ['tsSec', 'u32'],
  ['tsFrac', 'u32'],
  ['inclLen', 'u32'],
  ['origLen', 'u32'],
] as const);

/** Every pcapng block starts so, and repeats totalLength at its end. */
export const pcapngBlockHeader = struct('pcapng_block', [
  ['type', 'u32'],
  ['totalLength', 'u32'],
] as const);

export const pcapngIdb = struct('pcapng_idb', [
  ['linktype', 'u16'],
  ['reserved', 'u16'],
  ['snaplen', 'u32'],
] as const);

export const pcapngEpb = struct('pcapng_epb', [
  ['interfaceId', 'u32'],
  ['tsHigh', 'u32'],
  ['tsLow', 'u32'],
  ['capLen', 'u32'],
  ['origLen', 'u32'],
] as const);

export const pcapngPb = struct('pcapng_pb', [
  ['interfaceId', 'u16'],
  ['dropsCount', 'u16'],
  ['tsHigh', 'u32'],
  ['tsLow', 'u32'],
  ['capLen', 'u32'],
  ['origLen', 'u32'],
] as const);

export const LINKTYPE = { NULL: 0, ETHERNET: 1, RAW_OPENBSD: 12, RAW: 101, LINUX_SLL: 113, IPV4: 228, IPV6: 229, LINUX_SLL2: 276 } as const;

export const ETHERTYPE = { IPV4: 0x0800, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8, VLAN_9100: 0x9100 } as const;

export const ethernetHeader = struct('ethhdr', [
  ['dst', { bytes: 6 }],
  ['src', { bytes: 6 }],
  ['type', 'u16'],
] as const);

/** 802.1Q tag after the source address: TCI, then the inner ethertype. */
export const vlanTag = struct('vlan_tag', [
  ['tci', 'u16'],
  ['type', 'u16'],
] as const);

/** libpcap's sll_header (pcap/sll.h). */
export const sllHeader = struct('sll_header', [
  ['pkttype', 'u16'],
  ['hatype', 'u16'],
  ['halen', 'u16'],
  ['addr', { bytes: 8 }],
  ['protocol', 'u16'],
] as const);

/** libpcap's sll2_header (pcap/sll.h). */
export const sll2Header = struct('sll2_header', [
  ['protocol', 'u16'],
  ['reserved', 'u16'],
  ['ifindex', 'u32'],
  ['hatype', 'u16'],
  ['pkttype', 'u8'],
  ['halen', 'u8'],
  ['addr', { bytes: 8 }],
] as const);

/** struct iphdr without options (ihl gives their length). */
export const ipv4Header = struct('iphdr', [
  ['versionIhl', 'u8'],
  ['tos', 'u8'],
  ['totLen', 'u16'],
  ['id', 'u16'],
  ['fragOff', 'u16'],
  ['ttl', 'u8'],
  ['protocol', 'u8'],
  ['check', 'u16'],
  ['saddr', { bytes: 4 }],
  ['daddr', { bytes: 4 }],
] as const);
export const IP_MF = 0x2000;
export const IP_OFFMASK = 0x1fff;

export const ipv6Header = struct('ipv6hdr', [
  ['versionClassFlow', 'u32'],
  ['payloadLen', 'u16'],
  ['nexthdr', 'u8'],
  ['hopLimit', 'u8'],
  ['saddr', { bytes: 16 }],
  ['daddr', { bytes: 16 }],
] as const);

/** Extension headers walked to reach UDP (RFC 8200 4.1), and the fragment header. */
export const IPV6_EXT = { HOP_BY_HOP: 0, ROUTING: 43, FRAGMENT: 44, DEST_OPTS: 60 } as const;
export const MAX_IPV6_EXT_HEADERS = 8;
export const ipv6FragHeader = struct('frag_hdr', [
  ['nexthdr', 'u8'],
  ['reserved', 'u8'],
  ['fragOff', 'u16'],
  ['identification', 'u32'],
] as const);

export const IPPROTO_UDP = 17;

export const udpHeader = struct('udphdr', [
  ['source', 'u16'],
  ['dest', 'u16'],
  ['len', 'u16'],
  ['check', 'u16'],
] as const);

/** netconsole.c defaults: local port 6665, remote port 6666. */
export const NETCONSOLE_SRC_PORT = 6665;
export const NETCONSOLE_DST_PORT = 6666;
/** IP datagrams being reassembled at once, and the largest one. */
export const MAX_IP_REASSEMBLY = 64;
export const MAX_IP_DATAGRAM = 65535;
