// The only backend registry. The CLI, the docs and the tests loop over this list.
// A new format is one folder in backends/ plus one line here.
import type { Backend } from '../src/backend.js';

export const backends: Backend[] = [
];

export function backendById(id: string): Backend | undefined {
  return backends.find((b) => b.id === id);
}
