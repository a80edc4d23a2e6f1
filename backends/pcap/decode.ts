// A captured frame down to its UDP datagram: link layer (Ethernet with VLAN tags, Linux
// cooked v1/v2, raw IP, BSD loopback), IPv4 or IPv6 (extension headers walked), IP
// fragments joined. Anything else is not netconsole and is skipped without a word.
import { Cursor } from '../../src/util/cursor.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import {
  ETHERTYPE, IPPROTO_UDP, IPV6_EXT, IP_MF, IP_OFFMASK, LINKTYPE, MAX_IPV6_EXT_HEADERS, MAX_IP_DATAGRAM, MAX_IP_REASSEMBLY,
  ethernetHeader, ipv4Header, ipv6FragHeader, ipv6Header, sll2Header, sllHeader, udpHeader, vlanTag,
} from './layout.js';

export interface Datagram {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  payload: Uint8Array;
}

/** What a frame held: a datagram, nothing of interest, or a damaged header (with why). */
export type Decoded = Datagram | undefined | { damaged: string };

interface Fragments {
  pieces: { offset: number; bytes: Uint8Array }[];
  /** Length of the whole datagram, once the last fragment came. */
  total?: number;
  got: number;
}

const MAX_VLAN_TAGS = 4;

export class FrameDecoder {
  private readonly reassembly = new Map<string, Fragments>();
  constructor(private readonly path: string) {}

  decode(linktype: number, data: Uint8Array, offset: number): Decoded {
    const quick = linktype === LINKTYPE.ETHERNET ? plainUdpOverIpv4(data) : undefined;
    if (quick) return quick;
    const c = new Cursor(data, this.path, offset, false);
    try {
      const ethertype = this.link(linktype, c);
      if (ethertype === ETHERTYPE.IPV4) return this.ipv4(c);
      if (ethertype === ETHERTYPE.IPV6) return this.ipv6(c);
      return undefined;
    } catch (err) {
      return { damaged: err instanceof FormatError ? err.detail : messageOf(err) };
    }
  }

  /** The ethertype of what follows the link header, the cursor left at it. */
  private link(linktype: number, c: Cursor): number | undefined {
    switch (linktype) {
      case LINKTYPE.ETHERNET: {
        let type = ethernetHeader.read(c).type;
        for (let n = 0; (type === ETHERTYPE.VLAN || type === ETHERTYPE.QINQ || type === ETHERTYPE.VLAN_9100) && n < MAX_VLAN_TAGS; n++) type = vlanTag.read(c).type;
        return type;
      }
      case LINKTYPE.LINUX_SLL:
        return sllHeader.read(c).protocol;
      case LINKTYPE.LINUX_SLL2:
        return sll2Header.read(c).protocol;
      case LINKTYPE.RAW:
      case LINKTYPE.RAW_OPENBSD:
        return c.remaining > 0 && c.bytes[c.pos]! >> 4 === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4;
      case LINKTYPE.IPV4:
        return ETHERTYPE.IPV4;
      case LINKTYPE.IPV6:
        return ETHERTYPE.IPV6;
      case LINKTYPE.NULL: {
        // The address family in the capturing host's byte order: AF_INET is 2 everywhere,
        // AF_INET6 is 10 (Linux), 24, 28 or 30 (the BSDs).
        const b = c.bytesView(4);
        const family = b[0] || b[3];
        return family === 2 ? ETHERTYPE.IPV4 : family === 10 || family === 24 || family === 28 || family === 30 ? ETHERTYPE.IPV6 : undefined;
      }
      default:
        return undefined;
    }
  }

  private ipv4(c: Cursor): Decoded {
    const start = c.pos;
    const h = ipv4Header.read(c);
    if (h.versionIhl >> 4 !== 4) return { damaged: `IPv4 version ${h.versionIhl >> 4}` };
    const ihl = (h.versionIhl & 15) * 4;
    if (ihl < ipv4Header.size || h.totLen < ihl) return { damaged: `IPv4 header length ${ihl}, total ${h.totLen}` };
    c.seek(start + ihl);
    // Frames are padded to 60 bytes; the IP length says where the datagram ends.
    const body = c.bytesView(Math.min(h.totLen - ihl, c.remaining));
    if (h.protocol !== IPPROTO_UDP) return undefined;
    const src = h.saddr.join('.');
    const dst = h.daddr.join('.');
    const fragOffset = (h.fragOff & IP_OFFMASK) * 8;
    const more = (h.fragOff & IP_MF) !== 0;
    const whole = fragOffset === 0 && !more ? body : this.join(`4 ${src} ${dst} ${h.id}`, fragOffset, more, body);
    return whole ? this.udp(whole, src, dst, c) : undefined;
  }

