// Seeds made by code for backends whose inputs have no real sample small enough to keep
// (each builder writes into `dir` and returns the paths). Real fixtures under
// fixtures/<backend-id>/ are always used too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { journalFromConsole } from '../builders/journal.js';
import { fixture } from '../corpus.js';

export const builtSeeds: Record<string, (dir: string) => string[]> = {
  journal: (dir) => {
    const p = join(dir, 'journal.json');
    writeFileSync(p, journalFromConsole(fixture('pstore', 'ramoops-oops-panic', 'serial-console.log'), '0f9a1b2c3d4e5f60718293a4b5c6d7e8', 1_795_375_000_000_000n));
    return [p];
  },
};
