#!/usr/bin/env node
import './gc.js';
import { run } from './cli.js';

// A reader that went away (`crashlog dmesg vmcore | head`) ends the run quietly, with the
// status it had so far, as a tool killed by SIGPIPE would stop (temporary files are
// removed on exit).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

// No top-level await: the same entry is bundled as CommonJS for the single executable.
void run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
