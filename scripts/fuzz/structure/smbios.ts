// SMBIOS tables (backends/dmi/layout.ts: DSP0134 entry points and structure headers):
// a `dmidecode --dump-bin` file (entry point, then the table where its address says), an
// entry point file alone, or a bare DMI table. Lies in the entry point (table length,
// table address, structure count, the anchor swapped between _SM3_, _SM_ and _DMI_, the
// version), its checksums made good again most of the time so the lie reaches the
// reader; and in a structure (type, length, handle, a string number past the set, the
// double NUL that ends its string set taken away or put early).
import { parseEntryPoint } from '../../../backends/dmi/entry.js';
import { ANCHOR_SM, ANCHOR_SM3, EP_DMI, EP_SM, EP_SM3, EP_SM_INTERMEDIATE, HEADER, MAX_TABLE_BYTES, TYPE } from '../../../backends/dmi/layout.js';
import { walkTable } from '../../../backends/dmi/table.js';
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieU16, lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

const MAX_SCAN_BYTES = 2 * MAX_TABLE_BYTES;

/** Set the checksum byte at `sumAt` so bytes [at, at + n) sum to 0 again. */
function fixSum(b: Buffer, at: number, n: number, sumAt: number): void {
  if (at + n > b.length) return;
  b[sumAt] = 0;
  let s = 0;
  for (let i = at; i < at + n; i++) s = (s + b[i]!) & 0xff;
  b[sumAt] = (0x100 - s) & 0xff;
}

function lieInEntry(edit: FileEdit, b: Buffer, rng: Rng): string {
  const e = parseEntryPoint(b)!;
  const ep = Buffer.from(b.subarray(0, Math.max(e.length, 0x1f)));
  const left = b.length;
  let what: string;
  const sm3 = e.anchor === ANCHOR_SM3;
  const base = e.anchor === '_DMI_' ? -EP_SM_INTERMEDIATE : 0;
  const at = (field: number) => field + base;
  switch (rng.int(7)) {
    case 0: case 6: {
      const v = lieU32(rng, e.tableLength, [left, left - Number(e.tableAddress), 4, MAX_TABLE_BYTES, 0xffff]);
      if (sm3) ep.writeUInt32LE(v, EP_SM3.offsets.table_max_size);
      else ep.writeUInt16LE(v & 0xffff, at(EP_SM.offsets.table_length));
      what = `table length ${e.tableLength} -> ${sm3 ? v : v & 0xffff}`;
      break;
    }
    case 1: {
      if (sm3) {
        const v = lieU64(rng, e.tableAddress, [BigInt(left), 0n, 0x18n, 0x1fn]);
        ep.writeBigUInt64LE(v, EP_SM3.offsets.table_address);
        what = `table address 0x${e.tableAddress.toString(16)} -> 0x${v.toString(16)}`;
      } else {
        const v = lieU32(rng, Number(e.tableAddress), [left, 0, 0x10, 0x1f, 0xf0000]);
        ep.writeUInt32LE(v, at(EP_SM.offsets.table_address));
        what = `table address 0x${e.tableAddress.toString(16)} -> 0x${v.toString(16)}`;
      }
      break;
    }
    case 2: {
      if (sm3) return lieInEntry(edit, b, rng);
      const v = lieU16(rng, e.count, [0, 1, e.count * 2, 0xffff]);
      ep.writeUInt16LE(v, at(EP_SM.offsets.structure_count));
      what = `structure count ${e.count} -> ${v}`;
      break;
    }
    case 3: {
      // Another anchor over the same bytes: the fields land where the other layout has others.
      const anchor = rng.pick([ANCHOR_SM3, ANCHOR_SM, '_DMI_'].filter((a) => a !== e.anchor));
      ep.write(anchor, 0, 'latin1');
      if (anchor === ANCHOR_SM) ep.write('_DMI_', EP_SM_INTERMEDIATE, 'latin1');
      if (anchor !== '_DMI_') ep[anchor === ANCHOR_SM ? EP_SM.offsets.length : EP_SM3.offsets.length] = anchor === ANCHOR_SM ? 0x1f : EP_SM3.size;
      what = `anchor ${e.anchor} -> ${anchor}`;
      break;
    }
    case 4: {
      const [maj, min] = sm3 ? [EP_SM3.offsets.major, EP_SM3.offsets.minor] : [EP_SM.offsets.major, EP_SM.offsets.minor];
      if (e.anchor === '_DMI_') return lieInEntry(edit, b, rng);
      ep[maj] = rng.pick([0, 2, 3, 9, 255]);
      ep[min] = rng.pick([0, 1, 0x1f, 0x21, 0x33, 255]);
      what = `version -> ${ep[maj]}.${ep[min]}`;
      break;
    }
    default: {
      const v = rng.pick([0, 1, 0x10, 0x17, 0x1e, 0x1f, 0x20, 0xff]);
      if (e.anchor === '_DMI_') return lieInEntry(edit, b, rng);
      ep[sm3 ? EP_SM3.offsets.length : EP_SM.offsets.length] = v;
      what = `entry point length ${e.length} -> ${v}`;
    }
  }
  if (rng.chance(0.85)) {
    const sm3Now = ep.subarray(0, 5).toString('latin1') === ANCHOR_SM3;
    const smNow = ep.subarray(0, 4).toString('latin1') === ANCHOR_SM;
    if (smNow) fixSum(ep, EP_SM_INTERMEDIATE, EP_DMI.size, EP_SM_INTERMEDIATE + 5);
    const n = Math.min(ep.length, sm3Now ? Math.max(ep[6]!, EP_SM3.size) : smNow ? Math.max(ep[5]!, 0x1e) : EP_DMI.size);
    fixSum(ep, 0, n, smNow ? 4 : 5);
    what += ' (checksums made good)';
  }
  edit.write(0, ep);
  return `entry point: ${what}`;
}

