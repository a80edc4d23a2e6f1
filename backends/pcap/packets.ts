// The packets of a capture file, classic pcap (either byte order, micro- or nanosecond
// stamps) or pcapng (sections of either byte order, any number of interfaces), read by
// position a window at a time: a capture is never read whole.
import { InputFile } from '../../src/input/file.js';
import { Cursor } from '../../src/util/cursor.js';
import { FormatError, getSafeBound } from '../../src/util/errors.js';
import {
  MAX_INTERFACES, MAX_PACKET_BYTES, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_OPT_TSRESOL, PCAPNG_PB, PCAPNG_SHB,
  PCAPNG_SPB, PCAP_MAGIC_NS, PCAP_MAGIC_US, pcapFileHeader, pcapRecordHeader, pcapngBlockHeader, pcapngEpb, pcapngIdb, pcapngPb,
} from './layout.js';

export interface Packet {
  /** Byte offset of the packet's record (pcap) or block (pcapng) in the file. */
  offset: number;
  linktype: number;
  data: Uint8Array;
  /** Capture time, nanoseconds since the epoch. */
  timeNs?: bigint;
}

export type CaptureKind = 'pcap' | 'pcapng';

const WINDOW_BYTES = 1 << 20;

/** What the first four bytes say the file is. */
export function captureKind(head: Uint8Array): CaptureKind | undefined {
  if (head.length < 4) return undefined;
  const dv = new DataView(head.buffer, head.byteOffset, 4);
  for (const le of [true, false]) {
    const m = dv.getUint32(0, le);
    if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS) return 'pcap';
  }
  return dv.getUint32(0, true) === PCAPNG_SHB ? 'pcapng' : undefined;
}

/** A window of the file: cursors over [pos, pos + n) without rereading what it holds. */
class Window {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  constructor(readonly file: InputFile) {}

  /** A cursor over n bytes at pos, or undefined when the file ends before them. */
  async at(pos: number, n: number, littleEndian: boolean): Promise<Cursor | undefined> {
    if (pos < this.start || pos + n > this.start + this.buf.length) {
      this.buf = await this.file.read(pos, Math.max(WINDOW_BYTES, n));
      this.start = pos;
    }
    if (pos + n > this.start + this.buf.length) return undefined;
    const o = pos - this.start;
    return new Cursor(this.buf.subarray(o, o + n), this.file.path, pos, littleEndian);
  }
}

export async function* readPackets(file: InputFile): AsyncGenerator<Packet> {
  const head = await file.read(0, 4);
  const kind = captureKind(head);
  if (kind === 'pcap') yield* classic(file);
  else if (kind === 'pcapng') yield* pcapng(file);
  else throw new FormatError(file.path, 0, 'not a pcap or pcapng capture');
}

async function* classic(file: InputFile): AsyncGenerator<Packet> {
  const w = new Window(file);
  const head = await file.read(0, 4);
  const magicLe = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  const le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
  const c = await w.at(0, pcapFileHeader.size, le);
  if (!c) throw new FormatError(file.path, 0, `pcap header: expected ${pcapFileHeader.size} bytes, have ${file.size}`);
  const h = pcapFileHeader.read(c);
  const fracNs = h.magic === PCAP_MAGIC_NS ? 1n : 1000n;
  // The upper bits carry the FCS length (pcap-savefile(5) LINKTYPE_FCS_*).
  const linktype = h.linktype & 0xffff;
  let pos = pcapFileHeader.size;
  while (pos < file.size) {
    const rc = await w.at(pos, pcapRecordHeader.size, le);
    if (!rc) throw new FormatError(file.path, pos, `record header: expected ${pcapRecordHeader.size} bytes, have ${file.size - pos}`);
    const r = pcapRecordHeader.read(rc);
    const len = getSafeBound(r.inclLen, MAX_PACKET_BYTES, 'captured length', file.path, pos + 8);
    const dc = await w.at(pos + pcapRecordHeader.size, len, le);
    if (!dc) throw new FormatError(file.path, pos, `packet: expected ${len} bytes, have ${file.size - pos - pcapRecordHeader.size} (capture cut)`);
    yield { offset: pos, linktype, data: dc.bytesView(len), timeNs: BigInt(r.tsSec) * 1_000_000_000n + BigInt(r.tsFrac) * fracNs };
    pos += pcapRecordHeader.size + len;
  }
}

