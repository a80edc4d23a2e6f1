// Synthetic kernel logs of each printk era, laid out with the kernel's structures at the
// offsets VMCOREINFO gives (values copied from the 6.1 kernels of
// ../shared/corpus/kdump-oops-panic and arm64-qemu-dump), in an x86_64 MapMemory:
// kernel variables in the text mapping, buffers wherever the test maps them.
// Layouts: kernel/printk/printk_ringbuffer.h, kernel/printk/printk.c (struct printk_log).
import type { MapMemory } from './pagetables.js';

export const START_KERNEL_MAP = 0xffffffff80000000n;

/** VMCOREINFO printk entries of Debian's 6.1.0-56-amd64 (kdump-oops-panic). */
export const RINGBUFFER_VMCOREINFO: Record<string, string> = {
  'OFFSET(printk_ringbuffer.desc_ring)': '0', 'OFFSET(printk_ringbuffer.text_data_ring)': '48',
  'OFFSET(printk_ringbuffer.fail)': '80', 'SIZE(printk_ringbuffer)': '88',
  'OFFSET(prb_desc_ring.count_bits)': '0', 'OFFSET(prb_desc_ring.descs)': '8', 'OFFSET(prb_desc_ring.infos)': '16',
  'OFFSET(prb_desc_ring.head_id)': '24', 'OFFSET(prb_desc_ring.tail_id)': '32', 'SIZE(prb_desc_ring)': '48',
  'SIZE(prb_desc)': '24', 'OFFSET(prb_desc.state_var)': '0', 'OFFSET(prb_desc.text_blk_lpos)': '8',
  'OFFSET(prb_data_blk_lpos.begin)': '0', 'OFFSET(prb_data_blk_lpos.next)': '8', 'SIZE(prb_data_blk_lpos)': '16',
  'OFFSET(prb_data_ring.size_bits)': '0', 'OFFSET(prb_data_ring.data)': '8', 'OFFSET(prb_data_ring.head_lpos)': '16',
  'OFFSET(prb_data_ring.tail_lpos)': '24', 'SIZE(prb_data_ring)': '32',
  'SIZE(printk_info)': '88', 'OFFSET(printk_info.seq)': '0', 'OFFSET(printk_info.ts_nsec)': '8',
  'OFFSET(printk_info.text_len)': '16', 'OFFSET(printk_info.caller_id)': '20', 'OFFSET(printk_info.dev_info)': '24',
  'SIZE(dev_printk_info)': '64', 'OFFSET(dev_printk_info.subsystem)': '0', 'OFFSET(dev_printk_info.device)': '16',
  'LENGTH(printk_info_subsystem)': '16', 'LENGTH(printk_info_device)': '48',
};

/** struct printk_log of 4.x/5.x with CONFIG_PRINTK_CALLER (5.1+): 16 bytes + caller_id. */
export const PRINTK_LOG_VMCOREINFO: Record<string, string> = {
  'SIZE(printk_log)': '20', 'OFFSET(printk_log.ts_nsec)': '0', 'OFFSET(printk_log.len)': '8',
  'OFFSET(printk_log.text_len)': '10', 'OFFSET(printk_log.caller_id)': '16',
};

export interface SynthRecord {
  text: string | Uint8Array;
  tsNs: bigint;
  level?: number;
  facility?: number;
  caller?: number; // raw caller_id: task id, or 0x80000000|cpu
  dev?: { subsystem: string; device: string };
  cont?: boolean;
}

const bytesOf = (t: string | Uint8Array) => (typeof t === 'string' ? new TextEncoder().encode(t) : t);
const phys = (v: bigint, physBase: bigint) => v - START_KERNEL_MAP + physBase;

function putU64(b: Uint8Array, at: number, v: bigint) { new DataView(b.buffer).setBigUint64(at, BigInt.asUintN(64, v), true); }
function putU32(b: Uint8Array, at: number, v: number) { new DataView(b.buffer).setUint32(at, v >>> 0, true); }
function putU16(b: Uint8Array, at: number, v: number) { new DataView(b.buffer).setUint16(at, v, true); }

export interface RingLayout {
  physBase: bigint;
  prbSym: bigint; // the pointer variable `prb`
  ringVaddr: bigint; // the printk_ringbuffer it points to (in the text map)
  descsVaddr: bigint; infosVaddr: bigint; // in the text map
  dataVaddr: bigint; dataPaddr: bigint; // the text ring: any mapping the test made
  countBits: number; sizeBits: number;
  firstId?: bigint;
  /** Kernel-image address → physical (default x86_64's text map with physBase; arm64: v - kimage_voffset). */
  imagePhys?: (v: bigint) => bigint;
}

/**
 * Writes records as prb_reserve/prb_commit would: ids from firstId, data blocks of
 * align(8 + len, 8) bytes; a block that would cross the ring's end goes to offset 0 with
 * its begin lpos left where it was. Older records are dropped (descriptor reusable) until
 * the window fits both rings. Returns the records kept, in order.
 */
