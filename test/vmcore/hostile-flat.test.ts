// A damaged record header in a flattened dump (issue 16) loses that record, never the rest:
// the reader finds the next sound header and goes on, and says where.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { corpus } from '../corpus.js';

describe('a flattened dump with one bad record header', () => {
  it('still gives every log line, with a problem at the bad header', async () => {
    const real = corpus('kdump-oops-panic', 'vmcore.flat-zlib-d31');
    const good = await analyze([real]);
    const b = Buffer.from(readFileSync(real));
    // Walk the records to the 5th header after the file header and break its size field.
    let pos = 4096;
    for (let k = 0; k < 5; k++) pos += 16 + Number(b.readBigInt64BE(pos + 8));
    b.writeBigInt64BE(-5n, pos + 8);
    const p = join(mkdtempSync(join(tmpdir(), 'crashlog-flat-')), 'vmcore.flat');
    writeFileSync(p, b);
    const bad = await analyze([p]);
    expect(bad.inputs[0]!.problems[0]).toMatchObject({ offset: pos, message: expect.stringMatching(/^bad flattened record header \(offset \d+, size -5\); records read again from \+0x[0-9a-f]+$/) });
    expect(bad.inputs[0]!.records).toBe(good.inputs[0]!.records);
    expect(bad.incidents.map((i) => i.title)).toEqual(good.incidents.map((i) => i.title));
  });
});
