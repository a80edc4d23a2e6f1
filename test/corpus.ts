// Where tests find real inputs: fixtures/ in this repo (small items copied with their
// manifest and truth), and ../shared/corpus beside the clone (the large vmcores).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = join(REPO, 'fixtures');
export const CORPUS = join(REPO, '..', 'shared', 'corpus');

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function corpus(...parts: string[]): string {
  const p = join(CORPUS, ...parts);
  if (!existsSync(p)) throw new Error(`corpus item missing: ${p} (../shared/corpus must be beside the clone)`);
  return p;
}
