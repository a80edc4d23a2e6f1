// MCi_STATUS, MCG_STATUS and MCi_MISC bit fields: Intel SDM Vol. 3B ch. 16 ("Machine-Check
// Architecture"), AMD APM Vol. 2 §9.3 / PPR MCA_STATUS; kernel names from
// arch/x86/include/asm/mce.h (MCI_STATUS_*, MCG_STATUS_*, MCI_MISC_ADDR_*).

export const bit = (v: bigint, n: number): boolean => ((v >> BigInt(n)) & 1n) === 1n;
export const field = (v: bigint, lo: number, width: number): number => Number((v >> BigInt(lo)) & ((1n << BigInt(width)) - 1n));

export const MCI = {
  VAL: 63, OVER: 62, UC: 61, EN: 60, MISCV: 59, ADDRV: 58, PCC: 57,
  /** Intel (with MCG_CAP.SER_P): signaled by #MC; AMD: ErrCoreIdVal. */
  S: 56,
  /** Intel: action required; AMD: TCC (task context corrupt). */
  AR: 55,
  /** AMD: deferred error (kernel MCI_STATUS_DEFERRED) and poison (MCI_STATUS_POISON). */
  DEFERRED: 44, POISON: 43,
} as const;

export const MCG = { RIPV: 0, EIPV: 1, MCIP: 2, LMCE_S: 3 } as const;
export const MCG_NAMES: readonly (readonly [number, string])[] = [[MCG.RIPV, 'RIPV'], [MCG.EIPV, 'EIPV'], [MCG.MCIP, 'MCIP'], [MCG.LMCE_S, 'LMCES']];
/** MCG_CAP.MCG_SER_P: software error recovery (S/AR bits meaningful). */
export const MCG_CAP_SER_P = 24;

/** MCA error code (MCACOD, bits 15:0) and model-specific code (MSCOD, bits 31:16). */
export const mcacod = (status: bigint): number => field(status, 0, 16);
export const mscod = (status: bigint): number => field(status, 16, 16);
/** Intel corrected error count, bits 52:38 (15 bits). */
export const correctedCount = (status: bigint): number => field(status, 38, 15);
/** Intel threshold-based error status, bits 54:53 (meaningful for corrected errors). */
export const THRESHOLD = ['no tracking', 'green', 'yellow', 'reserved'] as const;
export const thresholdStatus = (status: bigint): (typeof THRESHOLD)[number] => THRESHOLD[field(status, 53, 2)]!;

/** MCi_MISC address mode (bits 8:6) and recoverable address LSB (bits 5:0), SDM table 16-3. */
const ADDRESS_MODES = ['segment offset', 'linear', 'physical', 'memory', 'reserved (4)', 'reserved (5)', 'reserved (6)', 'generic'] as const;
export function miscAddress(misc: bigint): { mode: string; lsb: number } {
  return { mode: ADDRESS_MODES[field(misc, 6, 3)]!, lsb: field(misc, 0, 6) };
}

export function mcgFlags(mcg: bigint): string[] {
  return MCG_NAMES.filter(([n]) => bit(mcg, n)).map(([, name]) => name);
}

export const hex = (v: bigint | number): string => `0x${v.toString(16)}`;
export const hex4 = (v: number): string => `0x${v.toString(16).padStart(4, '0')}`;

/** MCi_ADDR at the precision MCi_MISC gives (bits below the LSB cleared), or undefined when ADDRV is clear. */
export function significantAddr(status: bigint, addr: bigint | undefined, misc: bigint | undefined): bigint | undefined {
  if (!bit(status, MCI.ADDRV) || addr === undefined) return undefined;
  if (!bit(status, MCI.MISCV) || misc === undefined) return addr;
  const lsb = BigInt(field(misc, 0, 6));
  return lsb === 0n ? addr : (addr >> lsb) << lsb;
}
