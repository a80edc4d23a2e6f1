// Corrected errors before a fatal one, grouped at the precision MISC states (Intel SDM
// Vol. 3B, "Recoverable address LSB"), and the fatal error's address matched against them.
import { describe, expect, it } from 'vitest';
import { correctedBefore } from '../../src/correlate/history.js';
import { correlate } from '../../src/correlate/index.js';
import type { MachineCheck, SourceRef } from '../../src/model/index.js';

const src: SourceRef = { backend: 'rasdaemon', path: 'ras.db' };
// VAL|EN|MISCV|ADDRV, memory read error (0x0090): corrected; with UC|PCC and no MISC: fatal.
const CE_MISC = 0x9c00004000800090n;
const CE_NOMISC = CE_MISC & ~(1n << 59n);
const FATAL = 0xbe00000000800090n;
const ce = (addr: bigint, status: bigint, t: number, misc?: bigint): MachineCheck =>
  ({ kind: 'mce', bank: 7, status, addr, ...(misc !== undefined ? { misc } : {}), mcgStatus: 0n, time: new Date(t), source: src });

describe('corrected errors before the fatal one', () => {
  it('two errors in one page are one group when only one states the LSB', () => {
    const mces = [ce(0x7654040n, CE_MISC, 1000, 0x8cn), ce(0x7654fc0n, CE_NOMISC, 2000)];
    const { history } = correctedBefore(mces, ['corrected', 'corrected'], undefined);
    expect(history).toEqual([{ bank: 7, count: 2, addr: '0x7654000', first: new Date(1000).toISOString(), last: new Date(2000).toISOString() }]);
  });

  it('errors in two pages stay two groups', () => {
    const mces = [ce(0x7654040n, CE_MISC, 1000, 0x8cn), ce(0x7655040n, CE_MISC, 2000, 0x8cn)];
    expect(correctedBefore(mces, ['corrected', 'corrected'], undefined).history.map((h) => h.addr)).toEqual(['0x7654000', '0x7655000']);
  });

  it('the verdict says the fatal error hit an address that had corrected errors', () => {
    const fatal: MachineCheck = { kind: 'mce', bank: 7, status: FATAL | (1n << 59n), addr: 0x7654123n, misc: 0x8cn, mcgStatus: 0x4n, time: new Date(5000), source: src };
    const boot = { key: 'k', messages: [], mces: [ce(0x7654040n, CE_MISC, 1000, 0x8cn), ce(0x7655040n, CE_MISC, 2000, 0x8cn), fatal], memoryErrors: [], dumps: [], blobs: [] };
    const [inc] = correlate({ boots: [boot], problems: [] }, () => []);
    expect(inc!.cause).toBe('hardware');
    expect(inc!.correctedBefore).toEqual([
      expect.objectContaining({ addr: '0x7654000', atFatalAddress: true }),
      expect.not.objectContaining({ atFatalAddress: true }),
    ]);
    expect(inc!.evidence.map((e) => e.text)).toContain('The fatal error hit 0x7654000, where 1 corrected error was reported before it: the memory there is failing (replace the DIMM, or offline the page)');
  });
});
