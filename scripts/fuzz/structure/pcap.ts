// Captures of netconsole traffic (backends/pcap/layout.ts names the layouts): classic
// pcap records and pcapng blocks, the IP and UDP headers of each frame, and the
// netconsole extended header in its payload (drivers/net/netconsole.c,
// "<pri>,<seq>,<usec>,<flag>[,ncfrag=<off>/<len>];"). Lies: a record's incl_len and
// orig_len, a block's type and length (at its head or its trailer), an EPB's captured
// length and interface, an IDB's link type, a section's byte-order magic; IPv4 total
// length, header length and fragment offset (and the more-fragments bit), IPv6 payload
// length and next header, UDP length; a header field of the same width with another
// value (a seq far ahead or repeated, a fragment past its total, a total of 0).
import { captureKind } from '../../../backends/pcap/packets.js';
import {
  LINKTYPE, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_PB, PCAPNG_SHB, PCAPNG_SPB, pcapFileHeader, pcapRecordHeader,
  pcapngEpb, ipv6Header, udpHeader,
} from '../../../backends/pcap/layout.js';
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU16, lieU32 } from './lies.js';
import type { StructureMutator } from './types.js';

/** Captures among the seeds are tens of KiB; read at most this much to find their frames. */
const MAX_SCAN_BYTES = 16 << 20;
const MAX_FRAMES = 8192;

interface Frame {
  /** The record (pcap) or block (pcapng) holding the frame, its length field, and its byte order. */
  rec: number;
  le: boolean;
  blockType?: number;
  /** The frame's bytes in the file, and the IP header in it (when the link is one we know). */
  data: number;
  len: number;
  ip?: number;
}

/** Where the IP header starts in a frame of this link type (Ethernet: after any 802.1Q tags). */
function ipStart(b: Buffer, linktype: number, data: number, len: number): number | undefined {
  const base = { [LINKTYPE.ETHERNET]: 14, [LINKTYPE.LINUX_SLL]: 16, [LINKTYPE.LINUX_SLL2]: 20, [LINKTYPE.RAW]: 0, [LINKTYPE.IPV4]: 0, [LINKTYPE.IPV6]: 0, [LINKTYPE.NULL]: 4 }[linktype];
  if (base === undefined) return undefined;
  let at = data + base;
  if (linktype === LINKTYPE.ETHERNET) for (let n = 0; n < 4 && at + 2 <= data + len && [0x8100, 0x88a8, 0x9100].includes(b.readUInt16BE(at - 2)); n++) at += 4;
  return at < data + len ? at : undefined;
}

