// System.map ("ffffffff81000000 T _text", nm -n format): kernel symbol addresses at link time.
import { readFile } from 'node:fs/promises';

const LINE = /^([0-9a-f]{8,16}) ([tTwW]) (\S{1,256})$/;
/** A System.map has ~200k lines; more is not one. */
const MAX_LINES = 4_000_000;

export interface SystemMap { byName: Map<string, bigint[]>; sorted: { name: string; value: bigint }[] }

export function parseSystemMap(text: string): SystemMap {
  const byName = new Map<string, bigint[]>();
  const sorted: { name: string; value: bigint }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && i < MAX_LINES; i++) {
    const m = LINE.exec(lines[i]!.trim());
    if (!m) continue;
    const value = BigInt(`0x${m[1]}`);
    const list = byName.get(m[3]!);
    if (list) list.push(value); else byName.set(m[3]!, [value]);
    sorted.push({ name: m[3]!, value });
  }
  sorted.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { byName, sorted };
}

export async function readSystemMap(path: string): Promise<SystemMap> {
  return parseSystemMap(await readFile(path, 'utf8'));
}

/** The symbol at or below `addr` in a sorted list. */
export function symbolAt<T extends { value: bigint }>(sorted: readonly T[], addr: bigint): T | undefined {
  let lo = 0, hi = sorted.length - 1, best: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.value <= addr) { best = sorted[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}
