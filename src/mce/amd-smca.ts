// AMD Scalable MCA (family 17h and later): the bank type comes from MCA_IPID
// (HardwareID bits 43:32, McaType bits 63:48), not from the bank number. Types and names:
// arch/x86/kernel/cpu/mce/amd.c (smca_hwid_mcatypes, smca_names); error descriptions by
// extended error code (MCA_STATUS bits 21:16): drivers/edac/mce_amd.c (smca_*_mce_desc).

export interface SmcaType {
  hwid: number;
  mcatype: number;
  name: string;
  errorClass: string;
  errors?: readonly string[];
}

const LS = ['Load queue parity error', 'Store queue parity error', 'Miss address buffer payload parity error', 'Level 1 TLB parity error', 'DC Tag error type 5', 'DC Tag error type 6', 'DC Tag error type 1', 'Internal error type 1', 'Internal error type 2', 'System Read Data Error Thread 0', 'System Read Data Error Thread 1', 'DC Tag error type 2', 'DC Data error type 1 and poison consumption', 'DC Data error type 2', 'DC Data error type 3', 'DC Tag error type 4', 'Level 2 TLB parity error', 'PDC parity error', 'DC Tag error type 3', 'DC Tag error type 5', 'L2 Fill Data error'];
const LS2 = ['An ECC error was detected on a data cache read by a probe or victimization', 'An ECC error or L2 poison was detected on a data cache read by a load', 'An ECC error was detected on a data cache read-modify-write by a store', 'An ECC error or poison bit mismatch was detected on a tag read by a probe or victimization', 'An ECC error or poison bit mismatch was detected on a tag read by a load', 'An ECC error or poison bit mismatch was detected on a tag read by a store', 'An ECC error was detected on an EMEM read by a load', 'An ECC error was detected on an EMEM read-modify-write by a store', 'A parity error was detected in an L1 TLB entry by any access', 'A parity error was detected in an L2 TLB entry by any access', 'A parity error was detected in a PWC entry by any access', 'A parity error was detected in an STQ entry by any access', 'A parity error was detected in an LDQ entry by any access', 'A parity error was detected in a MAB entry by any access', 'A parity error was detected in an SCB entry state field by any access', 'A parity error was detected in an SCB entry address field by any access', 'A parity error was detected in an SCB entry data field by any access', 'A parity error was detected in a WCB entry by any access', 'A poisoned line was detected in an SCB entry by any access', 'A SystemReadDataError error was reported on read data returned from L2 for a load', 'A SystemReadDataError error was reported on read data returned from L2 for an SCB store', 'A SystemReadDataError error was reported on read data returned from L2 for a WCB store', 'A hardware assertion error was reported', 'A parity error was detected in an STLF, SCB EMEM entry or SRB store data by any access'];
const IF = ['Op Cache Microtag Probe Port Parity Error', 'IC Microtag or Full Tag Multi-hit Error', 'IC Full Tag Parity Error', 'IC Data Array Parity Error', 'Decoupling Queue PhysAddr Parity Error', 'L0 ITLB Parity Error', 'L1 ITLB Parity Error', 'L2 ITLB Parity Error', 'BPQ Thread 0 Snoop Parity Error', 'BPQ Thread 1 Snoop Parity Error', 'L1 BTB Multi-Match Error', 'L2 BTB Multi-Match Error', 'L2 Cache Response Poison Error', 'System Read Data Error', 'Hardware Assertion Error', 'L1-TLB Multi-Hit', 'L2-TLB Multi-Hit', 'BSR Parity Error', 'CT MCE'];
const L2 = ['L2M Tag Multiple-Way-Hit error', 'L2M Tag or State Array ECC Error', 'L2M Data Array ECC Error', 'Hardware Assert Error'];
const DE = ['Micro-op cache tag parity error', 'Micro-op cache data parity error', 'Instruction buffer parity error', 'Micro-op queue parity error', 'Instruction dispatch queue parity error', 'Fetch address FIFO parity error', 'Patch RAM data parity error', 'Patch RAM sequencer parity error', 'Micro-op buffer parity error', 'Hardware Assertion MCA Error'];
const EX = ['Watchdog Timeout error', 'Physical register file parity error', 'Flag register file parity error', 'Immediate displacement register file parity error', 'Address generator payload parity error', 'EX payload parity error', 'Checkpoint queue parity error', 'Retire dispatch queue parity error', 'Retire status queue parity error', 'Scheduling queue parity error', 'Branch buffer queue parity error', 'Hardware Assertion error', 'Spec Map parity error', 'Retire Map parity error'];
const FP = ['Physical register file (PRF) parity error', 'Freelist (FL) parity error', 'Schedule queue parity error', 'NSQ parity error', 'Retire queue (RQ) parity error', 'Status register file (SRF) parity error', 'Hardware assertion'];
const L3 = ['Shadow Tag Macro ECC Error', 'Shadow Tag Macro Multi-way-hit Error', 'L3M Tag ECC Error', 'L3M Tag Multi-way-hit Error', 'L3M Data ECC Error', 'SDP Parity Error or SystemReadDataError from XI', 'L3 Victim Queue Parity Error', 'L3 Hardware Assertion'];
const CS = ['Illegal Request', 'Address Violation', 'Security Violation', 'Illegal Response', 'Unexpected Response', 'Request or Probe Parity Error', 'Read Response Parity Error', 'Atomic Request Parity Error', 'Probe Filter ECC Error'];
const CS2 = ['Illegal Request', 'Address Violation', 'Security Violation', 'Illegal Response', 'Unexpected Response', 'Request or Probe Parity Error', 'Read Response Parity Error', 'Atomic Request Parity Error', 'SDP read response had no match in the CS queue', 'Probe Filter Protocol Error', 'Probe Filter ECC Error', 'SDP read response had an unexpected RETRY error', 'Counter overflow error', 'Counter underflow error'];
const PIE = ['Hardware Assert', 'Register security violation', 'Link Error', 'Poison data consumption', 'A deferred error was detected in the DF'];
const UMC = ['DRAM ECC error', 'Data poison error', 'SDP parity error', 'Advanced peripheral bus error', 'Address/Command parity error', 'Write data CRC error', 'DCQ SRAM ECC error', 'AES SRAM ECC error'];
const UMC2 = ['DRAM ECC error', 'Data poison error', 'SDP parity error', 'Reserved', 'Address/Command parity error', 'Write data parity error', 'DCQ SRAM ECC error', 'Reserved', 'Read data parity error', 'Rdb SRAM ECC error', 'RdRsp SRAM ECC error', 'LM32 MP errors'];
const NBIO = ['ECC or Parity error', 'PCIE error', 'SDP ErrEvent error', 'SDP Egress Poison Error', 'IOHC Internal Poison Error'];
const PCIE = ['CCIX PER Message logging', 'CCIX Read Response with Status: Non-Data Error', 'CCIX Write Response with Status: Non-Data Error', 'CCIX Read Response with Status: Data Error', 'CCIX Non-okay write response with data error'];

