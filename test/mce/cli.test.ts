// `crashlog mce decode` as a user runs it.
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';

describe('crashlog mce decode', () => {
  it('prints the decode of the erst-mce-memory fatal machine check in words', async () => {
    const r = await runCli(['mce', 'decode', '--status', '0xbe0000000001009f', '--bank', '8', '--addr', '0x12345000', '--misc', '0x8c', '--mcg-status', '0x4']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'Bank:       8 (Intel decoding)',
      'Status:     0xbe0000000001009f',
      'Error:      Memory controller read error, channel 15 (unspecified)',
      'Class:      memory-controller',
      'Model code: MSCOD 0x0001 (model-specific)',
      'Bits:       uncorrected, processor context corrupt',
      'Address:    0x12345000 (physical, LSB 12)',
      'MCG_STATUS: 0x4 MCIP',
      'Severity:   fatal (kernel grade PANIC: Processor context corrupt)',
      '',
      'Memory controller read error, channel 15 (unspecified); model-specific code 0x0001; uncorrected, processor context corrupt; address 0x12345000 (physical, LSB 12); severity fatal (kernel: Processor context corrupt); MCG_STATUS MCIP',
      '',
    ].join('\n'));
  });

  it('decodes an AMD SMCA bank from its IPID, and prints JSON', async () => {
    const r = await runCli(['mce', 'decode', '--status', '0x9c2040000000011b', '--bank', '15', '--ipid', '0x9600050f00', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      bank: 15, status: '0x9c2040000000011b', ipid: '0x9600050f00', severity: 'corrected', errorClass: 'memory-controller',
      summary: 'Unified Memory Controller error: DRAM ECC error (UMC channel 0); corrected; address register valid, value not recorded; severity corrected (kernel: Corrected error)',
    });
  });

  it.each([
    [['mce', 'decode'], /--status is required/],
    [['mce', 'decode', '--status', 'zz'], /--status "zz" is not a number/],
    [['mce', 'decode', '--status', '0x1ffffffffffffffff'], /is not a number|does not fit/],
    [['mce', 'decode', '--status', '1', '--bank', '300'], /--bank 300 is out of range/],
    [['mce', 'decode', '--status', '1', '--vendor', 'via'], /--vendor must be intel, amd or hygon/],
  ])('%j fails with a clear message', async (argv, message) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
