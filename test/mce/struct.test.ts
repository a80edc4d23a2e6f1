// struct mce as older and newer kernels wrote it (arch/x86/include/uapi/asm/mce.h): the
// record length says which fields exist. 88 bytes ends at mcgcap (2.6.31 to 4.x), synd
// makes 96, ipid 104 (SMCA), ppin 112, microcode 120 (padded), kflags 128 (5.10 on).
import { describe, expect, it } from 'vitest';
import { parseStructMce, STRUCT_MCE } from '../../src/mce/struct.js';
import { FormatError } from '../../src/util/errors.js';
import { decodeMce } from '../../src/mce/decode.js';
import { structMce } from '../builders/cper.js';

const AMD = 2;
const full = structMce({ bank: 15, status: 0xbc20000000000000n | 0x11bn, addr: 0x12345680n, cpu: 3, socket: 1, time: 1_795_375_955, cpuvendor: AMD, synd: 0x4d000000n, ipid: 0x9600050f00n, microcode: 0x8301055 });

describe('struct mce by record length', () => {
  it('the layout is the kernel\'s: 128 bytes, fields where mce.h puts them', () => {
    expect(STRUCT_MCE.size).toBe(128);
    expect([STRUCT_MCE.offsets.cpuvendor, STRUCT_MCE.offsets.cpuid, STRUCT_MCE.offsets.bank, STRUCT_MCE.offsets.extcpu, STRUCT_MCE.offsets.mcgcap, STRUCT_MCE.offsets.synd, STRUCT_MCE.offsets.ipid, STRUCT_MCE.offsets.ppin, STRUCT_MCE.offsets.microcode, STRUCT_MCE.offsets.kflags])
      .toEqual([56, 60, 65, 68, 80, 88, 96, 104, 112, 120]);
  });

  it.each([
    [88, {}],
    [96, { synd: 0x4d000000n }],
    [104, { synd: 0x4d000000n, ipid: 0x9600050f00n }],
    [112, { synd: 0x4d000000n, ipid: 0x9600050f00n }],
    [120, { synd: 0x4d000000n, ipid: 0x9600050f00n, microcode: 0x8301055 }],
    [128, { synd: 0x4d000000n, ipid: 0x9600050f00n, microcode: 0x8301055 }],
  ] as const)('%d bytes', (len, newer) => {
    const mc = parseStructMce(full.subarray(0, len), { backend: 'pstore', path: `mce-${len}` });
    expect(mc).toMatchObject({ bank: 15, cpu: 3, socket: 1, cpuVendor: 'amd', addr: 0x12345680n, time: new Date(1_795_375_955_000) });
    expect({ synd: mc.synd, ipid: mc.ipid, microcode: mc.microcode }).toEqual({ synd: undefined, ipid: undefined, microcode: undefined, ...newer });
    // The IPID names the SMCA bank; without it (an older kernel) the legacy bank table is
    // used, and MCACOD 0x011b reads TT=generic, LL=generic, RRRR=read (SDM table 16-10).
    expect(decodeMce(mc).summary.split(';')[0]).toBe('ipid' in newer ? 'Unified Memory Controller error: DRAM ECC error (UMC channel 0, chip select 0)' : 'Bank 15 error: Generic cache generic level read error');
  });

  it('MCG_CAP (mcgcap, from 88 bytes on) is kept and decides SER: without SER_P a UC in the kernel panics', () => {
    const bytes = structMce({ bank: 1, status: 0xb000000000000150n, mcgstatus: 0x5n, cpu: 0 });
    expect(parseStructMce(bytes.subarray(0, 80), { backend: 'pstore', path: 'old' }).mcgCap).toBeUndefined();
    bytes.writeBigUInt64LE(0xc09n, STRUCT_MCE.offsets.mcgcap);
    const noSer = parseStructMce(bytes.subarray(0, 88), { backend: 'pstore', path: 'mce' });
    expect(noSer.mcgCap).toBe(0xc09n);
    expect(decodeMce(noSer).summary).toContain('severity fatal (kernel: Uncorrected (in kernel))');
    bytes.writeBigUInt64LE(0x1000c09n, STRUCT_MCE.offsets.mcgcap);
    expect(decodeMce(parseStructMce(bytes, { backend: 'pstore', path: 'mce' })).summary).toContain('severity uncorrected (kernel: Uncorrected no action required)');
  });

  it('shorter than the oldest layout is a FormatError naming the file and offset', () => {
    const err = (() => { try { parseStructMce(full.subarray(0, 79), { backend: 'pstore', path: 'mce-cut', offset: 16 }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(FormatError);
    expect(String((err as Error).message)).toMatch(/mce-cut.*expected at least 80 bytes, have 79/);
  });
});
