// Captures of netconsole traffic for edge cases: the datagrams netconsole.c would send
// (legacy pieces, extended records with release, userdata, sysdata and ncfrag fragments),
// framed as Ethernet / Linux cooked / raw IPv4 or IPv6 (optionally IP-fragmented), written
// as classic pcap (either byte order, us or ns) or pcapng.

export const CHUNK = 1000; // MAX_PRINT_CHUNK

/** send_msg_udp: the console text cut into 1000-byte pieces, no marker. */
export function legacyDatagrams(consoleText: string): Buffer[] {
  const b = Buffer.from(consoleText);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += CHUNK) out.push(b.subarray(i, i + CHUNK));
  return out;
}

/** printk's msg_add_ext_text escaping. */
export function kmsgEscape(text: string): string {
  let s = '';
  for (const c of Buffer.from(text)) s += c < 0x20 || c >= 0x7f || c === 0x5c ? `\\x${c.toString(16).padStart(2, '0')}` : String.fromCharCode(c);
  return s;
}

export interface ExtRecord {
  pri: number;
  seq: number;
  tsUs: number;
  text: string;
  dict?: [string, string][];
  caller?: string;
}

/** send_ext_msg_udp as of Linux 6.15 (release, userdata, sysdata; send_fragmented_body). */
export function extendedDatagrams(r: ExtRecord, opts: { release?: string; userdata?: string; sysdata?: string } = {}): Buffer[] {
  const header = `${r.pri},${r.seq},${r.tsUs},-${r.caller ? `,caller=${r.caller}` : ''}`;
  let body = `${kmsgEscape(r.text)}\n`;
  for (const [k, v] of r.dict ?? []) body += ` ${k}=${kmsgEscape(v)}\n`;
  const extra = (opts.userdata ?? '') + (opts.sysdata ?? '');
  const rel = opts.release ? `${opts.release},` : '';
  const whole = Buffer.from(`${header};${body}`, 'latin1');
  if (whole.length + rel.length + extra.length <= CHUNK) return [Buffer.from(`${rel}${header};${body}${extra}`, 'latin1')];
  const data = Buffer.from(body + extra, 'latin1');
  const out: Buffer[] = [];
  for (let sent = 0; sent < data.length; ) {
    const head = `${rel}${header},ncfrag=${sent}/${data.length};`;
    const n = Math.min(data.length - sent, CHUNK - head.length);
    out.push(Buffer.concat([Buffer.from(head, 'latin1'), data.subarray(sent, sent + n)]));
    sent += n;
  }
  return out;
}

export type Addr = string; // "10.0.0.1" or "fd00::1"
export interface Udp {
  src: Addr;
  dst: Addr;
  sport?: number;
  dport?: number;
  payload: Buffer;
}

function ipBytes(a: Addr): Buffer {
  if (!a.includes(':')) return Buffer.from(a.split('.').map(Number));
  const [l, r] = a.split('::') as [string, string | undefined];
  const left = l ? l.split(':') : [];
  const right = r ? r.split(':') : [];
  const groups = r === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
  return b;
}

function udpBytes(u: Udp): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(u.sport ?? 6665, 0);
  h.writeUInt16BE(u.dport ?? 6666, 2);
  h.writeUInt16BE(8 + u.payload.length, 4);
  return Buffer.concat([h, u.payload]);
}

let ipId = 1;

/** IP packets carrying the datagram; `mtu` cuts it into IP fragments. */
export function ipPackets(u: Udp, mtu = 65535): Buffer[] {
  const udp = udpBytes(u);
  const v6 = u.src.includes(':');
  const id = ipId++;
  const room = (mtu - (v6 ? 48 : 20)) & ~7;
  const pieces: [number, Buffer, boolean][] = [];
  if (udp.length <= mtu - (v6 ? 40 : 20)) pieces.push([0, udp, false]);
  else for (let o = 0; o < udp.length; o += room) pieces.push([o, udp.subarray(o, o + room), o + room < udp.length]);
  const frag = pieces.length > 1;
  return pieces.map(([off, data, more]) => {
    if (!v6) {
      const h = Buffer.alloc(20);
      h[0] = 0x45;
      h.writeUInt16BE(20 + data.length, 2);
      h.writeUInt16BE(id & 0xffff, 4);
      h.writeUInt16BE((more ? 0x2000 : 0) | (off / 8), 6);
      h[8] = 64;
      h[9] = 17;
      ipBytes(u.src).copy(h, 12);
      ipBytes(u.dst).copy(h, 16);
      return Buffer.concat([h, data]);
    }
    const h = Buffer.alloc(40);
    h.writeUInt32BE(0x60000000, 0);
    h.writeUInt16BE(data.length + (frag ? 8 : 0), 4);
    h[6] = frag ? 44 : 17;
    h[7] = 32;
    ipBytes(u.src).copy(h, 8);
    ipBytes(u.dst).copy(h, 24);
    if (!frag) return Buffer.concat([h, data]);
    const f = Buffer.alloc(8);
    f[0] = 17;
    f.writeUInt16BE(off | (more ? 1 : 0), 2);
    f.writeUInt32BE(id, 4);
    return Buffer.concat([h, f, data]);
  });
}

