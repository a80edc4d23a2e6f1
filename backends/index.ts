// The only backend registry. The CLI, the docs and the tests loop over this list.
// A new format is one folder in backends/ plus one line here.
import type { Backend } from '../src/backend.js';
import { journal } from './journal/index.js';
import { pstore } from './pstore/index.js';
import { text } from './text/index.js';

export const backends: Backend[] = [
  pstore,
  journal,
  text,
];

export function backendById(id: string): Backend | undefined {
  return backends.find((b) => b.id === id);
}
