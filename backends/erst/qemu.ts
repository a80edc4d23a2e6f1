// Live records of a QEMU acpi-erst backing file, by its map (hw/acpi/erst.c): slot `index`
// holds record map[index] at index * record_size; a map entry of 0 (or all ones) is free,
// even when the slot still holds the bytes of a cleared record.
import type { ReadContext } from '../../src/backend.js';
import { parseCperRecord, type CperRecord } from '../../src/cper/record.js';
import { Cursor } from '../../src/util/cursor.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { MAX_ERST_RECORDS, tooManyRecords } from './bound.js';
import { FREE_RECORD_IDS, MIN_QEMU_RECORD_SIZE, QEMU_ERST_HEADER, QEMU_ERST_MAGIC } from './layout.js';

export function isQemuStore(bytes: Uint8Array): boolean {
  return bytes.length >= QEMU_ERST_HEADER.size && Buffer.from(bytes.subarray(0, 8)).toString('latin1') === QEMU_ERST_MAGIC;
}

/** The store's live records, or undefined when its header is unusable (then scan instead). */
export function qemuStoreRecords(bytes: Uint8Array, path: string, ctx: ReadContext): CperRecord[] | undefined {
  const h = QEMU_ERST_HEADER.read(new Cursor(bytes, path));
  const size = h.record_size;
  const valid = size >= MIN_QEMU_RECORD_SIZE && (size & (size - 1)) === 0 && h.storage_offset % size === 0 && h.storage_offset >= QEMU_ERST_HEADER.size;
  if (!valid) {
    ctx.problem({ path, offset: 0, message: `QEMU ERST header unusable (record_size ${size}, storage_offset ${h.storage_offset}); records found by scanning` });
    return undefined;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: CperRecord[] = [];
  const slots = Math.floor(bytes.length / size);
  for (let index = h.storage_offset / size; index < slots; index++) {
    const mapAt = QEMU_ERST_HEADER.size + index * 8;
    if (mapAt + 8 > h.storage_offset) break;
    const id = view.getBigUint64(mapAt, true);
    if (FREE_RECORD_IDS.includes(id)) continue;
    const at = index * size;
    if (out.length >= MAX_ERST_RECORDS) {
      ctx.problem(tooManyRecords(path, at, bytes.length));
      break;
    }
    try {
      const rec = parseCperRecord(bytes.subarray(0, at + size), at, path, 0, `its slot ${index}`);
      if (rec.recordId !== id) ctx.problem({ path, offset: at, message: `slot ${index} holds record ${rec.recordId}, the map says ${id}` });
      out.push(rec);
    } catch (err) {
      ctx.problem({ path, offset: at, message: `CPER record ${id} in slot ${index}: ${err instanceof FormatError ? err.detail : messageOf(err)}` });
    }
  }
  return out;
}
