// Decodes word for word. Values: the real machine checks of ../shared/corpus (Intel
// Skylake-SP, QEMU-injected), and status values whose fields are read against the
// Intel SDM Vol. 3B §16.9 tables and AMD's MCA_STATUS/MCA_IPID layouts.
import { describe, expect, it } from 'vitest';
import type { MachineCheck } from '../../src/model/index.js';
import { decodeMce } from '../../src/mce/decode.js';
import { decodeMcacod } from '../../src/mce/intel.js';
import { cpuFamily, cpuModel } from '../../src/mce/amd.js';

const src = { backend: 'test', path: '-' };
const mce = (m: Omit<MachineCheck, 'kind' | 'source'>): MachineCheck => ({ kind: 'mce', source: src, ...m });

describe('Intel architectural error codes (SDM tables 16-7..16-12)', () => {
  it.each([
    [0x0000, 'none', 'No error'],
    [0x0005, 'internal-parity', 'Internal parity error'],
    [0x0402, 'internal', 'Internal unclassified error 0x0402'],
    [0x0400, 'internal-timer', 'Internal timer error'],
    [0x0e0b, 'io', 'Generic I/O error'],
    [0x000f, 'cache', 'Generic cache hierarchy error, generic level'],
    [0x0014, 'tlb', 'Data TLB error, level 0'],
    [0x0011, 'tlb', 'Instruction TLB error, level 1'],
    [0x0124, 'cache', 'Data cache level 0 write error'],
    [0x0135, 'cache', 'Data cache level 1 data read error'],
    [0x0150, 'cache', 'Instruction cache level 0 instruction fetch error'],
    [0x017a, 'cache', 'Generic cache level 2 eviction error'],
    [0x118a, 'cache', 'Generic cache level 2 snoop error (corrected error filtering: some unreported errors in the same region)'],
    [0x119a, 'cache', 'Generic cache level 2 reserved request 9 error (corrected error filtering: some unreported errors in the same region)'],
    // Bit 12 (F) masked first, as severity.c (MCACOD 0xefff), mcelog and rasdaemon do.
    [0x1005, 'internal-parity', 'Internal parity error (corrected error filtering: some unreported errors in the same region)'],
    [0x1402, 'internal', 'Internal unclassified error 0x0402 (corrected error filtering: some unreported errors in the same region)'],
    [0x1e0b, 'io', 'Generic I/O error (corrected error filtering: some unreported errors in the same region)'],
    [0x109f, 'memory-controller', 'Memory controller read error, channel 15 (unspecified) (corrected error filtering: some unreported errors in the same region)'],
    // 0000 0010 1MMM CCCC: extended memory (memory as cache), SDM table 16-8.
    [0x0280, 'memory-controller', 'Extended memory (memory as cache) controller generic error, channel 0'],
    [0x02a3, 'memory-controller', 'Extended memory (memory as cache) controller write error, channel 3'],
    [0x12ff, 'memory-controller', 'Extended memory (memory as cache) controller reserved transaction 7 error, channel 15 (unspecified) (corrected error filtering: some unreported errors in the same region)'],
    // Neither simple nor compound: unknown, as mcelog's decode_mca says.
    [0x0007, 'unknown', 'Unknown error code 0x0007'],
    [0x0020, 'unknown', 'Unknown error code 0x0020'],
    [0x0200, 'unknown', 'Unknown error code 0x0200'],
    [0x0300, 'unknown', 'Unknown error code 0x0300'],
    [0x2000, 'reserved', 'Reserved error code 0x2000'],
    [0x009f, 'memory-controller', 'Memory controller read error, channel 15 (unspecified)'],
    [0x00c1, 'memory-controller', 'Memory controller scrubbing error, channel 1'],
    [0x00b2, 'memory-controller', 'Memory controller address/command error, channel 2'],
    [0x0090, 'memory-controller', 'Memory controller read error, channel 0'],
    [0x0e0f, 'bus', 'Bus/interconnect error: generic participation, generic, other transaction, no timeout, generic level'],
    [0x0d0f, 'bus', 'Bus/interconnect error: local processor observed error as third party, generic, other transaction, timed out, generic level'],
    [0x0a13, 'bus', 'Bus/interconnect error: local processor responded to request, read, memory access, no timeout, generic level'],
  ])('MCACOD %s', (code, cls, text) => {
    expect(decodeMcacod(code)).toEqual({ errorClass: cls, text });
  });
});

