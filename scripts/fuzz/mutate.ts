// Mutations of real inputs for the fuzz harness: flipped bits, truncation, overwritten
// runs, length-like fields set to huge values, inserted and deleted bytes.
import fc from 'fast-check';
import type { FileEdit } from './edit.js';
import type { Rng } from './rng.js';

export type Mutation =
  | { op: 'flip'; at: number; bit: number; count: number }
  | { op: 'truncate'; at: number }
  | { op: 'overwrite'; at: number; bytes: Uint8Array }
  | { op: 'huge'; at: number; width: 2 | 4 | 8 }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; count: number };

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: frac }),
  fc.record({ op: fc.constant('overwrite' as const), at: frac, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ op: fc.constant('huge' as const), at: frac, width: fc.constantFrom(2 as const, 4 as const, 8 as const) }),
  fc.record({ op: fc.constant('insert' as const), at: frac, bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }) }),
  fc.record({ op: fc.constant('delete' as const), at: frac, count: fc.integer({ min: 1, max: 256 }) }),
);

/**
 * Mutations aim near the start of the input more often than not: headers live there,
 * and a mutation deep inside a large file mostly hits payload.
 */
function place(at: number, length: number): number {
  const skewed = at < 0.5 ? at * 2 * Math.min(length, 4096) : (at - 0.5) * 2 * length;
  return Math.min(length, Math.floor(skewed));
}

export function applyMutation(input: Uint8Array, m: Mutation): Uint8Array {
  const out = Uint8Array.from(input);
  const at = place(m.at, out.length);
  switch (m.op) {
    case 'flip':
      for (let i = 0; i < m.count && at + i < out.length; i++) out[at + i * 7 < out.length ? at + i * 7 : at]! ^= 1 << m.bit;
      return out;
    case 'truncate':
      return out.subarray(0, at);
    case 'overwrite':
      out.set(m.bytes.subarray(0, Math.max(0, out.length - at)), at);
      return out;
    case 'huge':
      for (let i = 0; i < m.width && at + i < out.length; i++) out[at + i] = i === m.width - 1 ? 0x7f : 0xff;
      return out;
    case 'insert':
      return Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
    case 'delete':
      return Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + m.count))]);
  }
}

/** A byte mutation drawn from the campaign's own random source (the same kinds as mutationArb). */
export function randomMutation(rng: Rng): Mutation {
  const bytes = (max: number) => Uint8Array.from({ length: 1 + rng.int(max) }, () => rng.int(256));
  switch (rng.int(6)) {
    case 0: return { op: 'flip', at: rng.next(), bit: rng.int(8), count: 1 + rng.int(16) };
    case 1: return { op: 'truncate', at: rng.next() };
    case 2: return { op: 'overwrite', at: rng.next(), bytes: bytes(64) };
    case 3: return { op: 'huge', at: rng.next(), width: rng.pick([2, 4, 8] as const) };
    case 4: return { op: 'insert', at: rng.next(), bytes: bytes(32) };
    default: return { op: 'delete', at: rng.next(), count: 1 + rng.int(256) };
  }
}

/** The same mutation as positioned writes (a large file changed in place: no cut, insert or delete). */
export function patchMutation(edit: FileEdit, m: Mutation): boolean {
  const size = edit.size;
  const at = place(m.at, size);
  if (m.op === 'overwrite') edit.write(at, m.bytes);
  else if (m.op === 'huge') edit.write(at, Uint8Array.from({ length: m.width }, (_, i) => (i === m.width - 1 ? 0x7f : 0xff)));
  else if (m.op === 'flip') {
    const b = edit.read(at, m.count * 7);
    for (let i = 0; i < m.count && i * 7 < b.length; i++) b[i * 7]! ^= 1 << m.bit;
    edit.write(at, b);
  } else return false;
  return true;
}

export const describeMutation = (m: Mutation): string =>
  `bytes ${m.op} at ${m.at.toFixed(4)}${'bytes' in m ? ` (${m.bytes.length} bytes)` : 'width' in m ? ` (${m.width})` : 'count' in m ? ` (${m.count})` : ''}`;