interface Interface {
  linktype: number;
  /** Ticks per second of this interface's time stamps. */
  ticks: bigint;
}

async function* pcapng(file: InputFile): AsyncGenerator<Packet> {
  const w = new Window(file);
  let le = true;
  let ifaces: Interface[] = [];
  let pos = 0;
  while (pos + pcapngBlockHeader.size <= file.size) {
    const probe = await w.at(pos, 12, true);
    if (!probe) throw new FormatError(file.path, pos, `block header: expected 12 bytes, have ${file.size - pos}`);
    if (probe.u32() === PCAPNG_SHB) {
      probe.seek(8);
      le = probe.u32() === PCAPNG_BYTE_ORDER_MAGIC;
      ifaces = [];
    }
    const hc = (await w.at(pos, pcapngBlockHeader.size, le))!;
    const bh = pcapngBlockHeader.read(hc);
    const total = getSafeBound(bh.totalLength, MAX_PACKET_BYTES + 64, 'block length', file.path, pos + 4);
    if (total < 12 || total % 4 !== 0) throw new FormatError(file.path, pos + 4, `block length ${total} is not a multiple of 4 of at least 12`);
    const bc = await w.at(pos + 8, total - 12, le);
    if (!bc) throw new FormatError(file.path, pos, `block: expected ${total} bytes, have ${file.size - pos} (capture cut)`);
    if (bh.type === PCAPNG_IDB) {
      if (ifaces.length >= MAX_INTERFACES) throw new FormatError(file.path, pos, `more than ${MAX_INTERFACES} interfaces`);
      ifaces.push(readIdb(bc));
    } else if (bh.type === PCAPNG_EPB || bh.type === PCAPNG_PB) {
      const b = bh.type === PCAPNG_EPB ? pcapngEpb.read(bc) : pcapngPb.read(bc);
      const iface = ifaces[b.interfaceId];
      if (!iface) throw new FormatError(file.path, pos + 8, `packet on interface ${b.interfaceId}, of ${ifaces.length} declared`);
      const len = getSafeBound(b.capLen, bc.remaining, 'captured length', file.path, bc.fileOffset - 8);
      const ticks = (BigInt(b.tsHigh) << 32n) | BigInt(b.tsLow);
      yield { offset: pos, linktype: iface.linktype, data: bc.bytesView(len), timeNs: (ticks * 1_000_000_000n) / iface.ticks };
    } else if (bh.type === PCAPNG_SPB) {
      const iface = ifaces[0];
      if (!iface) throw new FormatError(file.path, pos + 8, 'simple packet before any interface');
      const origLen = bc.u32();
      yield { offset: pos, linktype: iface.linktype, data: bc.bytesView(Math.min(origLen, bc.remaining)) };
    }
    pos += total;
  }
}

/** An interface description: link type, and the time stamp resolution option. */
function readIdb(c: Cursor): Interface {
  const idb = pcapngIdb.read(c);
  let ticks = 1_000_000n;
  for (let n = 0; c.remaining >= 4 && n < 256; n++) {
    const code = c.u16();
    const len = c.u16();
    if (code === 0 || len > c.remaining) break;
    const value = c.bytesView(len);
    c.skip(Math.min((4 - (len % 4)) % 4, c.remaining));
    if (code === PCAPNG_OPT_TSRESOL && len >= 1) {
      const v = value[0]!;
      const exp = BigInt(Math.min(v & 0x7f, 63));
      ticks = v & 0x80 ? 1n << exp : 10n ** exp;
      if (ticks === 0n) ticks = 1_000_000n;
    }
  }
  return { linktype: idb.linktype, ticks };
}
