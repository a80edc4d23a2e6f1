// Seeds made by code for backends whose inputs have no real sample small enough to keep
// (each builder writes into `dir` and returns the paths). Real fixtures under
// fixtures/<backend-id>/ are always used too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalFromConsole } from '../builders/journal.js';
import { buildPstoreBlk } from '../builders/pstore-blk.js';
import { fixture } from '../corpus.js';

export const builtSeeds: Record<string, (dir: string) => string[]> = {
  journal: (dir) => {
    const p = join(dir, 'journal.json');
    writeFileSync(p, journalFromConsole(fixture('pstore', 'ramoops-oops-panic', 'serial-console.log'), '0f9a1b2c3d4e5f60718293a4b5c6d7e8', 1_795_375_000_000_000n));
    return [p];
  },
  'pstore-blk': (dir) => {
    const params = { totalSize: 256 << 10, kmsgSize: 16 << 10, pmsgSize: 8 << 10, consoleSize: 8 << 10, ftraceSize: 8 << 10, cpus: 2 };
    const log = Array.from({ length: 400 }, (_, i) => `[    ${i}.000000] line ${i}\n`).join('').slice(-(8 << 10) + 12);
    const oops = 'Oops#1 Part1\n<4>[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000\n';
    const blk = join(dir, 'pstore-blk.img');
    writeFileSync(blk, buildPstoreBlk({ params, kmsg: [{ zone: 0, text: oops }, { zone: 1, text: 'Panic#1 Part1\n<0>[    2.0] Kernel panic - not syncing: x\n', reason: 1, compressed: true }], pmsg: Buffer.from('hi') }));
    const mtd = join(dir, 'mtdpstore.img');
    writeFileSync(mtd, buildPstoreBlk({ params, fill: 0xff, kmsg: [{ zone: 2, text: oops }], console: { text: log, wrapAt: 1000 } }));
    return [blk, mtd];
  },
};
