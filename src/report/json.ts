// The JSON report (schema in ../shared/DESIGN.md and the README; changes only with
// `version`): bigints as "0x…" lowercase hex, times as ISO-8601, kernel times as decimal
// nanosecond strings (those are already strings in the Incident model).
import type { Analysis } from '../analyze.js';
import type { JsonReport } from '../model/index.js';
import { machineOf, machineReport } from './machine.js';

export function toJsonReport(a: Analysis): JsonReport {
  const report: JsonReport = { version: 1, inputs: a.inputs, incidents: a.incidents };
  const machine = machineOf(a.records);
  if (machine) report.machine = machineReport(machine);
  return report;
}

/** JSON with bigints as "0x…" strings (Dates become ISO strings through toJSON). */
export function stringifyJson(value: unknown, indent: number | undefined = 2): string {
  // BigInt.prototype.toJSON for the call only, not a replacer: a replacer function takes
  // JSON.stringify off its fast path and doubled the time of a 15 MB report.
  const proto = BigInt.prototype as { toJSON?: () => string };
  const before = Object.getOwnPropertyDescriptor(proto, 'toJSON');
  Object.defineProperty(proto, 'toJSON', { value: bigintToJson, configurable: true, writable: true });
  try {
    return JSON.stringify(value, null, indent);
  } finally {
    if (before) Object.defineProperty(proto, 'toJSON', before);
    else delete proto.toJSON;
  }
}

function bigintToJson(this: bigint): string {
  return `0x${this.toString(16)}`;
}