  private ipv6(c: Cursor): Decoded {
    const h = ipv6Header.read(c);
    if (h.versionClassFlow >>> 28 !== 6) return { damaged: `IPv6 version ${h.versionClassFlow >>> 28}` };
    const src = ipv6String(h.saddr);
    const dst = ipv6String(h.daddr);
    let body = new Cursor(c.bytesView(Math.min(h.payloadLen, c.remaining)), c.path, c.fileOffset, false);
    let next = h.nexthdr;
    for (let n = 0; n < MAX_IPV6_EXT_HEADERS; n++) {
      if (next === IPV6_EXT.FRAGMENT) {
        const f = ipv6FragHeader.read(body);
        const whole = this.join(`6 ${src} ${dst} ${f.identification}`, f.fragOff & 0xfff8, (f.fragOff & 1) !== 0, body.bytesView(body.remaining));
        if (!whole) return undefined;
        body = new Cursor(whole, c.path, c.fileOffset, false);
        next = f.nexthdr;
      } else if (next === IPV6_EXT.HOP_BY_HOP || next === IPV6_EXT.ROUTING || next === IPV6_EXT.DEST_OPTS) {
        next = body.u8();
        body.skip(body.u8() * 8 + 6);
      } else break;
    }
    return next === IPPROTO_UDP ? this.udp(body.bytesView(body.remaining), src, dst, c) : undefined;
  }

  private udp(ip: Uint8Array, src: string, dst: string, parent: Cursor): Decoded {
    const c = new Cursor(ip, parent.path, parent.base, false);
    const u = udpHeader.read(c);
    if (u.len < udpHeader.size) return { damaged: `UDP length ${u.len}` };
    const payload = c.bytesView(Math.min(u.len - udpHeader.size, c.remaining));
    return { src, dst, sport: u.source, dport: u.dest, payload };
  }

  /** Add a fragment; the whole datagram once every byte of it came. */
  private join(key: string, offset: number, more: boolean, bytes: Uint8Array): Uint8Array | undefined {
    let f = this.reassembly.get(key);
    if (!f) {
      if (this.reassembly.size >= MAX_IP_REASSEMBLY) this.reassembly.delete(this.reassembly.keys().next().value as string);
      f = { pieces: [], got: 0 };
      this.reassembly.set(key, f);
    }
    if (offset + bytes.length > MAX_IP_DATAGRAM || f.pieces.some((p) => p.offset === offset)) return undefined;
    f.pieces.push({ offset, bytes });
    f.got += bytes.length;
    if (!more) f.total = offset + bytes.length;
    if (f.total === undefined || f.got < f.total) return undefined;
    this.reassembly.delete(key);
    const out = new Uint8Array(f.total);
    for (const p of f.pieces) out.set(p.bytes.subarray(0, Math.max(0, f.total - p.offset)), p.offset);
    return out;
  }
}

const E = ethernetHeader.offsets;
const I = ipv4Header.offsets;
const U = udpHeader.offsets;

/**
 * The common frame, read in place (no cursor, no header objects): Ethernet without tags,
 * IPv4 of version 4 with sane lengths, not a fragment, carrying UDP whose length fits.
 * Anything else (or anything odd) is undefined, and goes the full way above, which
 * knows every layer and says what is damaged.
 */
function plainUdpOverIpv4(b: Uint8Array): Datagram | undefined {
  const ip = ethernetHeader.size;
  if (b.length < ip + ipv4Header.size + udpHeader.size || ((b[E.type]! << 8) | b[E.type + 1]!) !== ETHERTYPE.IPV4) return undefined;
  const ihl = (b[ip + I.versionIhl]! & 15) * 4;
  const totLen = (b[ip + I.totLen]! << 8) | b[ip + I.totLen + 1]!;
  const frag = (b[ip + I.fragOff]! << 8) | b[ip + I.fragOff + 1]!;
  if (b[ip + I.versionIhl]! >> 4 !== 4 || ihl < ipv4Header.size || totLen < ihl + udpHeader.size || b[ip + I.protocol] !== IPPROTO_UDP || (frag & (IP_MF | IP_OFFMASK)) !== 0) return undefined;
  const end = Math.min(b.length, ip + totLen);
  const u = ip + ihl;
  const ulen = (b[u + U.len]! << 8) | b[u + U.len + 1]!;
  if (u + udpHeader.size > end || ulen < udpHeader.size) return undefined;
  const s = ip + I.saddr;
  const d = ip + I.daddr;
  return {
    src: `${b[s]}.${b[s + 1]}.${b[s + 2]}.${b[s + 3]}`,
    dst: `${b[d]}.${b[d + 1]}.${b[d + 2]}.${b[d + 3]}`,
    sport: (b[u + U.source]! << 8) | b[u + U.source + 1]!,
    dport: (b[u + U.dest]! << 8) | b[u + U.dest + 1]!,
    payload: b.subarray(u + udpHeader.size, Math.min(end, u + ulen)),
  };
}

/** RFC 5952 text form: lowercase, the longest run of zero groups as "::". */
export function ipv6String(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
