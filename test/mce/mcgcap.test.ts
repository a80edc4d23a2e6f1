// MCG_CAP carried from the sources that record it (rasdaemon's mce_record.mcgcap; struct
// mce and mcelog's MCGCAP line have their own tests) to severity.c's SER / NOSER rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MachineCheck } from '../../src/model/index.js';
import { mceDetails } from '../../src/mce/decode.js';
import { readWith } from '../helpers/read.js';
import { buildRasdaemonDb } from '../builders/rasdaemon.js';

const work = mkdtempSync(join(tmpdir(), 'crashlog-mcgcap-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const mce = (m: Omit<MachineCheck, 'kind' | 'source'>): MachineCheck => ({ kind: 'mce', source: { backend: 'test', path: '-' }, ...m });

describe('MCG_CAP.SER_P from the record', () => {
  it('rasdaemon mce_record.mcgcap becomes mcgCap, and grades the row', async () => {
    const p = join(work, 'ras.db');
    buildRasdaemonDb(p, [
      { bank: 1, status: 0xf000000000000150n, mcgstatus: 0x5n, ip: 0x401000n, mcgcap: 0xc09n },
      { bank: 1, status: 0xf000000000000150n, mcgstatus: 0x5n, ip: 0x401000n, mcgcap: 0x1000c09n },
    ]);
    const got = (await readWith('rasdaemon', p)).records.filter((r): r is MachineCheck => r.kind === 'mce');
    expect(got.map((m) => m.mcgCap)).toEqual([0xc09n, 0x1000c09n]);
    expect(got.map((m) => mceDetails(m).grade)).toEqual([
      { level: 'PANIC', reason: 'Overflowed uncorrected' },
      { level: 'UCNA', reason: 'Uncorrected no action required' },
    ]);
  });

  it.each([
    // NOSER: severity.c skips every SER rule; PCC, the MCG_STATUS rules and UC/OVER decide.
    ['corrected', 0x9c0000400001009fn, 0n, undefined, { level: 'KEEP', reason: 'Corrected error' }],
    ['uncorrected, poller-logged', 0xb000000000000150n, 0n, undefined, { level: 'UC', reason: 'Uncorrected' }],
    ['uncorrected in user space', 0xb000000000000150n, 0x7n, 0x401000n, { level: 'UC', reason: 'Uncorrected' }],
    ['uncorrected in #MC, no user IP', 0xb000000000000150n, 0x5n, undefined, { level: 'PANIC', reason: 'Uncorrected (in kernel)' }],
    ['overflowed uncorrected', 0xf000000000000150n, 0x7n, 0x401000n, { level: 'PANIC', reason: 'Overflowed uncorrected' }],
    ['SRAR bits ignored without SER', 0xbd80000000100134n, 0x7n, 0x401000n, { level: 'UC', reason: 'Uncorrected' }],
    ['no restart IP', 0xb000000000000150n, 0x4n, undefined, { level: 'PANIC', reason: 'Neither restart nor error IP' }],
  ] as const)('without SER_P: %s', (_what, status, mcgStatus, ip, grade) => {
    const m = mce({ bank: 1, status, mcgStatus, mcgCap: 0xc09n, ...(ip ? { ip } : {}) });
    expect(mceDetails(m).grade).toEqual(grade);
    // DecodeOptions.mcgCap overrides the record.
    expect(mceDetails({ ...m, mcgCap: 0x1000c09n }, { mcgCap: 0xc09n }).grade).toEqual(grade);
  });
});
