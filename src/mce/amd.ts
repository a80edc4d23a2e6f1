// AMD machine-check banks. Family 17h+ (Scalable MCA): the bank's type from MCA_IPID and
// the extended error code (bits 21:16) name the error (amd-smca.ts). Older families
// (0Fh..16h): fixed bank numbers (0 DC, 1 IC, 2 BU/CU, 3 LS, 4 NB, 5 FR/EX, 6 FP) and the
// architectural error code plus a 5-bit extended code (drivers/edac/mce_amd.c).
import { field, hex4 } from './bits.js';
import { decodeMcacod, type ErrorCode } from './intel.js';
import { ipidType, smcaType } from './amd-smca.js';

/** CPUID(1).EAX family, with the extended family added for family 0Fh. */
export function cpuFamily(cpuid: number): number {
  const base = (cpuid >>> 8) & 0xf;
  return base === 0xf ? base + ((cpuid >>> 20) & 0xff) : base;
}

export function cpuModel(cpuid: number): number {
  return ((cpuid >>> 12) & 0xf0) | ((cpuid >>> 4) & 0xf);
}

const F10H_NB = ['HT link data error', 'Protocol error (link, L3, probe filter, etc.)', 'Parity error in NB-internal arrays', 'Link Retry due to IO link transmission error', 'L3 ECC data cache error', 'ECC error in L3 cache tag', 'L3 LRU parity bits error', 'ECC Error in the Probe Filter directory'];
const NB: Record<number, string> = {
  0x0: 'DRAM ECC error detected on the NB', 0x1: 'CRC error detected on HT link', 0x2: 'Sync error (sync packets on HT link detected)',
  0x3: 'HT Master abort', 0x4: 'HT Target abort', 0x5: 'Invalid GART PTE entry during GART table walk',
  0x6: 'Unsupported atomic RMW received from an IO link', 0x7: 'NB Watchdog timeout', 0x8: 'DRAM ECC error detected on the NB',
  0x9: 'SVM DMA Exclusion Vector error', 0xa: F10H_NB[0]!, 0xb: F10H_NB[1]!, 0xc: F10H_NB[2]!,
  0xd: 'Parity error on the DRAM addr/ctl signals', 0xe: F10H_NB[3]!,
  0x1c: F10H_NB[4]!, 0x1d: F10H_NB[5]!, 0x1e: F10H_NB[6]!, 0x1f: F10H_NB[7]!,
};
const FP: Record<number, string> = { 1: 'Free List', 2: 'Physical Register File', 3: 'Retire Queue', 4: 'Scheduler table', 5: 'Status Register File' };

function legacyBankName(bank: number, family: number | undefined): string {
  const f15 = family === 0x15;
  return ['Data Cache', 'Instruction Cache', f15 ? 'Combined Unit' : 'Bus Unit', 'Load Store', 'Northbridge', f15 ? 'Execution Unit' : 'FIROB', 'Floating Point Unit'][bank] ?? `Bank ${bank}`;
}

function decodeSmca(status: bigint, ipid: bigint): ErrorCode {
  const xec = field(status, 16, 6);
  const t = smcaType(ipid);
  if (!t) {
    const { hwid, mcatype } = ipidType(ipid);
    const arch = decodeMcacod(field(status, 0, 16));
    return { errorClass: arch.errorClass, text: `Unknown SMCA bank type (HWID 0x${hwid.toString(16)}, McaType 0x${mcatype.toString(16)}): extended error code ${xec}; ${arch.text}` };
  }
  const what = t.errors?.[xec] ?? `extended error code ${xec}`;
  return { errorClass: t.errorClass, text: `${t.name} error: ${what}` };
}

function decodeLegacy(bank: number, status: bigint, family: number | undefined): ErrorCode {
  const arch = decodeMcacod(field(status, 0, 16));
  const xec = field(status, 16, 5);
  const name = legacyBankName(bank, family);
  if (bank === 4) {
    const nb = NB[xec];
    if (nb) return { errorClass: xec === 0 || xec === 8 || xec === 0xd ? 'memory-controller' : arch.errorClass, text: `${name} error: ${nb}; ${arch.text}` };
  }
  if (bank === 6 && FP[xec]) return { errorClass: 'floating-point', text: `${name} error: ${FP[xec]} parity error` };
  return { errorClass: arch.errorClass, text: `${name} error: ${arch.text}${xec ? `, extended error code ${hex4(xec)}` : ''}` };
}

/** The error an AMD (or Hygon) bank reports, by IPID when the CPU has Scalable MCA. */
export function decodeAmd(bank: number, status: bigint, ipid: bigint | undefined, cpuid: number | undefined): ErrorCode {
  const family = cpuid === undefined ? undefined : cpuFamily(cpuid);
  if (ipid !== undefined && ipid !== 0n) return decodeSmca(status, ipid);
  return decodeLegacy(bank, status, family);
}
