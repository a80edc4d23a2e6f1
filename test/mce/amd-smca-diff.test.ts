// crashlog's AMD SMCA decode beside the kernel's tables (peers/mce-amd-tables.ts, the
// v6.7 drivers/edac/mce_amd.c list): every bank type of smca_hwid_mcatypes[] by its
// IPID, every extended error code 0..63 (MCA_STATUS bits 21:16), on CPUs with and
// without rasdaemon's fixup_hwid() quirks. Every difference is listed; the deliberate
// ones are in DIFFERENCES with the rule crashlog follows instead.
import { describe, expect, it } from 'vitest';
import { decodeAmd } from '../../src/mce/amd.js';
import { smcaType } from '../../src/mce/amd-smca.js';
import { smcaDescription } from '../../src/mce/amd-smca-tables.js';
import { KERNEL_SMCA } from './peers/mce-amd-tables.js';

/** CPUID(1).EAX of a Zen 2 (17h/31h), Genoa (19h/11h), MI300 (19h/90h), a family 1Ah model 44h part, and none recorded. */
const CPUS: readonly (number | undefined)[] = [0x00830f10, 0x00a10f11, 0x00a90f00, 0x00b40f40, undefined];
const VAL_EN = (1n << 63n) | (1n << 60n);

type Kind = 'rasdaemon names a code the kernel did not' | 'rasdaemon fixup_hwid() quirk table';
const DIFFERENCES: Readonly<Record<Kind, string>> = {
  'rasdaemon names a code the kernel did not': 'rasdaemon mce-amd-smca.c continues the kernel\'s list (newer PPRs), and has tables the kernel never had (MA_LLC, USR_DP, USR_CP); the kernel printed only "Ext. Error Code: N" there',
  'rasdaemon fixup_hwid() quirk table': 'rasdaemon fixup_hwid(): family 19h models 10h-1Fh/60h-7Bh/A0h-AFh and 1Ah 40h-4Fh decode CS_V2 with the Genoa erratum 1384 table; 19h 90h-9Fh (MI300) decode UMC with the HBM table',
};

describe('AMD SMCA decode beside drivers/edac/mce_amd.c (v6.7 tables)', () => {
  it('agrees on every code the kernel named, every other difference named', () => {
    let total = 0, agree = 0;
    const known = new Map<Kind, number>();
    const unexplained: string[] = [];
    for (const k of KERNEL_SMCA) for (const cpuid of CPUS) for (let xec = 0; xec < 64; xec++) {
      total++;
      const ipid = (BigInt(k.mcatype) << 48n) | (BigInt(k.hwid) << 32n);
      const text = decodeAmd(5, VAL_EN | (BigInt(xec) << 16n), ipid, cpuid).text;
      // The UMC location rasdaemon adds to code 0 (umcLocation) is not part of the description.
      const ours = text.slice(text.indexOf(' error: ') + ' error: '.length).replace(/ \((?:UMC channel|memory die|HBM channel) [^)]*\)$/, '');
      const kernel = k.descs?.[xec] ?? `extended error code ${xec}`;
      if (ours === kernel) { agree++; continue; }
      const type = smcaType(ipid, cpuid)!;
      const kind: Kind | undefined = type.type !== k.type ? 'rasdaemon fixup_hwid() quirk table'
        : k.descs?.[xec] === undefined && smcaDescription(type.type, xec)?.from === 'rasdaemon' ? 'rasdaemon names a code the kernel did not' : undefined;
      if (kind) known.set(kind, (known.get(kind) ?? 0) + 1);
      else unexplained.push(`${k.type} cpuid ${cpuid?.toString(16) ?? '-'} xec ${xec}: kernel "${kernel}", crashlog "${ours}"`);
    }
    console.log([`kernel mce_amd.c tables: ${agree}/${total} agree (${((100 * agree) / total).toFixed(2)}%)`,
      ...[...known].map(([kind, n]) => `  ${kind}: ${n} (${DIFFERENCES[kind]})`), ...unexplained.map((u) => `  unexplained: ${u}`)].join('\n'));
    expect(unexplained).toEqual([]);
  });

  it('quirks and GPU nodes as rasdaemon decodes them', () => {
    const cs2 = (0x2n << 48n) | (0x2en << 32n);
    expect(decodeAmd(5, VAL_EN | (9n << 16n), cs2, 0x00830f10).text).toBe('Coherent Slave error: Probe Filter Protocol Error');
    expect(decodeAmd(5, VAL_EN | (9n << 16n), cs2, 0x00a10f11).text).toBe('Coherent Slave error: SDP read response had an unexpected RETRY error');
    expect(decodeAmd(5, VAL_EN, (0x96n << 32n) | (0x9n << 44n), 0x00a90f00).text).toBe('Unified Memory Controller error: DRAM On Die ECC error (memory die 2)');
    // An unknown bank type on a non-CPU node (IPID bits 47:44 >= 8) is a UMC V2 bank.
    expect(decodeAmd(5, VAL_EN | (8n << 16n), (0x7n << 48n) | (0x8123n << 32n), undefined).text).toBe('Unified Memory Controller error: Read data parity error');
    // rasdaemon mc_location: UMC channel from IPID InstanceId bits 31:20, chip select from SYND bits 2:0; HBM channel on a GPU node.
    expect(decodeAmd(15, VAL_EN, 0x9600350f00n, 0x00a00f11, 0x4d000005n).text).toBe('Unified Memory Controller error: DRAM ECC error (UMC channel 3, chip select 5)');
    expect(decodeAmd(15, VAL_EN, (0x1n << 48n) | (0x96n << 32n) | 0x00303000n, undefined).text).toBe('Unified Memory Controller error: DRAM ECC error (HBM channel 7, UMC PHY 1)');
    expect(decodeAmd(5, VAL_EN | (8n << 16n), (0x7n << 48n) | (0x123n << 32n), undefined).text).toMatch(/^Unknown SMCA bank type \(HWID 0x123, McaType 0x7\)/);
  });
});