describe('decodeMce: Intel', () => {
  it('the fatal memory error of erst-mce-memory', () => {
    const d = decodeMce(mce({ bank: 8, status: 0xbe0000000001009fn, mcgStatus: 0x4n, addr: 0x12345000n, misc: 0x8cn, cpu: 0 }));
    expect(d).toMatchObject({ bank: 8, status: '0xbe0000000001009f', addr: '0x12345000', misc: '0x8c', mcgStatus: '0x4', cpu: 0, severity: 'fatal', errorClass: 'memory-controller' });
    expect(d.summary).toBe('Memory controller read error, channel 15 (unspecified); model-specific code 0x0001; uncorrected, processor context corrupt; address 0x12345000 (physical, LSB 12); severity fatal (kernel: Processor context corrupt); MCG_STATUS MCIP');
  });
  it('a corrected error with its count (bits 52:38) and a CE logged in #MC stays corrected', () => {
    expect(decodeMce(mce({ bank: 8, status: 0x9c0000800001009fn, mcgStatus: 0n, addr: 0x12345040n, misc: 0x8cn })).summary)
      .toBe('Memory controller read error, channel 15 (unspecified); model-specific code 0x0001; corrected, corrected count 2; address 0x12345040 (physical, LSB 12); severity corrected (kernel: Non signaled machine check); MCG_STATUS none');
    expect(decodeMce(mce({ bank: 0, status: 0x9000000020000003n, mcgStatus: 0x4n })).summary)
      .toBe('External error (BINIT# from another processor); model-specific code 0x2000; corrected; no address; severity corrected (kernel: Non signaled machine check); MCG_STATUS MCIP');
  });
  it('green/yellow threshold status (bits 54:53)', () => {
    expect(decodeMce(mce({ bank: 7, status: 0x9c400040000100c1n })).summary).toContain('corrected, corrected count 1, threshold yellow; ');
  });
  it('SRAR data load in a user process is action required; in the kernel, fatal', () => {
    // UC S AR ADDRV MISCV, MCACOD 0x134 (data read, L0): SDM's SRAR data load signature.
    const user = mce({ bank: 1, status: 0xbd80000000100134n, mcgStatus: 0x7n, addr: 0x1234000n, misc: 0x86n, ip: 0x401000n });
    const d = decodeMce(user);
    expect(d.severity).toBe('action-required');
    expect(d.summary).toBe('Data cache level 0 data read error; model-specific code 0x0010; uncorrected, signaled, action required; address 0x1234000 (physical, LSB 6); severity action-required (kernel: Action required: data load error in a user process); MCG_STATUS RIPV EIPV MCIP');
    expect(decodeMce({ ...user, ip: 0xffffffff81670493n }).severity).toBe('fatal');
  });
  it('SRAO patrol scrub is action optional; UCNA is uncorrected, overflowed or not (severity.c ignores OVER for UCNA)', () => {
    expect(decodeMce(mce({ bank: 7, status: 0xbd000000000000c0n, mcgStatus: 0x5n })).summary).toContain('severity action-optional (kernel: Action optional: memory scrubbing error)');
    expect(decodeMce(mce({ bank: 7, status: 0xa000000000000090n })).summary).toContain('severity uncorrected (kernel: Uncorrected no action required)');
    expect(decodeMce(mce({ bank: 4, status: 0xf000000000000150n, mcgStatus: 0n })).severity).toBe('uncorrected');
  });
  it('a data load error with its code but no MCG_STATUS or IP grades by the code, not "unknown MCACOD"', () => {
    const load = mce({ bank: 1, status: 0xbd80000000100134n, addr: 0x1234000n, misc: 0x86n });
    expect(decodeMce(load).severity).toBe('action-required');
    expect(decodeMce(load).summary).toContain('severity action-required (kernel: Action required: data load error (context not recorded: a user process is killed, the kernel panics))');
    expect(decodeMce({ ...load, status: 0xbd80000000101134n }).summary).toContain('(kernel: Action required: data load error (context not recorded');
    expect(decodeMce({ ...load, status: 0xbd80000000100150n }).summary).toContain('(kernel: Action required: instruction fetch error (context not recorded');
    // A code that is not a known AR code is still "unknown MCACOD" (severity.c).
    expect(decodeMce({ ...load, status: 0xbd8000000010009fn }).summary).toContain('severity fatal (kernel: Action required: unknown MCACOD)');
  });
  it('the mcelog bug-report data cache error (STATUS bf80000000000124)', () => {
    expect(decodeMce(mce({ bank: 1, status: 0xbf80000000000124n, mcgStatus: 0n, addr: 0x1424bd400n, misc: 0x86n })).summary)
      .toBe('Data cache level 0 write error; uncorrected, processor context corrupt, signaled, action required; address 0x1424bd400 (physical, LSB 6); severity fatal (kernel: Processor context corrupt); MCG_STATUS none');
  });
});

