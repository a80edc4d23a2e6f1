// A collector to be killed: `node child.mjs COLLECT_JS ARCHIVE PSTORE STEP_MS`. Runs the
// compiled collect (COLLECT_JS: src/collect/index.js of a tsc build) with --unlink, sleeping
// STEP_MS before each filesystem call, so a kill at a random moment lands between any two
// steps. Prints "ready" once loaded.
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const [built, archive, pstore, stepMs] = process.argv.slice(2);
const { collect } = await import(pathToFileURL(built).href);
const pause = new Int32Array(new SharedArrayBuffer(4));
const slow = {};
for (const [name, fn] of Object.entries(fs)) {
  if (typeof fn === 'function' && name.endsWith('Sync')) {
    slow[name] = (...args) => {
      Atomics.wait(pause, 0, 0, Number(stepMs));
      return fn(...args);
    };
  }
}
process.stdout.write('ready\n');
const r = await collect({ archive, sources: [{ kind: 'pstore', path: pstore, explicit: true }], unlink: true, keep: 0, fs: { ...fs, ...slow } });
process.stdout.write(`done ${r.entries.length} ${r.unlinked.length}\n`);
process.exitCode = r.failed ? 1 : 0;
