// Zone headers of the raw pstore stores: ramoops regions (fs/pstore/ram_core.c struct
// persistent_ram_buffer { sig, start, size }), pstore/blk and mtdpstore images
// (fs/pstore/zone.c struct psz_buffer { sig, datalen, start } and the kmsg zones'
// psz_kmsg_header), and mtdoops partitions (drivers/mtd/mtdoops.c struct mtdoops_hdr
// { seq, magic, timestamp } at each record). Lies: start and size past the zone, start
// past size, a signature of another zone type, a kmsg header's compressed flag, counter,
// reason and time; mtdoops sequence numbers and timestamps.
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

const DBGC = 0x43474244;
const KMSG_MAGIC = 0x4dfc3ae5;
const MTDOOPS_MAGICS = [0x5d005d00, 0x5d005e00];
/** Bytes read to find the headers: raw stores are up to a few hundred MiB; headers repeat per zone. */
const SCAN_BYTES = 64 << 20;
/**
 * The signatures of zones, as each kernel writer XORs something in: nothing (ramoops
 * dmesg, console, pmsg), a pstore type below 16 (pstore/zone), LINUX_VERSION_CODE
 * (ramoops ftrace: KERNEL_VERSION(a, b, c) = a << 16 | b << 8 | c, kernels 2..7).
 */
function isZoneSig(v: number): boolean {
  const x = (v ^ DBGC) >>> 0;
  return x < 16 || (x >>> 16 >= 2 && x >>> 16 <= 7 && ((x >>> 8) & 0xff) <= 40);
}
const MAX_HEADERS = 4096;

interface Found { zones: number[]; kmsg: number[]; mtd: number[]; size: number }

function scan(edit: FileEdit): Found {
  const size = edit.size;
  const b = edit.read(0, Math.min(size, SCAN_BYTES));
  const f: Found = { zones: [], kmsg: [], mtd: [], size };
  for (let at = 0; at + 12 <= b.length && f.zones.length + f.kmsg.length + f.mtd.length < MAX_HEADERS; at += 4) {
    const v = b.readUInt32LE(at);
    if (isZoneSig(v)) f.zones.push(at);
    else if (v === KMSG_MAGIC) f.kmsg.push(at);
    else if (at % 4096 === 4 && MTDOOPS_MAGICS.includes(v)) f.mtd.push(at - 4);
  }
  return f;
}

/** The next zone header after `at`, or the file's end: how far this zone can be. */
const zoneEnd = (f: Found, at: number) => f.zones.find((z) => z > at) ?? f.size;

function lieZone(edit: FileEdit, f: Found, rng: Rng): string {
  const at = rng.pick(f.zones);
  const h = edit.read(at, 12);
  const room = zoneEnd(f, at) - at - 12;
  const field = rng.int(5);
  if (field === 0) {
    const v = rng.pick([DBGC, DBGC ^ 2, DBGC ^ 3, DBGC ^ 7, DBGC ^ 0x60100, 0]);
    edit.u32(at, v);
    return `zone header at 0x${at.toString(16)}: sig -> 0x${v.toString(16)}`;
  }
  const o = field <= 2 ? 4 : 8;
  const cur = h.readUInt32LE(o);
  const v = lieU32(rng, cur, [room, room + 1, room * 2, h.readUInt32LE(o === 4 ? 8 : 4) + 1]);
  edit.u32(at + o, v);
  return `zone header at 0x${at.toString(16)} (${room} bytes of room): word at +${o} ${cur} -> ${v}`;
}

function lieKmsg(edit: FileEdit, f: Found, rng: Rng): string {
  // psz_kmsg_header: magic, pad, tv_sec (i64) @8, tv_nsec @16, compressed (u8) @24, counter @28, reason @32.
  const at = rng.pick(f.kmsg);
  switch (rng.int(4)) {
    case 0: { edit.write(at + 24, Uint8Array.of(rng.pick([0, 1, 2, 0xff]))); return `kmsg header at 0x${at.toString(16)}: compressed flag flipped`; }
    case 1: { const v = lieU32(rng, edit.read(at + 28, 4).readUInt32LE(0)); edit.u32(at + 28, v); return `kmsg header at 0x${at.toString(16)}: counter -> ${v}`; }
    case 2: { const v = lieU32(rng, 1, [5, 6]); edit.u32(at + 32, v); return `kmsg header at 0x${at.toString(16)}: reason -> ${v}`; }
    default: { const v = lieU64(rng, edit.read(at + 8, 8).readBigUInt64LE(0)); edit.u64(at + 8, v); return `kmsg header at 0x${at.toString(16)}: tv_sec -> ${BigInt.asIntN(64, v)}`; }
  }
}

function lieMtd(edit: FileEdit, f: Found, rng: Rng): string {
  const at = rng.pick(f.mtd);
  if (rng.chance(0.6)) {
    const other = rng.pick(f.mtd);
    const v = rng.chance(0.5) ? edit.read(other, 4).readUInt32LE(0) : lieU32(rng, edit.read(at, 4).readUInt32LE(0), [0xfffffffe]);
    edit.u32(at, v);
    return `mtdoops header at 0x${at.toString(16)}: seq -> ${v}`;
  }
  const v = lieU64(rng, edit.read(at + 8, 8).readBigUInt64LE(0));
  edit.u64(at + 8, v);
  return `mtdoops header at 0x${at.toString(16)}: timestamp -> ${BigInt.asIntN(64, v)}`;
}

export const zones: StructureMutator = {
  id: 'zones',
  scope: 'file',
  // A store starts with a zone (ramoops, pstore/blk) or a record (mtdoops); an input
  // that holds one elsewhere (a memory dump with ramoops in it) is found by its own mutators.
  fits: (_path, head) => head.length >= 12 && (isZoneSig(Buffer.from(head.buffer, head.byteOffset, 12).readUInt32LE(0)) || MTDOOPS_MAGICS.includes(Buffer.from(head.buffer, head.byteOffset, 12).readUInt32LE(4))),
  async mutate({ edit, rng }) {
    if (!edit) return undefined;
    const f = scan(edit);
    const kinds = [...(f.zones.length ? ['zone', 'zone'] : []), ...(f.kmsg.length ? ['kmsg'] : []), ...(f.mtd.length ? ['mtd'] : [])];
    if (!kinds.length) return undefined;
    const k = rng.pick(kinds);
    return k === 'zone' ? lieZone(edit, f, rng) : k === 'kmsg' ? lieKmsg(edit, f, rng) : lieMtd(edit, f, rng);
  },
};
