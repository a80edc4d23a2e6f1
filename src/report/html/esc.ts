// Escaping for everything from the input (log text, paths, titles): text and attribute
// values alike, so a log line can never open a tag or end an attribute.
export function esc(s: string | number | bigint): string {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A line cut to `max` characters, saying how much was cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}… (${s.length - max} more characters)`;
}

/** A kernel time in seconds as the log prints it: "[  123.456789]". */
export function kernelTime(tsNs: bigint | string | undefined): string | undefined {
  if (tsNs === undefined) return undefined;
  const ns = typeof tsNs === 'bigint' ? tsNs : BigInt(tsNs);
  const s = ns / 1_000_000_000n;
  const us = (ns % 1_000_000_000n) / 1000n;
  return `[${String(s).padStart(5)}.${String(us).padStart(6, '0')}]`;
}

export const seconds = (tsNs: bigint | string): number => Number(typeof tsNs === 'bigint' ? tsNs : BigInt(tsNs)) / 1e9;

/** A table row, left out when there is no value. `html` values are already markup. */
export function row(k: string, v: string | undefined, html = false): string {
  return v === undefined || v === '' ? '' : `<tr><th scope="row">${esc(k)}</th><td>${html ? v : esc(v)}</td></tr>`;
}
