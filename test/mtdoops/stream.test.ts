// An mtdoops partition larger than the read window (4 MiB), every slot written and the
// ring wrapped: every record read, oldest first, each line at its byte offset.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildMtdoops } from '../builders/mtdoops.js';
import { messagesOf, readWith } from '../helpers/read.js';

const SLOTS = 2048;
const WRAP = 700;

describe('mtdoops partition over the read window', () => {
  it('reads a wrapped ring of 2048 records oldest first, with and without record_size', async () => {
    // the newest record is in slot WRAP - 1; the oldest in slot WRAP
    const records = Array.from({ length: SLOTS }, (_, slot) => {
      const seq = 5000 + ((slot - WRAP + SLOTS) % SLOTS);
      return { slot, seq, text: `<4>[ ${seq}.000000] record ${seq} first\n<4>[ ${seq}.000001] record ${seq} second` };
    });
    const path = join(mkdtempSync(join(tmpdir(), 'mtdoops-stream-')), 'mtd.img');
    writeFileSync(path, buildMtdoops({ size: SLOTS * 4096, recordSize: 4096, records }));
    for (const options of [{}, { record_size: 4096 }]) {
      const { records: got, problems } = await readWith('mtdoops', path, options);
      expect(problems).toEqual([]);
      const msgs = messagesOf(got);
      expect(msgs.length).toBe(2 * SLOTS);
      expect(msgs.filter((_, i) => i % 2 === 0).map((m) => m.text)).toEqual(Array.from({ length: SLOTS }, (_, i) => `record ${5000 + i} first`));
      // the oldest record sits in slot WRAP: its text starts after the 16-byte v2 header
      expect(msgs[0]!.source).toMatchObject({ offset: WRAP * 4096 + 16, id: 'mtdoops-5000' });
    }
  });
});
