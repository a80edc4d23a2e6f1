// Finding the zones of a pstore/zone image whose module parameters are not given. Every zone
// the kernel flushed starts with struct psz_buffer: sig = PSZ_SIG ^ pstore type, then
// datalen and start (start <= datalen); a kmsg zone's data starts with
// PSTORE_KMSG_HEADER_MAGIC. Zones that were never written carry no header and are not found;
// that costs nothing, since reading a zone needs only its header (psz_recover_zone reads
// datalen bytes, unrolled at start). Zones begin on 4-byte boundaries.
import type { ByPosition } from '../../src/input/window.js';
import { MAX_TOTAL_BYTES, MAX_ZONES, PSTORE_KMSG_HEADER_MAGIC, pszBuffer, zoneKindOfSig, type Zone, type ZoneKind } from './layout.js';

const SCAN_CHUNK = 1 << 20;
/** Top byte of every sig pstore/zone writes (PSZ_SIG ^ a type below 256). */
const SIG_TOP = 0x43;

interface Found {
  offset: number;
  kind: ZoneKind;
  /** A dmesg sig without the kmsg magic after it: a damaged header, or no zone at all. */
  noMagic: boolean;
}

/** The psz_buffer header at `i` of `dv`, or undefined. */
export function headerAt(dv: DataView, i: number, imageSize: number): Found | undefined {
  if (i + pszBuffer.size + 4 > dv.byteLength || dv.getUint8(i + 3) !== SIG_TOP) return undefined;
  const kind = zoneKindOfSig(dv.getUint32(i, true));
  if (!kind) return undefined;
  const datalen = dv.getUint32(i + 4, true);
  const start = dv.getUint32(i + 8, true);
  const noMagic = kind === 'dmesg' && dv.getUint32(i + pszBuffer.size, true) !== PSTORE_KMSG_HEADER_MAGIC;
  // a kmsg magic is evidence enough: a bad datalen is then reported when the zone is read
  if (kind !== 'dmesg' && (datalen > imageSize || start > datalen)) return undefined;
  return { offset: i, kind, noMagic };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zone headers in the image (a ReadWindow: each chunk is scanned before the next read). */
export async function scanZones(f: ByPosition): Promise<Zone[]> {
  const size = Math.min(f.size, MAX_TOTAL_BYTES);
  let found: Found[] = [];
  for (let pos = 0; pos < size && found.length < MAX_ZONES; pos += SCAN_CHUNK) {
    const buf = await f.read(pos, SCAN_CHUNK + 16);
    const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    // memchr for the sig's top byte, then the 4-byte grid
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    for (let k = bytes.indexOf(SIG_TOP, 3); k >= 0; k = bytes.indexOf(SIG_TOP, k + 1)) {
      const i = k - 3;
      if (i >= SCAN_CHUNK || i + 16 > buf.length) break;
      if (i % 4 !== 0) continue;
      const h = headerAt(dv, i, size);
      if (h) found.push({ ...h, offset: pos + i });
    }
  }
  // kmsg zones are kmsg_size apart, to the end of the area: their stride is the gcd of the gaps
  const kmsg = found.filter((z) => z.kind === 'dmesg' && !z.noMagic);
  let stride = 0;
  for (let i = 1; i < kmsg.length; i++) stride = gcd(stride, kmsg[i]!.offset - kmsg[i - 1]!.offset);
  const first = kmsg[0]?.offset ?? 0;
  // a dmesg sig without magic counts only where a kmsg zone would start (a damaged header)
  found = found.filter((z) => !z.noMagic || (stride > 0 && Math.abs(z.offset - first) % stride === 0));
  const base = found.find((z) => z.kind === 'dmesg')?.offset ?? 0;
  const zones: Zone[] = [];
  let ftrace = 0;
  found.forEach((z, i) => {
    // the last zone may run past a cut image's end: reading says so
    const next = found[i + 1]?.offset ?? MAX_TOTAL_BYTES;
    const room = z.kind === 'dmesg' && stride ? Math.min(stride, next - z.offset) : next - z.offset;
    const index = z.kind === 'dmesg' ? (stride ? (z.offset - base) / stride : 0) : z.kind === 'ftrace' ? ftrace++ : 0;
    zones.push({ kind: z.kind, index, offset: z.offset, size: room });
  });
  return zones;
}