function frames(b: Buffer): Frame[] {
  const out: Frame[] = [];
  if (captureKind(b) === 'pcap') {
    const le = b.readUInt32LE(0) === 0xa1b2c3d4 || b.readUInt32LE(0) === 0xa1b23c4d;
    const linktype = (le ? b.readUInt32LE(20) : b.readUInt32BE(20)) & 0xffff;
    for (let pos = pcapFileHeader.size; pos + pcapRecordHeader.size <= b.length && out.length < MAX_FRAMES;) {
      const len = le ? b.readUInt32LE(pos + 8) : b.readUInt32BE(pos + 8);
      const data = pos + pcapRecordHeader.size;
      if (data + len > b.length) break;
      out.push({ rec: pos, le, data, len, ...(ipOf(b, linktype, data, len)) });
      pos = data + len;
    }
    return out;
  }
  let le = true;
  let links: number[] = [];
  for (let pos = 0; pos + 12 <= b.length && out.length < MAX_FRAMES;) {
    if (b.readUInt32LE(pos) === PCAPNG_SHB) {
      le = b.readUInt32LE(pos + 8) === PCAPNG_BYTE_ORDER_MAGIC;
      links = [];
    }
    const u32 = (at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
    const type = u32(pos);
    const total = u32(pos + 4);
    if (total < 12 || pos + total > b.length) break;
    if (type === PCAPNG_IDB) links.push(le ? b.readUInt16LE(pos + 8) : b.readUInt16BE(pos + 8));
    const head = type === PCAPNG_EPB || type === PCAPNG_PB ? 8 + pcapngEpb.size : type === PCAPNG_SPB ? 12 : 0;
    if (head) {
      const len = type === PCAPNG_SPB ? total - 16 : Math.min(u32(pos + 20), total - head - 4);
      const link = links[type === PCAPNG_EPB ? u32(pos + 8) : 0] ?? LINKTYPE.ETHERNET;
      out.push({ rec: pos, le, blockType: type, data: pos + head, len, ...(ipOf(b, link, pos + head, len)) });
    } else out.push({ rec: pos, le, blockType: type, data: pos + 8, len: total - 12 });
    pos += total;
  }
  return out;
}

const ipOf = (b: Buffer, link: number, data: number, len: number): { ip?: number } => {
  const ip = ipStart(b, link, data, len);
  return ip === undefined ? {} : { ip };
};

/** The UDP header of the frame's IP packet (first fragments only), or undefined. */
function udpOf(b: Buffer, ip: number): number | undefined {
  const v = b[ip]! >> 4;
  if (v === 4 && b[ip + 9] === 17 && (b.readUInt16BE(ip + 6) & 0x1fff) === 0) return ip + (b[ip]! & 15) * 4;
  if (v === 6 && b[ip + 6] === 17) return ip + ipv6Header.size;
  if (v === 6 && b[ip + 6] === 44 && (b.readUInt16BE(ip + 42) & 0xfff8) === 0) return ip + ipv6Header.size + 8;
  return undefined;
}

const be16 = (edit: FileEdit, at: number, v: number) => edit.write(at, Uint8Array.of((v >> 8) & 0xff, v & 0xff));
const u32As = (edit: FileEdit, at: number, v: number, le: boolean) => {
  const x = Buffer.alloc(4);
  if (le) x.writeUInt32LE(v >>> 0);
  else x.writeUInt32BE(v >>> 0);
  edit.write(at, x);
};

function lieInCapture(edit: FileEdit, b: Buffer, f: Frame, rng: Rng): string {
  const r32 = (at: number) => (f.le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const left = b.length - f.data;
  if (f.blockType === undefined) {
    const field = rng.chance(0.7) ? 8 : 12;
    const v = lieU32(rng, r32(f.rec + field), [left, f.len, 1 << 20, 262144, 0]);
    u32As(edit, f.rec + field, v, f.le);
    return `record at 0x${f.rec.toString(16)}: ${field === 8 ? 'incl_len' : 'orig_len'} ${r32(f.rec + field)} -> ${v}`;
  }
  const total = r32(f.rec + 4);
  switch (rng.int(6)) {
    case 0: case 1: {
      const trailer = rng.chance(0.3);
      const at = trailer ? f.rec + total - 4 : f.rec + 4;
      const v = lieU32(rng, total, [b.length - f.rec, 12, 16, total + 4, total - 4, (1 << 20) + 64]);
      u32As(edit, at, v, f.le);
      return `block at 0x${f.rec.toString(16)}: ${trailer ? 'trailing ' : ''}total length ${total} -> ${v}`;
    }
    case 2: {
      const v = rng.pick([PCAPNG_SHB, PCAPNG_IDB, PCAPNG_PB, PCAPNG_SPB, PCAPNG_EPB, 0, 5, 0x80000001, 0xffffffff]);
      u32As(edit, f.rec, v, f.le);
      return `block at 0x${f.rec.toString(16)}: type ${r32(f.rec)} -> 0x${v.toString(16)}`;
    }
    case 3: {
      if (f.blockType === PCAPNG_EPB) {
        const v = lieU32(rng, f.len, [total - 32, total, 0]);
        u32As(edit, f.rec + 20, v, f.le);
        return `EPB at 0x${f.rec.toString(16)}: captured length ${f.len} -> ${v}`;
      }
      if (f.blockType === PCAPNG_IDB) {
        const v = rng.pick([0, 1, 101, 113, 228, 229, 276, 12, 0xffff]);
        edit.write(f.rec + 8, f.le ? Uint8Array.of(v & 0xff, v >> 8) : Uint8Array.of(v >> 8, v & 0xff));
        return `IDB at 0x${f.rec.toString(16)}: link type -> ${v}`;
      }
      if (f.blockType === PCAPNG_SHB) {
        const v = rng.pick([0x4d3c2b1a, 0, PCAPNG_BYTE_ORDER_MAGIC]);
        edit.u32(f.rec + 8, v);
        return `SHB at 0x${f.rec.toString(16)}: byte-order magic -> 0x${v.toString(16)}`;
      }
      return lieInCapture(edit, b, { ...f, blockType: PCAPNG_EPB }, rng);
    }
    default: {
      if (f.blockType !== PCAPNG_EPB) return lieInCapture(edit, b, f, rng);
      const v = lieU32(rng, r32(f.rec + 8), [1, 2, 4096]);
      u32As(edit, f.rec + 8, v, f.le);
      return `EPB at 0x${f.rec.toString(16)}: interface ${r32(f.rec + 8)} -> ${v}`;
    }
  }
}

function lieInIp(edit: FileEdit, b: Buffer, ip: number, rng: Rng): string {
  const at = `IP at 0x${ip.toString(16)}`;
  const udp = udpOf(b, ip);
  if (udp !== undefined && rng.chance(0.3)) {
    const cur = b.readUInt16BE(udp + 4);
    const v = lieU16(rng, cur, [0, 7, 8, cur - 8, cur + 8, 65535 - 8]);
    be16(edit, udp + 4, v);
    return `UDP at 0x${udp.toString(16)}: length ${cur} -> ${v}`;
  }
  if (b[ip]! >> 4 === 6) {
    if (rng.chance(0.5)) {
      const cur = b.readUInt16BE(ip + 4);
      const v = lieU16(rng, cur, [0, 8, cur + 8, cur - 8]);
      be16(edit, ip + 4, v);
      return `${at}: IPv6 payload length ${cur} -> ${v}`;
    }
    const v = rng.pick([0, 43, 44, 60, 17, 59]);
    edit.write(ip + 6, Uint8Array.of(v));
    return `${at}: IPv6 next header ${b[ip + 6]} -> ${v}`;
  }
  switch (rng.int(3)) {
    case 0: {
      const cur = b.readUInt16BE(ip + 2);
      const v = lieU16(rng, cur, [0, 20, 19, 28, cur + 8, cur - 8, 65535]);
      be16(edit, ip + 2, v);
      return `${at}: IPv4 total length ${cur} -> ${v}`;
    }
    case 1: {
      const v = rng.pick([0x40, 0x44, 0x46, 0x4f, 0x65, 0x55]);
      edit.write(ip, Uint8Array.of(v));
      return `${at}: IPv4 version/IHL 0x${b[ip]!.toString(16)} -> 0x${v.toString(16)}`;
    }
    default: {
      // A fragment offset (in 8-byte units) at the edges, and the more-fragments bit either way.
      const off = rng.pick([0, 1, 2, 8, 185, 0x1ff, 0x1fff, 8190]);
      const v = (rng.chance(0.5) ? 0x2000 : 0) | off;
      be16(edit, ip + 6, v);
      return `${at}: IPv4 fragment field 0x${b.readUInt16BE(ip + 6).toString(16)} -> 0x${v.toString(16)}`;
    }
  }
}

/** The same width, another value: digits kept as digits (or one made a letter), so the header still parses or only just fails. */
function lieInNetconsole(edit: FileEdit, b: Buffer, payload: number, rng: Rng): string | undefined {
  const head = b.subarray(payload, Math.min(b.length, payload + 256)).toString('latin1');
  const semi = head.indexOf(';');
  const m = /^(?:[^,;]*,)?(\d+),(\d+),(\d+),([^,;]+)/.exec(head.slice(0, Math.max(0, semi)));
  if (semi < 7 || !m) return undefined;
  const fields: { name: string; at: number; text: string }[] = [];
  let from = 0;
  for (const [i, name] of ['pri', 'seq', 'usec', 'flag'].entries()) {
    const at = head.indexOf(m[i + 1]!, from);
    fields.push({ name, at, text: m[i + 1]! });
    from = at + m[i + 1]!.length;
  }
  const frag = /ncfrag=(\d+)\/(\d+)/.exec(head.slice(0, semi));
  if (frag) {
    const at = head.indexOf(frag[0]) + 7;
    fields.push({ name: 'ncfrag offset', at, text: frag[1]! }, { name: 'ncfrag total', at: at + frag[1]!.length + 1, text: frag[2]! });
  }
  const f = rng.pick(fields);
  const w = f.text.length;
  const v = f.name === 'flag'
    ? rng.pick(['c', '+', 'x', ',', '\0']).padEnd(w, '-')
    : rng.pick(['9'.repeat(w), '0'.repeat(w), '1'.padStart(w, '0'), 'x'.padStart(w, '9'), String(Number(f.text) + 1).slice(-w).padStart(w, '0'), f.text.split('').reverse().join('')]);
  edit.write(payload + f.at, Buffer.from(v, 'latin1'));
  return `netconsole header at 0x${payload.toString(16)}: ${f.name} ${f.text} -> ${JSON.stringify(v)}`;
}

export const pcap: StructureMutator = {
  id: 'pcap',
  scope: 'file',
  weight: 2,
  fits: (_path, head) => captureKind(head) !== undefined,
  async mutate({ edit, rng }) {
    if (!edit || edit.size > MAX_SCAN_BYTES) return undefined;
    const b = edit.read(0, edit.size);
    const all = frames(b);
    if (!all.length) return undefined;
    const withIp = all.filter((f) => f.ip !== undefined);
    const netconsole = withIp.map((f) => udpOf(b, f.ip!)).filter((u): u is number => u !== undefined && u + udpHeader.size + 8 <= b.length && b.readUInt16BE(u + 2) !== 53);
    const kind = rng.int(3);
    if (kind === 2 && netconsole.length) {
      // Frames with an extended header first: the ones a lie in the header can reach.
      for (let tries = 0; tries < 8; tries++) {
        const what = lieInNetconsole(edit, b, rng.pick(netconsole) + udpHeader.size, rng);
        if (what) return what;
      }
    }
    if (kind >= 1 && withIp.length) return lieInIp(edit, b, rng.pick(withIp).ip!, rng);
    return lieInCapture(edit, b, rng.pick(all), rng);
  },
};
