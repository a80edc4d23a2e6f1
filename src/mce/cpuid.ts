// CPUID(1).EAX family and model (Intel SDM Vol. 2A CPUID, AMD APM Vol. 3 CPUID Fn0000_0001).

/** The family, with the extended family added for family 0Fh. */
export function cpuFamily(cpuid: number): number {
  const base = (cpuid >>> 8) & 0xf;
  return base === 0xf ? base + ((cpuid >>> 20) & 0xff) : base;
}

/** The model, extended model bits 19:16 on top. */
export function cpuModel(cpuid: number): number {
  return ((cpuid >>> 12) & 0xf0) | ((cpuid >>> 4) & 0xf);
}
