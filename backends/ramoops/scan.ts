// Finding the zones of a region whose parameters are not given: every persistent_ram_buffer
// starts with its sig (fs/pstore/ram_core.c: PERSISTENT_RAM_SIG ^ label sig; ftrace zones
// use LINUX_VERSION_CODE as label sig) and a start <= size header. Zones begin on 2-byte
// boundaries (ram.c aligns zone sizes down to 2).
import type { InputFile } from '../../src/input/file.js';
import type { ByPosition } from '../../src/input/window.js';
import { eccInfo, MAX_ZONES, PERSISTENT_RAM_SIG, persistentRamBuffer, type Zone, type ZoneKind, zoneGeometry } from './layout.js';
import { ReedSolomon } from './reed-solomon.js';

const SCAN_CHUNK = 1 << 20;
/** Top byte of PERSISTENT_RAM_SIG, and of every sig (the label is below 2^24). */
const SIG_TOP = 0x43;
/** ECC sizes tried when a scanned region's ECC is not given (ram.c: ecc=1 means 16). */
const ECC_CANDIDATES = [16, 32, 64, 8, 128];

export function zoneSigKind(sig: number): 'plain' | 'ftrace' | undefined {
  const label = (sig ^ PERSISTENT_RAM_SIG) >>> 0;
  if (label === 0) return 'plain';
  const major = label >>> 16;
  return major >= 2 && major <= 9 ? 'ftrace' : undefined;
}

/** Zone starts in the region (a ReadWindow: each chunk is scanned before the next read). */
export async function scanZones(f: ByPosition, size: number): Promise<Zone[]> {
  const starts: { offset: number; kind: 'plain' | 'ftrace'; lead: boolean; used: number }[] = [];
  for (let pos = 0; pos < size && starts.length < MAX_ZONES; pos += SCAN_CHUNK) {
    const buf = await f.read(pos, SCAN_CHUNK + 16);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // Every sig's top byte is 0x43 (a label below 2^24): memchr for it, then the 2-byte grid.
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let k = bytes.indexOf(SIG_TOP, 3); k >= 0; k = bytes.indexOf(SIG_TOP, k + 1)) {
      const i = k - 3;
      if (i + 12 > buf.length || i >= SCAN_CHUNK) break;
      if (i % 2 !== 0) continue;
      const kind = zoneSigKind(dv.getUint32(i, true));
      if (!kind) continue;
      const start = dv.getUint32(i + 4, true);
      const used = dv.getUint32(i + 8, true);
      if (start > used || used > size) continue;
      const lead = buf[i + 12] === 0x3d && buf[i + 13] === 0x3d && buf[i + 14] === 0x3d && buf[i + 15] === 0x3d;
      starts.push({ offset: pos + i, kind, lead, used });
    }
  }
  const zones: Zone[] = [];
  // dmesg zones: the run of equal strides from the region start
  let d = 0;
  if (starts[0]?.offset === 0 && starts.length > 1) {
    const stride = starts[1]!.offset;
    const isDmesg = (i: number) => {
      const s = starts[i]!;
      const next = starts[i + 1];
      // a dmesg zone holds a "====" record or nothing, and no other zone starts inside it
      return s.offset === i * stride && s.kind === 'plain' && (s.lead || s.used === 0) && s.offset + stride <= size && (!next || next.offset >= s.offset + stride);
    };
    while (d < starts.length && isDmesg(d)) d++;
    if (d < 2 && !starts[0]!.lead) d = 0;
    for (let i = 0; i < d; i++) zones.push({ kind: 'dmesg', index: i, offset: i * stride, size: stride });
  }
  const rest = starts.slice(d);
  const plain = rest.filter((s) => s.kind === 'plain');
  let ftrace = 0;
  rest.forEach((s, i) => {
    const end = rest[i + 1]?.offset ?? size;
    let kind: ZoneKind = 'ftrace';
    if (s.kind === 'plain') kind = plain.length > 1 && s === plain[plain.length - 1] ? 'pmsg' : s === plain[0] ? 'console' : 'pmsg';
    let zoneSize = end - s.offset;
    // The region's end also holds what ramoops_init_przs() left over when it aligned the
    // dmesg zones (under 2 bytes a zone): the last zone is as big as the one before it.
    const prev = zones[zones.length - 1];
    if (i === rest.length - 1 && prev && prev.kind !== 'dmesg' && zoneSize >= prev.size && zoneSize - prev.size < 2 * d + 2) zoneSize = prev.size;
    zones.push({ kind, index: kind === 'ftrace' ? ftrace++ : 0, offset: s.offset, size: zoneSize });
  });
  return zones;
}

/** The ECC size whose header parity checks clean on this zone, or 0: the header and each candidate's parity are read, not the zone. */
export async function detectEcc(f: InputFile, zone: Zone): Promise<number> {
  const head = await f.read(zone.offset, persistentRamBuffer.size);
  const size = Math.max(0, Math.min(zone.size, f.size - zone.offset));
  for (const n of ECC_CANDIDATES) {
    const ecc = eccInfo(n)!;
    const geo = zoneGeometry(size, ecc);
    if (!geo) continue;
    const par = await f.read(zone.offset + persistentRamBuffer.size + geo.parHeaderOffset, n);
    if (par.length < n || par.every((b) => b === 0)) continue;
    if (new ReedSolomon(8, ecc.poly, n).decode(Uint8Array.from(head), par) === 0) return n;
  }
  return 0;
}
