// A gzip'd "vmcore" that holds no dump (issue 16) stops at its first bytes: nothing is
// inflated to the temporary folder, and the error names the file.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';

describe('a gzip bomb named vmcore.gz', () => {
  it('is refused after its first inflated bytes, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-gzbomb-'));
    const p = join(dir, 'vmcore.gz');
    writeFileSync(p, gzipSync(Buffer.alloc(256 << 20)));
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('crashlog-gunzip')).length;
    await expect(openDump(p)).rejects.toThrow(/vmcore\.gz\+0x0: the gzip stream holds no dump/);
    expect(readdirSync(tmpdir()).filter((n) => n.startsWith('crashlog-gunzip')).length).toBe(before);
  });
});
