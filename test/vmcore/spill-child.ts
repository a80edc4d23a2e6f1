// Child of gzip-dump.test.ts: spills its stdin as `crashlog dmesg -` does, and waits to be
// stopped. Bundled by esbuild at test time.
import { spill } from '../../src/vmcore/spill.js';

const s = await spill(process.stdin, 'stdin');
process.stdout.write(`${s.path}\n`);
setInterval(() => undefined, 1 << 30);