export function writeRingbuffer(mem: MapMemory, L: RingLayout, records: SynthRecord[]): SynthRecord[] {
  const count = 1 << L.countBits;
  const dataSize = 1 << L.sizeBits;
  const data = new Uint8Array(dataSize);
  const placed: { id: bigint; begin: bigint; next: bigint; rec: SynthRecord }[] = [];
  let head = 0n;
  let id = L.firstId ?? 1n;
  for (const rec of records) {
    const text = bytesOf(rec.text);
    const size = BigInt((8 + text.length + 7) & ~7);
    const begin = head;
    let next = begin + size;
    let at = Number(begin % BigInt(dataSize));
    if (Number(begin / BigInt(dataSize)) !== Number((next - 1n) / BigInt(dataSize))) {
      next = (next / BigInt(dataSize)) * BigInt(dataSize) + size; // DATA_THIS_WRAP_START_LPOS + size
      putU64(data, at, id); // the id at begin too, as the kernel writes it
      at = 0;
    }
    putU64(data, at, id);
    data.set(text, at + 8);
    placed.push({ id, begin, next, rec });
    head = next;
    id++;
  }
  // the window: the last `count` records whose blocks still lie in the ring
  let first = Math.max(0, placed.length - count);
  while (first < placed.length && head - placed[first]!.begin > BigInt(dataSize)) first++;
  const desc = new Uint8Array(24 * count);
  const info = new Uint8Array(88 * count);
  placed.forEach((p, k) => {
    const slot = Number(p.id % BigInt(count));
    const reusable = k < first;
    putU64(desc, slot * 24, ((reusable ? 3n : 2n) << 62n) | p.id);
    putU64(desc, slot * 24 + 8, p.begin);
    putU64(desc, slot * 24 + 16, p.next);
    const i = slot * 88;
    putU64(info, i, BigInt(k));
    putU64(info, i + 8, p.rec.tsNs);
    putU16(info, i + 16, bytesOf(p.rec.text).length);
    info[i + 18] = p.rec.facility ?? 0;
    info[i + 19] = ((p.rec.level ?? 6) << 5) | (p.rec.cont ? 8 : 0);
    putU32(info, i + 20, p.rec.caller ?? 0);
    if (p.rec.dev) {
      info.set(new TextEncoder().encode(p.rec.dev.subsystem).subarray(0, 15), i + 24);
      info.set(new TextEncoder().encode(p.rec.dev.device).subarray(0, 47), i + 40);
    }
  });
  const ring = new Uint8Array(88);
  putU32(ring, 0, L.countBits);
  putU64(ring, 8, L.descsVaddr);
  putU64(ring, 16, L.infosVaddr);
  putU64(ring, 24, placed.length ? placed[placed.length - 1]!.id : 0n);
  putU64(ring, 32, placed.length ? placed[first]!.id : 0n);
  putU32(ring, 48, L.sizeBits);
  putU64(ring, 56, L.dataVaddr);
  putU64(ring, 64, head);
  putU64(ring, 72, placed[first]?.begin ?? 0n);
  const P = L.imagePhys ?? ((v: bigint) => phys(v, L.physBase));
  mem.write(P(L.ringVaddr), ring);
  mem.u64(P(L.prbSym), L.ringVaddr);
  mem.write(P(L.descsVaddr), desc);
  mem.write(P(L.infosVaddr), info);
  mem.write(L.dataPaddr, data);
  return placed.slice(first).map((p) => p.rec);
}

/**
 * struct printk_log records in *log_buf, wrapping with a zero-length record. The buffer is
 * the static __log_buf in the text map, or (bufPaddr given: log_buf_len= at boot) a
 * memblock allocation the test maps in the direct map.
 */
export function writePrintkLog(mem: MapMemory, physBase: bigint, syms: { log_buf: bigint; log_buf_len: bigint; log_first_idx: bigint; log_next_idx: bigint }, bufVaddr: bigint, bufLen: number, records: SynthRecord[], startIdx = 0, bufPaddr?: bigint): void {
  const buf = new Uint8Array(bufLen);
  let idx = startIdx;
  for (const rec of records) {
    const text = bytesOf(rec.text);
    const len = (20 + text.length + 7) & ~7;
    if (idx + len + 20 > bufLen) {
      idx = 0; // log_store: room for a header kept; the zero-len header at the old idx is already zero
    }
    putU64(buf, idx, rec.tsNs);
    putU16(buf, idx + 8, len);
    putU16(buf, idx + 10, text.length);
    buf[idx + 14] = rec.facility ?? 0;
    buf[idx + 15] = ((rec.level ?? 6) << 5) | (rec.cont ? 8 : 0);
    putU32(buf, idx + 16, rec.caller ?? 0);
    buf.set(text, idx + 20);
    idx += len;
  }
  mem.write(bufPaddr ?? phys(bufVaddr, physBase), buf);
  mem.u64(phys(syms.log_buf, physBase), bufVaddr);
  mem.u64(phys(syms.log_buf_len, physBase), BigInt(bufLen));
  mem.u64(phys(syms.log_first_idx, physBase), BigInt(startIdx));
  mem.u64(phys(syms.log_next_idx, physBase), BigInt(idx));
}
