// AMD machine-check banks. Family 17h+ (Scalable MCA): the bank's type from MCA_IPID and
// the extended error code (bits 21:16) name the error (amd-smca.ts). Older families
// (0Fh..16h): fixed bank numbers (0 DC, 1 IC, 2 BU/CU, 3 LS, 4 NB, 5 FR/EX, 6 FP) and the
// architectural error code plus a 5-bit extended code (drivers/edac/mce_amd.c).
import { field, hex4 } from './bits.js';
import { decodeMcacod, type ErrorCode } from './intel.js';
import { ipidType, smcaErrorText, smcaType, umcLocation } from './amd-smca.js';
import { cpuFamily } from './cpuid.js';

export { cpuFamily, cpuModel } from './cpuid.js';

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

function decodeSmca(status: bigint, ipid: bigint, cpuid: number | undefined, synd: bigint | undefined): ErrorCode {
  const xec = field(status, 16, 6);
  const t = smcaType(ipid, cpuid);
  if (!t) {
    const { hwid, mcatype } = ipidType(ipid);
    const arch = decodeMcacod(field(status, 0, 16));
    return { errorClass: arch.errorClass, text: `Unknown SMCA bank type (HWID 0x${hwid.toString(16)}, McaType 0x${mcatype.toString(16)}): extended error code ${xec}; ${arch.text}` };
  }
  const where = xec === 0 ? umcLocation(t, ipid, synd, cpuid) : undefined;
  return { errorClass: t.errorClass, text: `${t.name} error: ${smcaErrorText(t, xec)}${where ? ` (${where})` : ''}` };
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
export function decodeAmd(bank: number, status: bigint, ipid: bigint | undefined, cpuid: number | undefined, synd?: bigint): ErrorCode {
  const family = cpuid === undefined ? undefined : cpuFamily(cpuid);
  if (ipid !== undefined && ipid !== 0n) return decodeSmca(status, ipid, cpuid, synd);
  return decodeLegacy(bank, status, family);
}