describe('decodeMce: AMD', () => {
  it('SMCA UMC DRAM ECC (IPID HWID 0x96, McaType 0)', () => {
    const d = decodeMce(mce({ bank: 15, status: 0xdc2040000000011bn, ipid: 0x9600050f00n, addr: 0x0c00000012345680n, misc: 0xd01a0ffe00000000n, cpuVendor: 'amd' }));
    expect(d.errorClass).toBe('memory-controller');
    expect(d.summary).toBe('Unified Memory Controller error: DRAM ECC error (UMC channel 0); corrected, overflow (errors lost); address 0x12345680 (normalized, LSB 12); severity corrected (kernel: Corrected error)');
  });
  it('SMCA L3 and load-store, and an unknown bank type', () => {
    expect(decodeMce(mce({ bank: 7, status: 0x9820000000040150n, ipid: 0x700b020350000n })).summary.split(';')[0]).toBe('L3 Cache error: L3M Data ECC Error');
    expect(decodeMce(mce({ bank: 0, status: 0xbea0000000000108n, ipid: 0xb000000000n, mcgStatus: 0x5n, ip: 0x7f00001000n, cpuVendor: 'amd' })).summary)
      .toBe('Load Store Unit error: Load queue parity error; uncorrected, processor context corrupt, task context corrupt; address register valid, value not recorded; severity fatal (kernel: Processor context corrupt); MCG_STATUS RIPV MCIP');
    expect(decodeMce(mce({ bank: 3, status: 0x9000000000050000n, ipid: 0x1230000000000n })).summary.split(';')[0]).toBe('Unknown SMCA bank type (HWID 0x300, McaType 0x1): extended error code 5');
  });
  it('SMCA uncorrected in user space is action required; deferred is deferred', () => {
    expect(decodeMce(mce({ bank: 15, status: 0xbc20000000000000n, ipid: 0x9600050f00n, cpuVendor: 'amd', ip: 0x401000n, mcgStatus: 0x7n })).severity).toBe('action-required');
    expect(decodeMce(mce({ bank: 15, status: 0x9c00100000000000n, ipid: 0x9600050f00n, addr: 0n, cpuVendor: 'amd' })).summary)
      .toContain('Unified Memory Controller error: DRAM ECC error (UMC channel 0); deferred; address 0x0 (normalized, LSB 0); severity deferred (kernel: Deferred error)');
  });
  it('legacy family 10h northbridge DRAM ECC (extended code 8)', () => {
    const d = decodeMce(mce({ bank: 4, status: 0x9c5a4000a0080a13n, cpuVendor: 'amd', cpuid: 0x00100f42, addr: 0x3c1d5400n }));
    expect(d.errorClass).toBe('memory-controller');
    expect(d.summary).toBe('Northbridge error: DRAM ECC error detected on the NB; Bus/interconnect error: local processor responded to request, read, memory access, no timeout, generic level; corrected; address 0x3c1d5400; severity corrected (kernel: Corrected error)');
    expect(cpuFamily(0x00100f42)).toBe(0x10);
    expect(cpuFamily(0x00a20f10)).toBe(0x19);
    expect(cpuModel(0x50654)).toBe(0x55);
  });
});
