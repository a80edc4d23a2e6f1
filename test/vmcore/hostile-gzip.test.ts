// A gzip'd "vmcore" that holds no dump (issue 16) stops at its first bytes, and the error
// names the file (that only those bytes are inflated: gzindex.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDump } from '../../src/vmcore/open.js';

describe('a gzip bomb named vmcore.gz', () => {
  it('is refused after its first inflated bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-gzbomb-'));
    const p = join(dir, 'vmcore.gz');
    writeFileSync(p, gzipSync(Buffer.alloc(64 << 20), { level: 9 }));
    await expect(openDump(p)).rejects.toThrow(/vmcore\.gz\+0x0: the gzip stream holds no dump/);
  });
});
