// A seeded random source for the campaign (mulberry32): the same --seed gives the same
// cases in the same order, so a campaign can be run again to see a fix hold.
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(list: readonly T[]): T {
    if (list.length === 0) throw new RangeError('pick from an empty list');
    return list[this.int(list.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A fresh source for one case, so cases do not depend on what earlier ones drew. */
  fork(n: number): Rng {
    return new Rng(Math.imul(this.s ^ n, 0x9e3779b1) ^ (n * 0x85ebca6b));
  }
}
