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
import { MAX_DAMAGES, nextBlock, nextClassicRecord } from './resync.js';

export interface Packet {
  /** Byte offset of the packet's record (pcap) or block (pcapng) in the file. */
  offset: number;
  linktype: number;
  data: Uint8Array;
  /** Capture time, whole milliseconds since the epoch (what a Date holds). */
  timeMs?: number;
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
    if (pos < this.start || pos + n > this.start + this.buf.length) await this.load(pos, n);
    if (pos + n > this.start + this.buf.length) return undefined;
    const o = pos - this.start;
    return new Cursor(this.buf.subarray(o, o + n), this.file.path, pos, littleEndian);
  }

  /** The window holding n bytes at pos (read if need be) and where they start in it: no cursor made, for the per-record path. */
  async span(pos: number, n: number): Promise<{ buf: Uint8Array; dv: DataView; o: number } | undefined> {
    if (pos < this.start || pos + n > this.start + this.buf.length) await this.load(pos, n);
    return pos + n > this.start + this.buf.length ? undefined : { buf: this.buf, dv: this.dv, o: pos - this.start };
  }
  private dv: DataView = new DataView(new ArrayBuffer(0));

  private async load(pos: number, n: number): Promise<void> {
    this.buf = await this.file.read(pos, Math.max(WINDOW_BYTES, n));
    this.start = pos;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
}

/**
 * Told of each damaged record; the reading goes on at the next record found by its shape
 * (resync.ts). Without one, the first damage ends the capture with the error.
 */
export type OnDamage = (err: FormatError) => void;

export async function* readPackets(file: InputFile, onDamage?: OnDamage): AsyncGenerator<Packet> {
  for await (const batch of packetBatches(file, onDamage)) yield* batch;
}

/** Packets a batch holds: one async step per packet was a third of the time of a 16 MiB capture. */
const BATCH = 256;

/** The packets in order, a batch at a time; those before a damage that ends the capture come before its error. */
export async function* packetBatches(file: InputFile, onDamage?: OnDamage): AsyncGenerator<Packet[]> {
  const head = await file.read(0, 4);
  const kind = captureKind(head);
  if (!kind) throw new FormatError(file.path, 0, 'not a pcap or pcapng capture');
  const batch: Packet[] = [];
  try {
    for await (const done of kind === 'pcap' ? classic(file, batch, onDamage) : pcapng(file, batch, onDamage)) {
      void done;
      if (batch.length >= BATCH) yield batch.splice(0);
    }
  } catch (err) {
    if (batch.length) yield batch.splice(0);
    throw err;
  }
  if (batch.length) yield batch;
}

/** Report damage at `err` and find where to go on (undefined: nowhere, the rest is not read). */
async function resume(err: FormatError, onDamage: OnDamage | undefined, damages: number, file: InputFile, next: () => Promise<number | undefined>): Promise<number | undefined> {
  if (!onDamage) throw err;
  const at = damages < MAX_DAMAGES ? await next() : undefined;
  const after = at === undefined
    ? damages < MAX_DAMAGES ? `no record found after it: the last ${file.size - (err.offset ?? 0)} bytes are not read` : `the ${MAX_DAMAGES}th damaged place: the rest is not read`
    : `read on at the next record, at 0x${at.toString(16)}`;
  onDamage(new FormatError(err.path, err.offset, `${err.detail}; ${after}`));
  return at;
}

