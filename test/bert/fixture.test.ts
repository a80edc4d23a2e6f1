// fixtures/bert/ holds built BERT regions (there is no real sample) as fuzz seeds.
// They are written by this file: WRITE_FIXTURES=1 npx vitest run test/bert/fixture.test.ts
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bert } from '../../backends/bert/index.js';
import { GUIDS } from '../../src/cper/layout.js';
import { bcdTimestamp, estatusBlock, memErr, SEV, structMce } from '../builders/cper.js';
import { fixture } from '../corpus.js';
import { readAll } from '../../src/backend.js';

const SEEDS: Record<string, Buffer> = {
  'mce-fatal.BERT': Buffer.concat([
    estatusBlock({ sections: [{ type: GUIDS.SECTION_MCE, data: structMce({ bank: 8, status: 0xbe0000000001009fn, addr: 0x12345000n, misc: 0x8cn, mcgstatus: 4n }) }] }),
    Buffer.alloc(32),
  ]),
  'memory-v3.BERT': estatusBlock({
    sections: [
      { type: GUIDS.SEC_PLATFORM_MEM, v3: true, timestamp: bcdTimestamp(new Date(Date.UTC(2026, 10, 22, 21, 0, 0))), data: memErr({ validation: 0x436an, pa: 0x7f001000n, node: 1, card: 0, module: 3, bank: 2, row: 100, errorType: 2 }) },
      { type: GUIDS.SEC_PLATFORM_MEM, severity: SEV.corrected, data: memErr({ validation: 0x2n, pa: 0x7f002000n }) },
    ],
  }),
};

describe('bert seed fixtures', () => {
  for (const [name, bytes] of Object.entries(SEEDS)) {
    it(`${name} is what the builder makes, and reads`, async () => {
      const path = fixture('bert', name);
      if (process.env.WRITE_FIXTURES) {
        mkdirSync(fixture('bert'), { recursive: true });
        writeFileSync(path, bytes);
      }
      expect(existsSync(path)).toBe(true);
      expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
      const got = await readAll(bert.read(path, { options: {}, problem: (p) => expect.fail(p.message) }));
      expect(got.length).toBeGreaterThan(0);
    });
  }
  it('SOURCE.md says where the seeds came from', () => {
    expect(readFileSync(join(fixture('bert'), 'SOURCE.md'), 'utf8')).toMatch(/fixture\.test\.ts/);
  });
});
