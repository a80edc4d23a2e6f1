// Writing hand-built inputs for a test.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Write `bytes` as `dir/name`; returns the path. */
export function writeIn(dir: string, name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}
