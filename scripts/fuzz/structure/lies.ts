// Values a hostile or damaged input puts in a length, count, offset or pointer field:
// the edges (0, 1, all ones, the sign bit), the field's own value a little off or
// scaled up, and the bounds a reader checks against (a zone's, a record's, the file's
// size) and just past them.
import type { Rng } from '../rng.js';

export function lieU32(rng: Rng, current: number, bounds: readonly number[] = []): number {
  const near = [current + 1, current - 1, current * 2, current * 16, current + 4096, current >>> 1];
  const edges = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0xfffffff0, 0x10000, 0x1000000];
  const around = bounds.flatMap((b) => [b, b + 1, b - 1, b * 2, b + 4096]);
  const all = [...near, ...edges, ...around, rng.int(0x100000000)];
  return rng.pick(all) >>> 0;
}

export function lieU16(rng: Rng, current: number, bounds: readonly number[] = []): number {
  return rng.pick([0, 1, 0xffff, 0x8000, current + 1, current - 1, current * 2, ...bounds.flatMap((b) => [b, b + 1]), rng.int(0x10000)]) & 0xffff;
}

export function lieU64(rng: Rng, current: bigint, bounds: readonly bigint[] = []): bigint {
  const near = [current + 1n, current - 1n, current * 2n, current + 0x1000n, current << 20n, current ^ (1n << 63n)];
  const edges = [0n, 1n, (1n << 64n) - 1n, (1n << 63n) - 1n, 1n << 63n, 1n << 32n, 1n << 40n, 0xffffffff80000000n];
  const around = bounds.flatMap((b) => [b, b + 1n, b - 1n, b * 2n]);
  const random = (BigInt(rng.int(0x100000000)) << 32n) | BigInt(rng.int(0x100000000));
  return BigInt.asUintN(64, rng.pick([...near, ...edges, ...around, random]));
}

/** A decimal text value as VMCOREINFO or a header line writes it. */
export function lieDecimal(rng: Rng, current: string): string {
  const n = Number(current);
  const base = Number.isFinite(n) ? n : 0;
  return rng.pick([
    '0', '1', '-1', '4294967295', '4294967296', '18446744073709551615', '99999999999999999999', '1048576', '1048577',
    '2147483648', '65535', '65536', String(base + 1), String(base + 8), String(Math.max(0, base - 8)), String(base * 2),
    String(base * 4096), 'x', '', ' 1', '1e9', '0x10', `${current}${current}`,
  ]);
}

/** A hexadecimal text value (a VMCOREINFO SYMBOL or KERNELOFFSET). */
export function lieHex(rng: Rng, current: string, others: readonly string[]): string {
  const v = /^[0-9a-f]+$/i.test(current) ? BigInt(`0x${current}`) : 0n;
  const hex = (x: bigint) => BigInt.asUintN(64, x).toString(16);
  return rng.pick([
    '0', 'ffffffffffffffff', '8000000000000000', '400000', hex(v + 1n), hex(v + 8n), hex(v - 8n), hex(v + 0x1000n),
    hex(v + 0x100000n), hex(v ^ 0xff000000n), 'xyz', '', ...(others.length ? [rng.pick(others)] : []),
  ]);
}
