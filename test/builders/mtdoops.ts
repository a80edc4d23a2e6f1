// mtdoops partition images as drivers/mtd/mtdoops.c writes them: erased flash (0xff), and
// records of record_size at slot boundaries, each a seq/magic header (v2 adds a ktime_t) then text.
import { MTDOOPS_KERNMSG_MAGIC_V1, MTDOOPS_KERNMSG_MAGIC_V2 } from '../../backends/mtdoops/layout.js';

export interface MtdoopsSpec {
  size: number;
  recordSize: number;
  records: { slot: number; seq: number; text: string; version?: 1 | 2; timeNs?: bigint }[];
}

export function buildMtdoops(spec: MtdoopsSpec): Uint8Array {
  const img = new Uint8Array(spec.size).fill(0xff);
  const dv = new DataView(img.buffer);
  for (const r of spec.records) {
    const at = r.slot * spec.recordSize;
    const v2 = (r.version ?? 2) === 2;
    dv.setUint32(at, r.seq, true);
    dv.setUint32(at + 4, v2 ? MTDOOPS_KERNMSG_MAGIC_V2 : MTDOOPS_KERNMSG_MAGIC_V1, true);
    if (v2) dv.setBigInt64(at + 8, r.timeNs ?? 1_700_000_000_000_000_000n, true);
    const text = Buffer.from(r.text + '\0');
    const room = spec.recordSize - (v2 ? 16 : 8);
    img.set(text.subarray(0, room), at + (v2 ? 16 : 8));
  }
  return img;
}
