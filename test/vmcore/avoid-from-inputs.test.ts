// A fatal machine check's address found in any input is a page the memory dump read beside
// it never touches (a poisoned page read again can fault the reader), and the report says so.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { DumpNote } from '../../src/model/index.js';
import { corpus } from '../corpus.js';

describe('the avoid list from other inputs', () => {
  it('an ERST machine check at 0x12345000 keeps the vmcore reader off that page, and the verdict says so', async () => {
    const a = await analyze([corpus('erst-mce-memory', 'pstore'), corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31')]);
    const note = a.records.find((r): r is DumpNote => r.kind === 'dump');
    expect(note?.avoided).toEqual([0x12345000n]);
    const said = a.incidents.flatMap((i) => i.evidence.map((e) => e.text)).filter((t) => t.includes('without touching page 0x12345000'));
    expect(said).toHaveLength(1);
    // The dump's own verdict is unchanged: the page holds no part of its log.
    expect(a.incidents.map((i) => i.cause).sort()).toEqual(['hardware', 'software']);
  });

  it('a dump read alone avoids nothing it was not told to', async () => {
    const a = await analyze([corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31')]);
    expect(a.records.find((r): r is DumpNote => r.kind === 'dump')?.avoided).toBeUndefined();
  });
});
