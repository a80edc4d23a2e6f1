// `crashlog mce decode`: one bank record from the command line, decoded in words. Loaded
// when the command runs (src/commands/mce.ts).
import type { MachineCheck } from '../model/index.js';
import { decodeMce, mceDetails } from '../mce/decode.js';
import { hex, hex4, mcgFlags, mscod } from '../mce/bits.js';
import { toSeverity } from '../mce/severity.js';
import { ApplicationError } from '../util/errors.js';

export interface DecodeOpts {
  status?: string; bank?: string; addr?: string; misc?: string; mcgStatus?: string;
  ipid?: string; synd?: string; ip?: string; vendor?: string; cpuid?: string; mcgCap?: string; json?: boolean;
}

const U64_MAX = (1n << 64n) - 1n;

/** A register value as typed: 0x-prefixed hex, or decimal. */
export function parseRegister(name: string, text: string): bigint {
  const t = text.trim();
  if (!/^(?:0x[0-9a-f]{1,16}|\d{1,20})$/i.test(t)) throw new ApplicationError(`mce decode: --${name} ${JSON.stringify(text)} is not a number (use 0x... for hex)`, 2);
  const v = BigInt(t);
  if (v > U64_MAX) throw new ApplicationError(`mce decode: --${name} ${text} does not fit in 64 bits`, 2);
  return v;
}

function smallNumber(name: string, text: string, max: number): number {
  const v = parseRegister(name, text);
  if (v > BigInt(max)) throw new ApplicationError(`mce decode: --${name} ${text} is out of range (0..${max})`, 2);
  return Number(v);
}

export function machineCheckFromOptions(o: DecodeOpts): MachineCheck {
  if (o.status === undefined) throw new ApplicationError('mce decode: --status is required (the MCi_STATUS value, e.g. 0xbe0000000001009f)', 2);
  const mc: MachineCheck = { kind: 'mce', bank: o.bank === undefined ? 0 : smallNumber('bank', o.bank, 255), status: parseRegister('status', o.status), source: { backend: 'cli', path: '-' } };
  if (o.addr !== undefined) mc.addr = parseRegister('addr', o.addr);
  if (o.misc !== undefined) mc.misc = parseRegister('misc', o.misc);
  if (o.mcgStatus !== undefined) mc.mcgStatus = parseRegister('mcg-status', o.mcgStatus);
  if (o.mcgCap !== undefined) mc.mcgCap = parseRegister('mcg-cap', o.mcgCap);
  if (o.ipid !== undefined) mc.ipid = parseRegister('ipid', o.ipid);
  if (o.synd !== undefined) mc.synd = parseRegister('synd', o.synd);
  if (o.ip !== undefined) mc.ip = parseRegister('ip', o.ip);
  if (o.cpuid !== undefined) mc.cpuid = smallNumber('cpuid', o.cpuid, 0xffffffff);
  if (o.vendor !== undefined) {
    const v = o.vendor.toLowerCase();
    if (v !== 'intel' && v !== 'amd' && v !== 'hygon') throw new ApplicationError(`mce decode: --vendor must be intel, amd or hygon, not ${JSON.stringify(o.vendor)}`, 2);
    mc.cpuVendor = v;
  }
  return mc;
}

export function renderDecode(mc: MachineCheck): string {
  const d = mceDetails(mc);
  const rows: [string, string][] = [
    ['Bank', `${mc.bank} (${d.vendor === 'amd' ? 'AMD' : 'Intel'} decoding)`],
    ['Status', hex(mc.status)],
    ['Error', d.code.text],
    ['Class', d.code.errorClass],
  ];
  if (d.vendor === 'intel' && mscod(mc.status) !== 0) rows.push(['Model code', `MSCOD ${hex4(mscod(mc.status))} (model-specific)`]);
  rows.push(['Bits', d.flags.join(', ')]);
  rows.push(['Address', d.address?.replace(/^address /, '') ?? 'not valid (ADDRV clear)']);
  if (mc.mcgStatus !== undefined) rows.push(['MCG_STATUS', `${hex(mc.mcgStatus)} ${mcgFlags(mc.mcgStatus).join(' ') || '(none set)'}`]);
  // MCG_CAP bit 24, MCG_SER_P (Intel SDM Vol. 3B 16.3.1.1): the kernel grades by it (severity.c).
  if (mc.mcgCap !== undefined) rows.push(['MCG_CAP', `${hex(mc.mcgCap)} ${(mc.mcgCap >> 24n) & 1n ? 'SER_P (software error recovery)' : 'no SER_P: uncorrected errors are not recoverable'}`]);
  rows.push(['Severity', `${toSeverity(d.grade.level, mc.status)} (kernel grade ${d.grade.level}: ${d.grade.reason})`]);
  const w = rows.reduce((n, [k]) => Math.max(n, k.length), 0);
  return `${rows.map(([k, v]) => `${`${k}:`.padEnd(w + 2)}${v}`).join('\n')}\n\n${decodeMce(mc).summary}\n`;
}
export { decodeMce } from '../mce/decode.js';
