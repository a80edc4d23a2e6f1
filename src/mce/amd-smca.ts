// AMD Scalable MCA (family 17h and later): the bank type comes from MCA_IPID (HardwareID
// bits 43:32, McaType bits 63:48), not from the bank number. Types and names:
// arch/x86/kernel/cpu/mce/amd.c (smca_hwid_mcatypes, smca_names); the quirks of
// rasdaemon mce-amd-smca.c fixup_hwid() and decode_smca_error(). Descriptions by
// extended error code (MCA_STATUS bits 21:16): amd-smca-tables.ts.
import { cpuFamily, cpuModel } from './cpuid.js';
import { smcaDescription } from './amd-smca-tables.js';

export interface SmcaType {
  /** The kernel's enum smca_bank_types name, less "SMCA_" (the key of SMCA_DESCS). */
  type: string;
  hwid: number;
  mcatype: number;
  name: string;
  errorClass: string;
}

const t = (type: string, hwid: number, mcatype: number, name: string, errorClass: string): SmcaType => ({ type, hwid, mcatype, name, errorClass });

export const SMCA_TYPES: readonly SmcaType[] = [
  t('LS', 0xb0, 0x0, 'Load Store Unit', 'load-store'),
  t('LS_V2', 0xb0, 0x10, 'Load Store Unit', 'load-store'),
  t('IF', 0xb0, 0x1, 'Instruction Fetch Unit', 'instruction-fetch'),
  t('L2_CACHE', 0xb0, 0x2, 'L2 Cache', 'cache'),
  t('DE', 0xb0, 0x3, 'Decode Unit', 'decode'),
  t('EX', 0xb0, 0x5, 'Execution Unit', 'execution'),
  t('FP', 0xb0, 0x6, 'Floating Point Unit', 'floating-point'),
  t('L3_CACHE', 0xb0, 0x7, 'L3 Cache', 'cache'),
  t('CS', 0x2e, 0x0, 'Coherent Slave', 'data-fabric'),
  t('PIE', 0x2e, 0x1, 'Power, Interrupts, etc.', 'data-fabric'),
  t('CS_V2', 0x2e, 0x2, 'Coherent Slave', 'data-fabric'),
  t('MA_LLC', 0x2e, 0x4, 'Memory Attached Last Level Cache', 'cache'),
  t('UMC', 0x96, 0x0, 'Unified Memory Controller', 'memory-controller'),
  t('UMC_V2', 0x96, 0x1, 'Unified Memory Controller', 'memory-controller'),
  t('PB', 0x05, 0x0, 'Parameter Block', 'platform'),
  t('PSP', 0xff, 0x0, 'Platform Security Processor', 'platform'),
  t('PSP_V2', 0xff, 0x1, 'Platform Security Processor', 'platform'),
  t('SMU', 0x01, 0x0, 'System Management Unit', 'platform'),
  t('SMU_V2', 0x01, 0x1, 'System Management Unit', 'platform'),
  t('MP5', 0x01, 0x2, 'Microprocessor 5 Unit', 'platform'),
  t('MPDMA', 0x01, 0x3, 'MPDMA Unit', 'platform'),
  t('NBIO', 0x18, 0x0, 'Northbridge IO Unit', 'io'),
  t('PCIE', 0x46, 0x0, 'PCI Express Unit', 'io'),
  t('PCIE_V2', 0x46, 0x1, 'PCI Express Unit', 'io'),
  t('XGMI_PCS', 0x50, 0x0, 'Ext Global Memory Interconnect PCS Unit', 'interconnect'),
  t('NBIF', 0x6c, 0x0, 'NBIF Unit', 'io'),
  t('SHUB', 0x80, 0x0, 'System Hub Unit', 'io'),
  t('SATA', 0xa8, 0x0, 'SATA Unit', 'io'),
  t('USB', 0xaa, 0x0, 'USB Unit', 'io'),
  t('USR_DP', 0x170, 0x0, 'Ultra Short Reach Data Plane Controller', 'interconnect'),
  t('USR_CP', 0x180, 0x0, 'Ultra Short Reach Control Plane Controller', 'interconnect'),
  t('GMI_PCS', 0x241, 0x0, 'Global Memory Interconnect PCS Unit', 'interconnect'),
  t('XGMI_PHY', 0x259, 0x0, 'Ext Global Memory Interconnect PHY Unit', 'interconnect'),
  t('WAFL_PHY', 0x267, 0x0, 'WAFL PHY Unit', 'interconnect'),
  t('GMI_PHY', 0x269, 0x0, 'Global Memory Interconnect PHY Unit', 'interconnect'),
];

