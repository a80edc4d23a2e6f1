// `--opt key=value` checked against the backends that read the inputs: a key none of them
// takes, or a value of the wrong shape, is a usage error (exit 2), never silently ignored.
import type { Backend, OptionSpec, ReadOptions } from '../backend.js';
import { ApplicationError } from '../util/errors.js';

const SHAPES: Record<OptionSpec['kind'], { test: (v: unknown) => boolean; says: string }> = {
  number: { test: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(v.trim())), says: 'a number (65536 or 0x10000)' },
  size: { test: (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'string' && /^(0x[0-9a-f]{1,16}|\d{1,20})[kmg]?$/i.test(v.trim())), says: 'a size (0x10000, 65536 or 64k)' },
  string: { test: (v) => typeof v === 'string' && v.length > 0, says: 'a string' },
  bool: { test: (v) => typeof v === 'boolean' || v === 0 || v === 1 || (typeof v === 'string' && /^[yn]$/i.test(v)), says: 'true or false' },
  list: { test: (v) => v !== undefined && v !== '', says: 'a value' },
};

function specOf(b: Backend, key: string): OptionSpec | undefined {
  for (const s of b.options ?? []) {
    if (s.key === key) return s;
    if (s.prefixes?.some((p) => key === p + s.key)) return s;
  }
  return undefined;
}

/** Throws a usage error for an option no reading backend takes, or a value it cannot take. */
export function checkReadOptions(options: ReadOptions, readers: readonly Backend[]): void {
  const used = [...new Map(readers.map((b) => [b.id, b])).values()];
  for (const [key, value] of Object.entries(options)) {
    const takers = used.map((b) => ({ b, s: specOf(b, key) })).filter((x) => x.s !== undefined);
    if (takers.length === 0) {
      const offer = used.filter((b) => b.options?.length).map((b) => `${b.id} takes ${b.options!.map((s) => s.key).join(', ')}`);
      throw new ApplicationError(`--opt ${key}: no input here is read by a backend that takes it` +
        (offer.length ? ` (${offer.join('; ')})` : used.length ? ` (${used.map((b) => b.id).join(', ')} take${used.length === 1 ? 's' : ''} no options)` : ''), 2);
    }
    for (const { b, s } of takers) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!SHAPES[s!.kind].test(v)) throw new ApplicationError(`--opt ${key}=${String(v)}: ${b.id} takes ${SHAPES[s!.kind].says} for ${key}`, 2);
      }
    }
  }
}
