// Segment ids ordered by a 64-bit key held as 32-bit halves, equal keys in their given order
// (segindex.ts). 65,700 keys of QEMU's paging ELF (its ESPFIX aliases, in falling order)
// took seconds as a comparison sort of BigInts, and tens of milliseconds as a radix sort in
// JavaScript that runs once, before V8 has optimised it; a native sort of doubles does it
// in a few.

const TWO32 = 2 ** 32;
const EXACT = 2 ** 53;

export function sortByKey(ids: Uint32Array, hi: Uint32Array, lo: Uint32Array): Uint32Array {
  return packedSort(ids, hi, lo) ?? radixSort(ids, hi, lo);
}

/**
 * Each key as one double, (key - smallest) / common alignment, times the room for a
 * position, plus its position in `ids` (so equal keys keep their order); sorted by the
 * typed array's own numeric sort. Undefined when that does not fit 53 bits exactly.
 */
function packedSort(ids: Uint32Array, hi: Uint32Array, lo: Uint32Array): Uint32Array | undefined {
  const n = ids.length;
  if (n === 0) return ids;
  let minH = hi[ids[0]!]!, minL = lo[ids[0]!]!, maxH = minH, maxL = minL, or = 0;
  for (let k = 0; k < n; k++) {
    const h = hi[ids[k]!]!, l = lo[ids[k]!]!;
    if (h < minH || (h === minH && l < minL)) { minH = h; minL = l; }
    if (h > maxH || (h === maxH && l > maxL)) { maxH = h; maxL = l; }
    or |= l;
  }
  let align = 0;
  while (align < 31 && ((or >>> align) & 1) === 0) align++;
  const unit = 2 ** align;
  const room = 2 ** Math.max(1, Math.ceil(Math.log2(n)));
  if ((((maxH - minH) * TWO32 + (maxL - minL)) / unit + 1) * room > EXACT) return undefined;
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (((hi[ids[k]!]! - minH) * TWO32 + (lo[ids[k]!]! - minL)) / unit) * room + k;
  keys.sort();
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = ids[keys[k]! % room]!;
  return out;
}

/**
 * `ids` ordered by the 64-bit key hi:lo, equal keys in their given order: an LSD radix sort,
 * 16 bits a pass (a pass whose digit never varies is skipped). 65,700 keys in a few ms, where
 * a comparison sort of BigInts took seconds.
 */
export function radixSort(ids: Uint32Array, hi: Uint32Array, lo: Uint32Array): Uint32Array {
  let a: Uint32Array = ids;
  let b: Uint32Array = new Uint32Array(ids.length);
  const count = new Uint32Array(1 << 16);
  for (const [col, shift] of [[lo, 0], [lo, 16], [hi, 0], [hi, 16]] as const) {
    count.fill(0);
    for (let k = 0; k < a.length; k++) count[(col[a[k]!]! >>> shift) & 0xffff]++;
    if (count[(col[a[0]!]! >>> shift) & 0xffff] === a.length) continue;
    for (let d = 0, sum = 0; d < count.length; d++) { const c = count[d]!; count[d] = sum; sum += c; }
    for (let k = 0; k < a.length; k++) { const id = a[k]!; b[count[(col[id]! >>> shift) & 0xffff]++] = id; }
    [a, b] = [b, a];
  }
  return a;
}