/** Each reader pushes its packets to `out` and yields (nothing) after each, so the batch can be taken. */
async function* classic(file: InputFile, out: Packet[], onDamage?: OnDamage): AsyncGenerator<void> {
  const w = new Window(file);
  const head = await file.read(0, 4);
  const magicLe = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true);
  const le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
  const c = await w.at(0, pcapFileHeader.size, le);
  if (!c) throw new FormatError(file.path, 0, `pcap header: expected ${pcapFileHeader.size} bytes, have ${file.size}`);
  const h = pcapFileHeader.read(c);
  const ns = h.magic === PCAP_MAGIC_NS;
  const fracPerMs = ns ? 1_000_000 : 1000;
  // The upper bits carry the FCS length (pcap-savefile(5) LINKTYPE_FCS_*).
  const linktype = h.linktype & 0xffff;
  // A record longer than the snaplen is damage (libpcap's pcap_next_packet refuses it too), within the reader's cap.
  const maxLen = Math.min(MAX_PACKET_BYTES, h.snaplen > 0 ? Math.max(h.snaplen, 65535) : MAX_PACKET_BYTES);
  let lastSec: number | undefined;
  let lastData: number | undefined;
  const rewound = new Set<number>();
  let damages = 0;
  const R = pcapRecordHeader.offsets;
  for (let pos: number | undefined = pcapFileHeader.size; pos !== undefined && pos < file.size;) {
    const at: number = pos;
    const rh = await w.span(at, pcapRecordHeader.size);
    if (!rh) throw new FormatError(file.path, at, `record header: expected ${pcapRecordHeader.size} bytes, have ${file.size - at}`);
    const inclLen = rh.dv.getUint32(rh.o + R.inclLen, le);
    const tsSec = rh.dv.getUint32(rh.o + R.tsSec, le);
    const tsFrac = rh.dv.getUint32(rh.o + R.tsFrac, le);
    let data: Uint8Array;
    try {
      // A header read out of step (after a length that lied) rarely holds together: both are damage here.
      const origLen = rh.dv.getUint32(rh.o + R.origLen, le);
      if (tsFrac >= fracPerMs * 1000) throw new FormatError(file.path, at + R.tsFrac, `record header: time fraction ${tsFrac} is not below ${fracPerMs * 1000}`);
      if (origLen < inclLen) throw new FormatError(file.path, at + R.origLen, `record header: original length ${origLen} is less than the captured length ${inclLen}`);
      const len = getSafeBound(inclLen, maxLen, 'captured length', file.path, at + R.inclLen);
      const d = await w.span(at + pcapRecordHeader.size, len);
      if (!d) throw new FormatError(file.path, at + R.inclLen, `captured length ${len}: the record runs past the file's end, ${file.size - at - pcapRecordHeader.size} bytes left (capture cut)`);
      data = d.buf.subarray(d.o, d.o + len);
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      // The lie may be in the record before (a length that took in this one's header): look
      // from inside that record's data, once per damaged place, so the walk cannot loop.
      const from = lastData !== undefined && !rewound.has(at) ? lastData + 1 : at + 1;
      rewound.add(at);
      pos = await resume(err, onDamage, damages++, file, () => nextClassicRecord(file, from, { le, maxLen, ns, ...(lastSec !== undefined ? { lastSec } : {}) }));
      continue;
    }
    lastSec = tsSec;
    lastData = at + pcapRecordHeader.size;
    pos = at + pcapRecordHeader.size + data.length;
    out.push({ offset: at, linktype, data, timeMs: tsSec * 1000 + Math.floor(tsFrac / fracPerMs) });
    if (out.length >= BATCH) yield;
  }
}

interface Interface {
  linktype: number;
  /** Ticks per second of this interface's time stamps. */
  ticks: bigint;
}

async function* pcapng(file: InputFile, out: Packet[], onDamage?: OnDamage): AsyncGenerator<void> {
  const w = new Window(file);
  let le = true;
  let ifaces: Interface[] = [];
  let damages = 0;
  for (let pos: number | undefined = 0; pos !== undefined && pos + pcapngBlockHeader.size <= file.size;) {
    const at: number = pos;
    try {
      pos = await block(at);
      if (out.length >= BATCH) yield;
    } catch (err) {
      if (!(err instanceof FormatError)) throw err;
      pos = await resume(err, onDamage, damages++, file, () => nextBlock(file, at + 4, le));
    }
  }

  /** The packet of the block at `pos`, if it holds one; the next block's position. */
  async function block(pos: number): Promise<number> {
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
    if (!bc) throw new FormatError(file.path, pos + 4, `block length ${total}: the block runs past the file's end, ${file.size - pos} bytes left (capture cut)`);
    const tc = await w.at(pos + total - 4, 4, le);
    if (!tc) throw new FormatError(file.path, pos + 4, `block length ${total}: its trailing length runs past the file's end (capture cut)`);
    const trailer = tc.u32();
    if (trailer !== total) throw new FormatError(file.path, pos + 4, `block length ${total} is not repeated at the block's end (${trailer} there)`);
    if (bh.type === PCAPNG_IDB) {
      if (ifaces.length >= MAX_INTERFACES) throw new FormatError(file.path, pos, `more than ${MAX_INTERFACES} interfaces`);
      ifaces.push(readIdb(bc));
    } else if (bh.type === PCAPNG_EPB || bh.type === PCAPNG_PB) {
      const b = bh.type === PCAPNG_EPB ? pcapngEpb.read(bc) : pcapngPb.read(bc);
      const iface = ifaces[b.interfaceId];
      if (!iface) throw new FormatError(file.path, pos + 8, `packet on interface ${b.interfaceId}, of ${ifaces.length} declared`);
      const len = getSafeBound(b.capLen, bc.remaining, 'captured length', file.path, bc.fileOffset - 8);
      const ticks = (BigInt(b.tsHigh) << 32n) | BigInt(b.tsLow);
      out.push({ offset: pos, linktype: iface.linktype, data: bc.bytesView(len), timeMs: Number((ticks * 1000n) / iface.ticks) });
    } else if (bh.type === PCAPNG_SPB) {
      const iface = ifaces[0];
      if (!iface) throw new FormatError(file.path, pos + 8, 'simple packet before any interface');
      const origLen = bc.u32();
      out.push({ offset: pos, linktype: iface.linktype, data: bc.bytesView(Math.min(origLen, bc.remaining)) });
    }
    return pos + total;
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
