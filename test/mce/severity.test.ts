// The kernel's grading, rule by rule, as arch/x86/kernel/cpu/mce/severity.c words it:
// each status is built from the bits the rule tests (Intel SDM Vol. 3B §16.3.2.2 and
// table 16-6 for the SRAO/SRAR signatures; AMD APM Vol. 2 §9.3 for MCA_STATUS).
import { describe, expect, it } from 'vitest';
import type { MachineCheck } from '../../src/model/index.js';
import { decodeMce, mceDetails, severityOf } from '../../src/mce/decode.js';

const mce = (m: Omit<MachineCheck, 'kind' | 'source'>): MachineCheck => ({ kind: 'mce', source: { backend: 'test', path: '-' }, ...m });
const KERNEL_IP = 0xffffffff81670493n;
const USER_IP = 0x401000n;
/** MCG_CAP of a Skylake-SP: SER_P (bit 24) set; without it the SER rules are skipped. */
const SER = { mcgCap: 0x1000c14n };
const NO_SER = { mcgCap: 0xc14n };

describe('Intel: severities[] of severity.c', () => {
  it.each([
    ['Invalid', 0x3c00000000000150n, {}, {}, 'NO', 'corrected'],
    ['Not enabled', 0xa000000000000150n, { mcgStatus: 0x5n }, SER, 'NO', 'uncorrected'],
    ['Processor context corrupt', 0xbe0000000001009fn, { mcgStatus: 0x4n }, SER, 'PANIC', 'fatal'],
    ['Neither restart nor error IP', 0xb100000000000150n, { mcgStatus: 0x4n }, SER, 'PANIC', 'fatal'],
    ['In kernel and no restart IP', 0xb100000000000150n, { mcgStatus: 0x6n, ip: KERNEL_IP }, SER, 'PANIC', 'fatal'],
    ['Corrected error', 0x9c0000400001009fn, {}, NO_SER, 'KEEP', 'corrected'],
    ['Action optional: memory scrubbing error', 0xbd000000000000c2n, { mcgStatus: 0x5n }, SER, 'AO', 'action-optional'],
    ['Action optional: last level cache writeback error', 0xbd0000000000017an, { mcgStatus: 0x5n }, SER, 'AO', 'action-optional'],
    ['Uncorrected no action required', 0xec0000000000009fn, {}, SER, 'UCNA', 'uncorrected'],
    ['Illegal combination (UCNA with AR=1)', 0xb08000000000009fn, {}, SER, 'PANIC', 'fatal'],
    ['Non signaled machine check', 0x9c0000400001009fn, {}, SER, 'KEEP', 'corrected'],
    ['Action required with lost events', 0xfd80000000000134n, { mcgStatus: 0x7n, ip: USER_IP }, SER, 'PANIC', 'fatal'],
    ['Action required but unaffected thread is continuable', 0xbd80000000000134n, { mcgStatus: 0x5n, ip: USER_IP }, SER, 'KEEP', 'uncorrected'],
    ['Action required: data load error in a user process', 0xbd80000000000134n, { mcgStatus: 0x7n, ip: USER_IP }, SER, 'AR', 'action-required'],
    ['Action required: instruction fetch error in a user process', 0xbd80000000000150n, { mcgStatus: 0x7n, ip: USER_IP }, SER, 'AR', 'action-required'],
    ['Data load in unrecoverable area of kernel', 0xbd80000000000134n, { mcgStatus: 0x7n, ip: KERNEL_IP }, SER, 'PANIC', 'fatal'],
    ['Instruction fetch error in kernel', 0xbd80000000000150n, { mcgStatus: 0x7n, ip: KERNEL_IP }, SER, 'PANIC', 'fatal'],
    ['Action required: unknown MCACOD', 0xbd8000000000009fn, { mcgStatus: 0x7n, ip: USER_IP }, SER, 'PANIC', 'fatal'],
    ['Action optional: unknown MCACOD', 0xbd0000000000009fn, {}, SER, 'SOME', 'action-optional'],
    ['Action optional with lost events', 0xfd0000000000009fn, {}, SER, 'SOME', 'action-optional'],
    ['Overflowed uncorrected', 0xf000000000000150n, {}, NO_SER, 'PANIC', 'fatal'],
    ['Uncorrected', 0xb000000000000150n, {}, NO_SER, 'UC', 'uncorrected'],
    ['Uncorrected (in kernel)', 0xb000000000000150n, { mcgStatus: 0x7n, ip: KERNEL_IP }, NO_SER, 'PANIC', 'fatal'],
  ] as const)('%s', (reason, status, extra, opts, level, severity) => {
    const mc = mce({ bank: 1, status, ...extra });
    expect(mceDetails(mc, opts).grade).toEqual({ level, reason });
    expect(decodeMce(mc, opts).severity).toBe(severity);
    expect(severityOf(mc, opts)).toBe(severity);
  });

  it("Skylake-SP's patrol scrub UC reported with UC clear (stepping 4 on, banks 13-18)", () => {
    const scrub = mce({ bank: 13, status: 0x8c000000001000c0n, cpuid: 0x50654 });
    expect(mceDetails(scrub, SER).grade).toEqual({ level: 'AO', reason: 'Uncorrected Patrol Scrub Error' });
    expect(severityOf(scrub, SER)).toBe('action-optional');
    expect(severityOf({ ...scrub, cpuid: 0x50653 }, SER)).toBe('corrected');
    expect(severityOf({ ...scrub, bank: 12 }, SER)).toBe('corrected');
  });
});

describe('AMD: mce_severity_amd', () => {
  it.each([
    ['Processor context corrupt', 0xbe00000000000108n, { mcgStatus: 0x5n, ip: USER_IP }, 'PANIC'],
    ['Uncorrected in kernel', 0xb000000000000108n, { mcgStatus: 0x4n }, 'PANIC'],
    ['Uncorrected, recoverable by killing the affected task', 0xb000000000000108n, { mcgStatus: 0x7n, ip: USER_IP, ipid: 0xb000000000n }, 'AR'],
    ['Uncorrected, recoverable by killing the current task', 0xf000000000000108n, { mcgStatus: 0x7n, ip: USER_IP, cpuid: 0x00600f12 }, 'AR'],
    ['Overflowed uncorrected', 0xf000000000000108n, { mcgStatus: 0x7n, ip: USER_IP, cpuid: 0x00100f42 }, 'PANIC'],
    ['Uncorrected', 0xb000000000000108n, { mcgStatus: 0x7n, ip: USER_IP, cpuid: 0x00100f42 }, 'UC'],
    ['Deferred error', 0x9400100000000000n, { ipid: 0x9600050f00n }, 'DEFERRED'],
    ['Corrected error', 0x9c2040000000011bn, { ipid: 0x9600050f00n }, 'KEEP'],
  ] as const)('%s', (reason, status, extra, level) => {
    expect(mceDetails(mce({ bank: 15, status, cpuVendor: 'amd', ...extra })).grade).toEqual({ level, reason });
  });
});
