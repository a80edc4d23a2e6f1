// aer_event rows (ras-record.c aer_event_tab: PCIe AER errors) -> a noted blob each: read one
// by one through the same bounded scan (scan.ts: the most recent kept), never grouped.
import type { BlobRecord } from '../../src/model/index.js';
import { parseRasTimestamp } from './time.js';
import type { ScanRow } from './scan-row.js';
import type { TablePlan } from './scan.js';

const COLUMNS = ['id', 'timestamp', 'dev_name', 'err_type', 'err_msg'] as const;

export function aerOf(r: Record<string, unknown>, path: string): BlobRecord {
  const b: BlobRecord = { kind: 'blob', type: `aer ${String(r.err_type ?? '')} ${String(r.dev_name ?? '')}: ${String(r.err_msg ?? '')}`.trim(), size: 0, source: { backend: 'rasdaemon', path, id: `aer_event#${String(r.id)}` } };
  const t = parseRasTimestamp(r.timestamp);
  if (t) b.time = t;
  return b;
}

export class AerPlan implements TablePlan<BlobRecord, never> {
  readonly table = 'aer_event';
  readonly columns = COLUMNS;
  readonly keyWidth = 1;
  readonly coarseWidth = 1;
  readonly coarseBy = '';
  constructor(private readonly path: string) {}
  groupKey(): number {
    return NaN;
  }
  coarseKey(): void {}
  weight(): number {
    return 1;
  }
  first(): never {
    throw new Error('aer_event rows are not grouped');
  }
  record(row: ScanRow): BlobRecord {
    const r: Record<string, unknown> = {};
    COLUMNS.forEach((c, k) => { r[c] = row.value(k); });
    return aerOf(r, this.path);
  }
  grouped(): never {
    throw new Error('aer_event rows are not grouped');
  }
}