function lieInTable(edit: FileEdit, b: Buffer, at: number, rng: Rng): string | undefined {
  const table = b.subarray(at, Math.min(b.length, at + MAX_TABLE_BYTES));
  const { structures } = walkTable(table, '?', at, 0, true);
  if (!structures.length) return undefined;
  const s = rng.pick(structures);
  const where = `structure at 0x${s.offset.toString(16)} (type ${s.type})`;
  const end = (() => {
    let e = s.offset + s.length;
    while (e + 1 < b.length && (b[e] !== 0 || b[e + 1] !== 0)) e++;
    return e;
  })();
  switch (rng.int(6)) {
    case 0: {
      const v = rng.pick([TYPE.END, TYPE.MEMORY_DEVICE, TYPE.BIOS, TYPE.SYSTEM, TYPE.DEVICE_MAPPED, TYPE.ARRAY_MAPPED, 126, 255]);
      edit.write(s.offset, Uint8Array.of(v));
      return `${where}: type -> ${v}`;
    }
    case 1: case 2: {
      const v = rng.pick([0, 1, 3, HEADER.size, s.length - 1, s.length + 1, s.length + 8, 0x7f, 0xff, end - s.offset + 2]) & 0xff;
      edit.write(s.offset + 1, Uint8Array.of(v));
      return `${where}: length ${s.length} -> ${v}`;
    }
    case 3: {
      const v = rng.pick([0, 0xffff, 0xfffe, structures[0]!.handle, s.handle + 1]) & 0xffff;
      edit.u16(s.offset + 2, v);
      return `${where}: handle 0x${s.handle.toString(16)} -> 0x${v.toString(16)}`;
    }
    case 4: {
      // The double NUL that ends the set: gone (the set runs into the next structure), or early.
      if (rng.chance(0.5) && end + 2 <= b.length) {
        edit.write(end, Buffer.from(rng.pick(['AA', 'A\0', '\0A']), 'latin1'));
        return `${where}: string set terminator at 0x${end.toString(16)} taken away`;
      }
      const early = s.offset + s.length + rng.int(Math.max(1, end - s.offset - s.length));
      edit.write(Math.min(early, b.length - 2), Uint8Array.of(0, 0));
      return `${where}: string set ended early at 0x${early.toString(16)}`;
    }
    default: {
      // A string number in the formatted area past the set (dmidecode's "<BAD INDEX>").
      if (s.length <= HEADER.size) return `${where}: nothing to change`;
      const o = s.offset + HEADER.size + rng.int(s.length - HEADER.size);
      const v = rng.pick([s.strings.length + 1, 0xff, 0, 1]);
      edit.write(o, Uint8Array.of(v));
      return `${where}: byte at +0x${(o - s.offset).toString(16)} -> ${v}`;
    }
  }
}

export const smbios: StructureMutator = {
  id: 'smbios',
  scope: 'file',
  fits: (_path, head) => parseEntryPoint(head) !== undefined || looksLikeTable(head),
  async mutate({ edit, rng }) {
    if (!edit || edit.size > MAX_SCAN_BYTES) return undefined;
    const b = edit.read(0, edit.size);
    const e = parseEntryPoint(b);
    const tableAt = e && e.tableAddress < BigInt(b.length) && e.tableAddress >= BigInt(e.length) ? Number(e.tableAddress) : e ? undefined : 0;
    if (e && (tableAt === undefined || rng.chance(0.5))) return lieInEntry(edit, b, rng);
    return tableAt === undefined ? undefined : lieInTable(edit, b, tableAt, rng);
  },
};

/** A bare table: as the backend's probe takes one (structures to a type 127, nothing left over). */
function looksLikeTable(head: Uint8Array): boolean {
  const { structures, problems } = walkTable(head, '?', 0, 0, true);
  return problems.length === 0 && structures.length >= 3 && structures[structures.length - 1]!.type === TYPE.END;
}
