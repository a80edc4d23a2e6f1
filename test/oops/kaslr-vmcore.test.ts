// KASLR from a vmcore: VMCOREINFO's KERNELOFFSET (kernel/crash_core.c) reaches the oops
// block when the log itself printed no "Kernel Offset:" line (kdump went from the oops).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { DumpNote } from '../../src/model/index.js';
import { corpus } from '../corpus.js';

describe('the KASLR offset of a kdump', () => {
  it('comes from VMCOREINFO into the dump note and the oops block', async () => {
    const a = await analyze([corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31')]);
    const note = a.records.find((r): r is DumpNote => r.kind === 'dump')!;
    expect(note.kernelOffset).toBeDefined();
    expect(note.kernelOffset! % 0x200000n).toBe(0n); // x86_64 KASLR aligns to 2 MiB (CONFIG_PHYSICAL_ALIGN)
    expect(a.incidents[0]!.oops?.kernelOffset).toBe(`0x${note.kernelOffset!.toString(16)}`);
  });
});