export const SMCA_TYPES: readonly SmcaType[] = [
  { hwid: 0xb0, mcatype: 0x0, name: 'Load Store Unit', errorClass: 'load-store', errors: LS },
  { hwid: 0xb0, mcatype: 0x10, name: 'Load Store Unit', errorClass: 'load-store', errors: LS2 },
  { hwid: 0xb0, mcatype: 0x1, name: 'Instruction Fetch Unit', errorClass: 'instruction-fetch', errors: IF },
  { hwid: 0xb0, mcatype: 0x2, name: 'L2 Cache', errorClass: 'cache', errors: L2 },
  { hwid: 0xb0, mcatype: 0x3, name: 'Decode Unit', errorClass: 'decode', errors: DE },
  { hwid: 0xb0, mcatype: 0x5, name: 'Execution Unit', errorClass: 'execution', errors: EX },
  { hwid: 0xb0, mcatype: 0x6, name: 'Floating Point Unit', errorClass: 'floating-point', errors: FP },
  { hwid: 0xb0, mcatype: 0x7, name: 'L3 Cache', errorClass: 'cache', errors: L3 },
  { hwid: 0x2e, mcatype: 0x0, name: 'Coherent Slave', errorClass: 'data-fabric', errors: CS },
  { hwid: 0x2e, mcatype: 0x1, name: 'Power, Interrupts, etc.', errorClass: 'data-fabric', errors: PIE },
  { hwid: 0x2e, mcatype: 0x2, name: 'Coherent Slave', errorClass: 'data-fabric', errors: CS2 },
  { hwid: 0x2e, mcatype: 0x4, name: 'Memory Attached Last Level Cache', errorClass: 'cache' },
  { hwid: 0x96, mcatype: 0x0, name: 'Unified Memory Controller', errorClass: 'memory-controller', errors: UMC },
  { hwid: 0x96, mcatype: 0x1, name: 'Unified Memory Controller', errorClass: 'memory-controller', errors: UMC2 },
  { hwid: 0x05, mcatype: 0x0, name: 'Parameter Block', errorClass: 'platform', errors: ['An ECC error in the Parameter Block RAM array'] },
  { hwid: 0xff, mcatype: 0x0, name: 'Platform Security Processor', errorClass: 'platform', errors: ['An ECC or parity error in a PSP RAM instance'] },
  { hwid: 0xff, mcatype: 0x1, name: 'Platform Security Processor', errorClass: 'platform' },
  { hwid: 0x01, mcatype: 0x0, name: 'System Management Unit', errorClass: 'platform', errors: ['An ECC or parity error in an SMU RAM instance'] },
  { hwid: 0x01, mcatype: 0x1, name: 'System Management Unit', errorClass: 'platform' },
  { hwid: 0x01, mcatype: 0x2, name: 'Microprocessor 5 Unit', errorClass: 'platform' },
  { hwid: 0x01, mcatype: 0x3, name: 'MPDMA Unit', errorClass: 'platform' },
  { hwid: 0x18, mcatype: 0x0, name: 'Northbridge IO Unit', errorClass: 'io', errors: NBIO },
  { hwid: 0x46, mcatype: 0x0, name: 'PCI Express Unit', errorClass: 'io', errors: PCIE },
  { hwid: 0x46, mcatype: 0x1, name: 'PCI Express Unit', errorClass: 'io', errors: ['SDP Parity Error logging'] },
  { hwid: 0x50, mcatype: 0x0, name: 'Ext Global Memory Interconnect PCS Unit', errorClass: 'interconnect' },
  { hwid: 0x6c, mcatype: 0x0, name: 'NBIF Unit', errorClass: 'io', errors: ['Timeout error from GMI', 'SRAM ECC error', 'NTB Error Event', 'SDP Parity error'] },
  { hwid: 0x80, mcatype: 0x0, name: 'System Hub Unit', errorClass: 'io' },
  { hwid: 0xa8, mcatype: 0x0, name: 'SATA Unit', errorClass: 'io' },
  { hwid: 0xaa, mcatype: 0x0, name: 'USB Unit', errorClass: 'io' },
  { hwid: 0x170, mcatype: 0x0, name: 'Ultra Short Reach Data Plane Controller', errorClass: 'interconnect' },
  { hwid: 0x180, mcatype: 0x0, name: 'Ultra Short Reach Control Plane Controller', errorClass: 'interconnect' },
  { hwid: 0x241, mcatype: 0x0, name: 'Global Memory Interconnect PCS Unit', errorClass: 'interconnect' },
  { hwid: 0x259, mcatype: 0x0, name: 'Ext Global Memory Interconnect PHY Unit', errorClass: 'interconnect' },
  { hwid: 0x267, mcatype: 0x0, name: 'WAFL PHY Unit', errorClass: 'interconnect' },
  { hwid: 0x269, mcatype: 0x0, name: 'Global Memory Interconnect PHY Unit', errorClass: 'interconnect' },
];

/** HardwareID (bits 43:32) and McaType (bits 63:48) of MCA_IPID. */
export function ipidType(ipid: bigint): { hwid: number; mcatype: number; instance: number } {
  return { hwid: Number((ipid >> 32n) & 0xfffn), mcatype: Number((ipid >> 48n) & 0xffffn), instance: Number(ipid & 0xffffffffn) };
}

export function smcaType(ipid: bigint): SmcaType | undefined {
  const { hwid, mcatype } = ipidType(ipid);
  return SMCA_TYPES.find((t) => t.hwid === hwid && t.mcatype === mcatype);
}
