// The JSON report (schema in ../shared/DESIGN.md and the README; changes only with
// `version`): bigints as "0x…" lowercase hex, times as ISO-8601, kernel times as decimal
// nanosecond strings (those are already strings in the Incident model).
import type { Analysis } from '../analyze.js';
import type { JsonReport } from '../model/index.js';

export function toJsonReport(a: Analysis): JsonReport {
  return { version: 1, inputs: a.inputs, incidents: a.incidents };
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `0x${value.toString(16)}`;
  return value;
}

/** JSON with bigints as "0x…" strings (Dates become ISO strings through toJSON). */
export function stringifyJson(value: unknown, indent: number | undefined = 2): string {
  return JSON.stringify(value, replacer, indent);
}