/** rasdaemon fixup_hwid(): parts whose CS or UMC bits were reassigned without a new McaType. */
const QUIRKS: readonly { family: number; models: [number, number][]; from: string; to: SmcaType }[] = [
  // Genoa revision guide erratum 1384 (family 19h), and family 1Ah models 40h-4Fh.
  { family: 0x19, models: [[0x10, 0x1f], [0x60, 0x7b], [0xa0, 0xaf]], from: 'CS_V2', to: t('CS_V2_QUIRK', 0x2e, 0x2, 'Coherent Slave', 'data-fabric') },
  { family: 0x1a, models: [[0x40, 0x4f]], from: 'CS_V2', to: t('CS_V2_QUIRK', 0x2e, 0x2, 'Coherent Slave', 'data-fabric') },
  // Family 19h models 90h-9Fh (MI300): HBM memory controllers.
  { family: 0x19, models: [[0x90, 0x9f]], from: 'UMC', to: t('UMC_QUIRK', 0x96, 0x0, 'Unified Memory Controller', 'memory-controller') },
];
/** rasdaemon NONCPU_NODE_INDEX: IPID bits 47:44 of 8 and up name a GPU node, whose unknown banks are UMC V2. */
const NONCPU_NODE_INDEX = 8;

/** HardwareID (bits 43:32) and McaType (bits 63:48) of MCA_IPID. */
export function ipidType(ipid: bigint): { hwid: number; mcatype: number; instance: number } {
  return { hwid: Number((ipid >> 32n) & 0xfffn), mcatype: Number((ipid >> 48n) & 0xffffn), instance: Number(ipid & 0xffffffffn) };
}

export function smcaType(ipid: bigint, cpuid?: number): SmcaType | undefined {
  const { hwid, mcatype } = ipidType(ipid);
  const found = SMCA_TYPES.find((s) => s.hwid === hwid && s.mcatype === mcatype);
  if (!found) return Number((ipid >> 44n) & 0xfn) >= NONCPU_NODE_INDEX ? SMCA_TYPES.find((s) => s.type === 'UMC_V2') : undefined;
  if (cpuid === undefined) return found;
  const family = cpuFamily(cpuid), model = cpuModel(cpuid);
  const q = QUIRKS.find((k) => k.family === family && k.from === found.type && k.models.some(([lo, hi]) => model >= lo && model <= hi));
  return q?.to ?? found;
}

/**
 * Where a UMC DRAM ECC error (extended code 0) is, as rasdaemon decode_smca_error() puts it
 * in mc_location: the UMC channel is IPID InstanceId bits 31:20 and the chip select
 * MCA_SYND bits 2:0; on family 19h models 90h-9Fh the die is InstanceIdHi / 4; a UMC V2
 * (GPU node) bank names its HBM channel (IPID bits 15:12, +4 on an odd UMC) and UMC PHY.
 */
export function umcLocation(type: SmcaType, ipid: bigint, synd: bigint | undefined, cpuid: number | undefined): string | undefined {
  const umc = Number(ipid & 0xffffffffn) >>> 20;
  if (type.type === 'UMC_V2') {
    const hbm = Number((ipid >> 12n) & 0xfn) + (umc % 2 ? 4 : 0);
    return `HBM channel ${hbm}, UMC PHY ${Math.floor(umc / 2)}`;
  }
  if (type.type !== 'UMC' && type.type !== 'UMC_QUIRK') return undefined;
  if (cpuid !== undefined && cpuFamily(cpuid) === 0x19 && cpuModel(cpuid) >= 0x90 && cpuModel(cpuid) <= 0x9f) return `memory die ${Math.floor(Number((ipid >> 44n) & 0xfn) / 4)}`;
  return `UMC channel ${umc}${synd !== undefined ? `, chip select ${Number(synd & 7n)}` : ''}`;
}

/** The words for extended error code `xec` of a bank type, or "extended error code N". */
export function smcaErrorText(type: SmcaType, xec: number): string {
  return smcaDescription(type.type, xec)?.text ?? `extended error code ${xec}`;
}
