// The raw `struct mce` the kernel writes to ERST/pstore at a fatal machine check
// (mce-* pstore files, CPER MCE sections). Layout: arch/x86/include/uapi/asm/mce.h.
// The struct grew over time (synd/ipid in 4.x, ppin, microcode, kflags later); fields
// past the end of an older, shorter record are simply absent.
import type { MachineCheck, SourceRef } from '../model/index.js';
import { Cursor } from '../util/cursor.js';
import { FormatError } from '../util/errors.js';
import { struct } from '../util/struct.js';

export const STRUCT_MCE = struct('mce', [
  ['status', 'u64'],
  ['misc', 'u64'],
  ['addr', 'u64'],
  ['mcgstatus', 'u64'],
  ['ip', 'u64'],
  ['tsc', 'u64'],
  ['time', 'u64'],
  ['cpuvendor', 'u8'],
  ['inject_flags', 'u8'],
  ['severity', 'u8'],
  ['pad', 'u8'],
  ['cpuid', 'u32'],
  ['cs', 'u8'],
  ['bank', 'u8'],
  ['cpu', 'u8'],
  ['finished', 'u8'],
  ['extcpu', 'u32'],
  ['socketid', 'u32'],
  ['apicid', 'u32'],
  ['mcgcap', 'u64'],
  ['synd', 'u64'],
  ['ipid', 'u64'],
  ['ppin', 'u64'],
  ['microcode', 'u32'],
  ['pad2', 'u32'],
  ['kflags', 'u64'],
] as const);

/** The oldest layout still met: everything through apicid. */
export const MIN_MCE_BYTES = STRUCT_MCE.offsets.mcgcap;
/** The kernel's X86_VENDOR_* enum (arch/x86/include/asm/processor.h). */
export const VENDORS = ['intel', 'cyrix', 'amd', 'umc', undefined, 'centaur', undefined, 'transmeta', 'nsc', 'hygon', 'zhaoxin', 'vortex'];

export function parseStructMce(bytes: Uint8Array, source: SourceRef): MachineCheck {
  if (bytes.length < MIN_MCE_BYTES) {
    throw new FormatError(source.path, source.offset ?? 0, `struct mce: expected at least ${MIN_MCE_BYTES} bytes, have ${bytes.length}`);
  }
  // Zero-pad an older, shorter record to the current layout; absent fields read as 0.
  const full = new Uint8Array(Math.max(bytes.length, STRUCT_MCE.size));
  full.set(bytes);
  const m = STRUCT_MCE.read(new Cursor(full, source.path, source.offset ?? 0));
  const has = (field: keyof typeof STRUCT_MCE.offsets, width: number) => bytes.length >= STRUCT_MCE.offsets[field] + width;
  const mc: MachineCheck = {
    kind: 'mce',
    bank: m.bank,
    status: m.status,
    mcgStatus: m.mcgstatus,
    addr: m.addr,
    misc: m.misc,
    tsc: m.tsc,
    cpu: m.extcpu,
    socket: m.socketid,
    apicId: m.apicid,
    cpuid: m.cpuid,
    source,
  };
  if (m.ip !== 0n) mc.ip = m.ip;
  const vendor = VENDORS[m.cpuvendor];
  if (vendor) mc.cpuVendor = vendor;
  if (m.time !== 0n && m.time < 1n << 40n) mc.time = new Date(Number(m.time) * 1000);
  if (has('mcgcap', 8) && m.mcgcap !== 0n) mc.mcgCap = m.mcgcap;
  if (has('synd', 8) && m.synd !== 0n) mc.synd = m.synd;
  if (has('ipid', 8) && m.ipid !== 0n) mc.ipid = m.ipid;
  if (has('microcode', 4)) mc.microcode = m.microcode;
  return mc;
}