export type Link = 'ethernet' | 'vlan' | 'sll' | 'sll2' | 'raw';
export const LINKTYPES: Record<Link, number> = { ethernet: 1, vlan: 1, sll: 113, sll2: 276, raw: 101 };

export function frame(link: Link, ip: Buffer): Buffer {
  const v6 = ip[0]! >> 4 === 6;
  const type = v6 ? 0x86dd : 0x0800;
  switch (link) {
    case 'ethernet':
    case 'vlan': {
      const tag = link === 'vlan' ? Buffer.from([0x81, 0x00, 0x00, 0x07]) : Buffer.alloc(0);
      const t = Buffer.alloc(2);
      t.writeUInt16BE(type);
      const f = Buffer.concat([Buffer.alloc(6, 0xff), Buffer.from([0x52, 0x54, 0, 0x12, 0x34, 0x56]), tag, t, ip]);
      return f.length < 60 ? Buffer.concat([f, Buffer.alloc(60 - f.length)]) : f; // Ethernet padding
    }
    case 'sll': {
      const h = Buffer.alloc(16);
      h.writeUInt16BE(4, 0);
      h.writeUInt16BE(1, 2);
      h.writeUInt16BE(6, 4);
      h.writeUInt16BE(type, 14);
      return Buffer.concat([h, ip]);
    }
    case 'sll2': {
      const h = Buffer.alloc(20);
      h.writeUInt16BE(type, 0);
      h.writeUInt32BE(2, 4);
      h.writeUInt16BE(1, 8);
      h[11] = 6;
      return Buffer.concat([h, ip]);
    }
    case 'raw':
      return ip;
  }
}

export interface CaptureSpec {
  link?: Link;
  format?: 'pcap' | 'pcapng';
  bigEndian?: boolean;
  nanoseconds?: boolean;
  /** IP MTU: larger datagrams go as IP fragments. */
  mtu?: number;
  datagrams: Udp[];
}

/** The capture file, and the UDP datagrams in it in order (what tshark should list). */
export function buildCapture(spec: CaptureSpec): Buffer {
  const link = spec.link ?? 'ethernet';
  const frames = spec.datagrams.flatMap((u) => ipPackets(u, spec.mtu).map((ip) => frame(link, ip)));
  const w = (n: number, size: 2 | 4) => {
    const b = Buffer.alloc(size);
    if (size === 2) spec.bigEndian ? b.writeUInt16BE(n) : b.writeUInt16LE(n);
    else spec.bigEndian ? b.writeUInt32BE(n >>> 0) : b.writeUInt32LE(n >>> 0);
    return b;
  };
  const parts: Buffer[] = [];
  if ((spec.format ?? 'pcap') === 'pcap') {
    parts.push(w(spec.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 4), w(2, 2), w(4, 2), w(0, 4), w(0, 4), w(262144, 4), w(LINKTYPES[link], 4));
    frames.forEach((f, i) => parts.push(w(1_790_000_000 + i, 4), w(i * 1000, 4), w(f.length, 4), w(f.length, 4), f));
    return Buffer.concat(parts);
  }
  const block = (type: number, body: Buffer) => {
    const pad = Buffer.alloc((4 - (body.length % 4)) % 4);
    const len = 12 + body.length + pad.length;
    return Buffer.concat([w(type, 4), w(len, 4), body, pad, w(len, 4)]);
  };
  const tsresol = Buffer.concat([w(9, 2), w(1, 2), Buffer.from([9, 0, 0, 0]), w(0, 2), w(0, 2)]);
  parts.push(block(0x0a0d0d0a, Buffer.concat([w(0x1a2b3c4d, 4), w(1, 2), w(0, 2), Buffer.alloc(8, 0xff)])));
  parts.push(block(1, Buffer.concat([w(LINKTYPES[link], 2), w(0, 2), w(262144, 4), tsresol])));
  frames.forEach((f, i) => {
    const ts = BigInt(1_790_000_000 + i) * 1_000_000_000n;
    parts.push(block(6, Buffer.concat([w(0, 4), w(Number(ts >> 32n), 4), w(Number(ts & 0xffffffffn), 4), w(f.length, 4), w(f.length, 4), f])));
  });
  return Buffer.concat(parts);
}
