// Typed errors. A FormatError points at the exact place in the input:
//   "pstore/dmesg-erst-12+0x1f0: expected 8 bytes, have 3"

/** An error in the input data, at a path and byte offset. */
export class FormatError extends Error {
  override name = 'FormatError';
  constructor(
    readonly path: string,
    readonly offset: number | undefined,
    readonly detail: string,
  ) {
    super(`${path}${offset === undefined ? '' : `+0x${offset.toString(16)}`}: ${detail}`);
  }
}

/** An error the CLI prints as its message only (stack with --verbose), exiting with `exitCode`. */
export class ApplicationError extends Error {
  override name = 'ApplicationError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/**
 * Turn a length or count read from the input into a safe number, or throw.
 * Never allocate from a length field without passing it through here.
 */
export function getSafeBound(value: number | bigint, max: number, reason: string, path = '?', offset?: number): number {
  const n = typeof value === 'bigint' ? (value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value)) : value;
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new FormatError(path, offset, `${reason} ${value.toString()} is out of bounds (0..${max})`);
  }
  return n;
}

/** The message of anything thrown, for problem lists. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
