#!/usr/bin/env node
// `npm ci` / `npm install` in a checkout: build with tsc when TypeScript is installed.
// Without it (`npm ci --omit=dev`), keep the built files that are there (a packed
// tarball, a checkout built before) and say so; with none, say how to get a crashlog.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
} catch {
  tsc = undefined;
}
if (tsc) {
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
if (existsSync(join(root, 'dist/src/main.js'))) {
  console.error('crashlog: TypeScript is not installed (--omit=dev): using the built files in dist/');
  process.exit(0);
}
console.error(`crashlog: nothing to run: TypeScript is not installed (--omit=dev) and dist/ holds no build.
  Build once with the dev dependencies (npm ci), or install the packed tarball (npm pack,
  then npm install -g crashlog-*.tgz), or copy the single executable (npm run dist: dist/crashlog).`);
process.exit(1);
