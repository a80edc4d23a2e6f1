// One machine check in words: what failed (Intel MCACOD / AMD bank type), the status
// bits, the address and how precise it is, and the severity as the kernel grades it.
import type { DecodedMce, MachineCheck, Severity } from '../model/index.js';
import { MCI, MCG_CAP_SER_P, bit, correctedCount, hex, hex4, mcacod, mcgFlags, miscAddress, mscod, thresholdStatus } from './bits.js';
import { decodeMcacod, type ErrorCode } from './intel.js';
import { decodeAmd } from './amd.js';
import { contextOf, gradeAmd, gradeIntel, toSeverity, type Grade, type GradeInput } from './severity.js';

export interface DecodeOptions {
  /** MCG_CAP, overriding the record's own mcgCap: decides SER_P. */
  mcgCap?: bigint;
}

export type Vendor = 'intel' | 'amd';

/** AMD and Hygon share the AMD decoding; a record with an IPID is from an SMCA CPU. */
export function vendorOf(mc: MachineCheck): Vendor {
  const v = mc.cpuVendor?.toLowerCase();
  if (v === 'amd' || v === 'hygon' || v === 'authenticamd' || v === 'hygongenuine') return 'amd';
  if (v === undefined && mc.ipid !== undefined && mc.ipid !== 0n) return 'amd';
  return 'intel';
}

export interface MceDetails {
  vendor: Vendor;
  code: ErrorCode;
  grade: Grade;
  /** The status bits in words, in the order they are printed. */
  flags: string[];
  address?: string;
}

function statusWords(s: bigint, vendor: Vendor): string[] {
  const w: string[] = [];
  if (!bit(s, MCI.VAL)) w.push('not valid');
  w.push(bit(s, MCI.UC) ? 'uncorrected' : vendor === 'amd' && bit(s, MCI.DEFERRED) ? 'deferred' : 'corrected');
  if (!bit(s, MCI.EN)) w.push('not enabled');
  if (bit(s, MCI.OVER)) w.push('overflow (errors lost)');
  if (bit(s, MCI.PCC)) w.push('processor context corrupt');
  if (vendor === 'intel') {
    if (bit(s, MCI.UC)) {
      if (bit(s, MCI.S)) w.push('signaled');
      if (bit(s, MCI.AR)) w.push('action required');
    } else {
      const n = correctedCount(s);
      if (n > 0) w.push(`corrected count ${n}`);
      const t = thresholdStatus(s);
      if (t !== 'no tracking') w.push(`threshold ${t}`);
    }
  } else {
    if (bit(s, MCI.AR)) w.push('task context corrupt');
    if (bit(s, MCI.POISON)) w.push('poison');
  }
  return w;
}

function addressWords(mc: MachineCheck, vendor: Vendor, code: ErrorCode): string | undefined {
  if (!bit(mc.status, MCI.ADDRV)) return undefined;
  if (mc.addr === undefined) return 'address register valid, value not recorded';
  if (vendor === 'amd') {
    // SMCA: MCA_ADDR bits 61:56 are the address LSB, 55:0 the address (amd.c smca_*);
    // a UMC reports the DRAM-normalized address, not the system physical one.
    if (mc.ipid === undefined || mc.ipid === 0n) return `address ${hex(mc.addr)}`;
    const lsb = Number((mc.addr >> 56n) & 0x3fn);
    const kind = code.errorClass === 'memory-controller' ? 'normalized, ' : '';
    return `address ${hex(mc.addr & ((1n << 56n) - 1n))} (${kind}LSB ${lsb})`;
  }
  const a = `address ${hex(mc.addr)}`;
  if (!bit(mc.status, MCI.MISCV) || mc.misc === undefined) return a;
  const m = miscAddress(mc.misc);
  return `${a} (${m.mode}, LSB ${m.lsb})`;
}

/** MCG_CAP.SER_P; a record without MCG_CAP (kernel log text, old struct mce) is taken as SER. */
const serOf = (mcgCap: bigint | undefined): boolean => mcgCap === undefined || bit(mcgCap, MCG_CAP_SER_P);

function gradeInput(mc: MachineCheck, opts: DecodeOptions): GradeInput {
  const mcg = mc.mcgStatus ?? 0n;
  return {
    status: mc.status, mcgStatus: mcg, bank: mc.bank,
    ser: serOf(opts.mcgCap ?? mc.mcgCap),
    // A record says it was logged in the #MC handler by MCG_STATUS.MCIP, so severity.c's
    // "MCIP not set in MCA handler" can never match a record read after the fact.
    exception: mc.mcgStatus !== undefined && bit(mcg, 2),
    context: contextOf(mc.ip, mcg),
    ...(mc.cpuid !== undefined ? { cpuid: mc.cpuid } : {}),
  };
}

