// The version `crashlog --version` prints: package.json's, read where the program runs
// from (dist/src/util, or src/util under vitest), or fixed at bundle time by esbuild
// (scripts/dist.mjs defines __CRASHLOG_VERSION__), where no package.json sits beside it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __CRASHLOG_VERSION__: string | undefined;

export function crashlogVersion(): string {
  if (typeof __CRASHLOG_VERSION__ === 'string') return __CRASHLOG_VERSION__;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'crashlog' && pkg.version) return pkg.version;
    } catch {
      // not here: look one folder up
    }
  }
  return 'unknown';
}
