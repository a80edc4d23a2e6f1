// Every finding `npm run fuzz` kept (test/fuzz/findings/<id>/: the input and what it did)
// is replayed end to end, as the campaign ran it: `crashlog report --json` in a child with
// the campaign's memory and time caps must answer (exit 0 or 1) with no raw JS error.
// The harness itself is checked on inputs whose answer is known.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDINGS, RAW_ERROR, runCase } from '../../scripts/fuzz/campaign.js';
import { fixture } from '../corpus.js';

const kept = existsSync(FINDINGS) ? readdirSync(FINDINGS).filter((d) => existsSync(join(FINDINGS, d, 'finding.json'))).sort() : [];

describe('the fuzz harness', () => {
  it('passes a real input and a damaged one that is reported as a problem', () => {
    expect(runCase(fixture('pstore-blk', 'pstore-blk-gpf-panic.bin'))).toBeUndefined();
    const p = join(mkdtempSync(join(tmpdir(), 'crashlog-fuzzcheck-')), 'vmcore');
    writeFileSync(p, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(8), Buffer.from([4, 0])]));
    expect(runCase(p)).toBeUndefined();
  }, 60_000);

  it('knows a raw JavaScript error when it sees one', () => {
    expect(RAW_ERROR.test("TypeError: Cannot read properties of undefined (reading 'x')")).toBe(true);
    expect(RAW_ERROR.test('crashlog: vmcore+0x12: ELF header cut short: 18 of its 64 bytes')).toBe(false);
  });
});

describe.runIf(kept.length > 0)('kept fuzz findings', () => {
  it.each(kept)('%s is answered', (id) => {
    const f = JSON.parse(readFileSync(join(FINDINGS, id, 'finding.json'), 'utf8')) as { input: string; class: string };
    expect(runCase(join(FINDINGS, id, f.input))).toBeUndefined();
  }, 60_000);
});