/** The kernel's grade alone, without the words: what the correlator needs per record. */
const UC_OR_PCC = (1n << BigInt(MCI.UC)) | (1n << BigInt(MCI.PCC));
const DEFERRED_BIT = 1n << BigInt(MCI.DEFERRED);
/** Skylake-SP (family 6 model 0x55): its patrol-scrub UC is reported with UC clear (severity.c). */
const PATROL_SCRUB_QUIRK_BANKS: readonly [number, number] = [13, 18];

export function severityOf(mc: MachineCheck, opts: DecodeOptions = {}): Severity {
  // Most records are corrected errors: no rule of either vendor grades a record with UC
  // and PCC clear above corrected, but Skylake's patrol-scrub quirk and AMD's deferred.
  if ((mc.status & UC_OR_PCC) === 0n && (mc.bank < PATROL_SCRUB_QUIRK_BANKS[0] || mc.bank > PATROL_SCRUB_QUIRK_BANKS[1])) {
    return vendorOf(mc) === 'amd' && (mc.status & DEFERRED_BIT) !== 0n ? 'deferred' : 'corrected';
  }
  const input = gradeInput(mc, opts);
  const grade = vendorOf(mc) === 'amd' ? gradeAmd(input, mc.ipid !== undefined && mc.ipid !== 0n) : gradeIntel(input);
  return toSeverity(grade.level, mc.status);
}

export function mceDetails(mc: MachineCheck, opts: DecodeOptions = {}): MceDetails {
  const vendor = vendorOf(mc);
  const input = gradeInput(mc, opts);
  const smca = mc.ipid !== undefined && mc.ipid !== 0n;
  const code = vendor === 'amd' ? decodeAmd(mc.bank, mc.status, mc.ipid, mc.cpuid, mc.synd) : decodeMcacod(mcacod(mc.status));
  const grade = vendor === 'amd' ? gradeAmd(input, smca) : gradeIntel(input);
  const d: MceDetails = { vendor, code, grade, flags: statusWords(mc.status, vendor) };
  const a = addressWords(mc, vendor, code);
  if (a) d.address = a;
  return d;
}

/** The summary: "<error>; <status words>; <address>; severity <s> (kernel: <reason>)". */
export function summarize(mc: MachineCheck, d: MceDetails): string {
  const parts = [d.code.text];
  if (d.vendor === 'intel' && mscod(mc.status) !== 0) parts.push(`model-specific code ${hex4(mscod(mc.status))}`);
  parts.push(d.flags.join(', '));
  parts.push(d.address ?? 'no address');
  parts.push(`severity ${toSeverity(d.grade.level, mc.status)} (kernel: ${d.grade.reason})`);
  if (mc.mcgStatus !== undefined) {
    const f = mcgFlags(mc.mcgStatus);
    parts.push(`MCG_STATUS ${f.length ? f.join(' ') : 'none'}`);
  }
  return parts.join('; ');
}

export function decodeMce(mc: MachineCheck, opts: DecodeOptions = {}): DecodedMce {
  const d = mceDetails(mc, opts);
  const out: DecodedMce = {
    bank: mc.bank,
    status: hex(mc.status),
    severity: toSeverity(d.grade.level, mc.status),
    errorClass: d.code.errorClass,
    summary: summarize(mc, d),
    source: mc.source,
  };
  if (mc.addr !== undefined) out.addr = hex(mc.addr);
  if (mc.misc !== undefined) out.misc = hex(mc.misc);
  if (mc.mcgStatus !== undefined) out.mcgStatus = hex(mc.mcgStatus);
  if (mc.synd !== undefined) out.synd = hex(mc.synd);
  if (mc.ipid !== undefined) out.ipid = hex(mc.ipid);
  if (mc.cpu !== undefined) out.cpu = mc.cpu;
  if (mc.socket !== undefined) out.socket = mc.socket;
  if (mc.time !== undefined) out.time = mc.time.toISOString();
  if (mc.cpuVendor !== undefined) out.cpuVendor = mc.cpuVendor;
  if (mc.alsoIn?.length) out.alsoIn = mc.alsoIn;
  return out;
}
