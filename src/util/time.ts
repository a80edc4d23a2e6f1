// Times from input are data, not trusted: a Date is made only when it can be printed.
// ECMAScript dates reach ±8.64e15 ms (±275,760 years, ECMA-262 "Time Values and Time Range");
// past that a Date is "Invalid Date" and toISOString() throws.
const MAX_MS = 8.64e15;

/** A Date at `ms` milliseconds since the epoch, or undefined when no Date can hold it. */
export function dateAt(ms: number): Date | undefined {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_MS ? new Date(ms) : undefined;
}

/** The date itself when it is a valid one. */
export function validDate(d: Date | undefined): Date | undefined {
  return d !== undefined && !Number.isNaN(d.getTime()) ? d : undefined;
}
