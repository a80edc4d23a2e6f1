// One persistent_ram_zone read back as ram_core.c does after a reboot: header check (with
// its ECC), ECC correction of the used data blocks (persistent_ram_ecc_old), and the ring
// unrolled oldest-first (persistent_ram_save_old: data[start..size) then data[0..start)).
import { Cursor } from '../../src/util/cursor.js';
import { ReedSolomon } from './reed-solomon.js';
import { zoneSigKind } from './scan.js';
import { persistentRamBuffer, type EccInfo, type Zone, zoneGeometry } from './layout.js';

export interface ZoneContent {
  /** The zone's old log, unrolled. Empty when the zone holds nothing. */
  data: Uint8Array;
  correctedBytes: number;
  badBlocks: number;
  /** Why the zone was not read, when it was not. */
  invalid?: string;
  sig: number;
}

const decoders = new Map<string, ReedSolomon>();
function decoder(ecc: EccInfo): ReedSolomon {
  const key = `${ecc.symSize}/${ecc.poly}/${ecc.eccSize}`;
  let rs = decoders.get(key);
  if (!rs) decoders.set(key, (rs = new ReedSolomon(ecc.symSize, ecc.poly, ecc.eccSize, 0, 1)));
  return rs;
}

/**
 * `raw` is the whole zone (header + data + parity), corrected in place. `check` false skips
 * the ECC decoding (the layout still has its parity): for a zone read again that was clean.
 * The log is unrolled into `into(size)` when given (a reused buffer), else a new one.
 */
export function readZone(raw: Uint8Array, zone: Zone, path: string, ecc?: EccInfo, check = true, into?: (size: number) => Uint8Array): ZoneContent {
  const geo = zoneGeometry(raw.length, ecc);
  const empty = (invalid?: string, sig = 0): ZoneContent => ({ data: new Uint8Array(0), correctedBytes: 0, badBlocks: 0, sig, ...(invalid ? { invalid } : {}) });
  if (!geo) return empty('zone too small for its header and ECC');
  const hdrSize = persistentRamBuffer.size;
  const dataAt = hdrSize;
  let correctedBytes = 0;
  let badBlocks = 0;
  const rs = ecc && check ? decoder(ecc) : undefined;
  if (ecc && rs) {
    const par = raw.subarray(dataAt + geo.parHeaderOffset, dataAt + geo.parHeaderOffset + ecc.eccSize);
    const n = rs.decode(raw.subarray(0, hdrSize), Uint8Array.from(par));
    if (n < 0) return empty('persistent_ram header has uncorrectable ECC errors');
    correctedBytes += n;
  }
  const hdr = persistentRamBuffer.read(new Cursor(raw, path, zone.offset));
  // A zone without the signature was never set up; ram_core.c starts it afresh, silently.
  if (!zoneSigKind(hdr.sig)) return empty(undefined, hdr.sig);
  if (hdr.size === 0) return empty(undefined, hdr.sig);
  if (hdr.size > geo.bufferSize || hdr.start > hdr.size) {
    return empty(`invalid persistent_ram buffer: start ${hdr.start}, size ${hdr.size}, zone holds ${geo.bufferSize}`, hdr.sig);
  }
  if (ecc && rs) {
    // persistent_ram_ecc_old(): blocks of block_size over data[0..size), parity in order
    const parFrom = dataAt + geo.parOffset;
    for (const b of rs.blocksToDecode(raw, dataAt, geo.bufferSize, ecc.blockSize, Math.ceil(hdr.size / ecc.blockSize), parFrom)) {
      const block = b * ecc.blockSize;
      const len = Math.min(ecc.blockSize, geo.bufferSize - block);
      const parAt = parFrom + b * ecc.eccSize;
      const n = rs.decode(raw.subarray(dataAt + block, dataAt + block + len), raw.subarray(parAt, parAt + ecc.eccSize));
      if (n > 0) correctedBytes += n;
      else if (n < 0) badBlocks++;
    }
  }
  const buf = raw.subarray(dataAt, dataAt + geo.bufferSize);
  const data = into ? into(hdr.size) : new Uint8Array(hdr.size);
  data.set(buf.subarray(hdr.start, hdr.size), 0);
  data.set(buf.subarray(0, hdr.start), hdr.size - hdr.start);
  return { data, correctedBytes, badBlocks, sig: hdr.sig };
}

/** persistent_ram_ecc_string(): the notice the kernel appends to every record of an ECC zone. */
export function eccNotice(z: ZoneContent): string {
  return z.correctedBytes || z.badBlocks
    ? `\nECC: ${z.correctedBytes} Corrected bytes, ${z.badBlocks} unrecoverable blocks\n`
    : '\nECC: No errors detected\n';
}
