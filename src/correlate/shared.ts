// Small pieces every verdict uses: incident kinds, evidence lines.
export { incidentEvents } from './ending.js';
import type { Evidence, IncidentKind, SourceRef } from '../model/index.js';

export const INCIDENT_KINDS: readonly IncidentKind[] = ['bug', 'hang', 'lockup', 'machine-check', 'oom', 'oops', 'panic', 'rcu-stall', 'reset', 'warning'];

export function asIncidentKind(kind: string): IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(kind) ? (kind as IncidentKind) : 'panic';
}

export class EvidenceList {
  readonly items: Evidence[] = [];
  add(text: string, source: SourceRef): void {
    this.items.push({ text, source });
  }
}

/** "also in 2 other records" for a record seen in several sources. */
export function alsoSeen(alsoIn: readonly SourceRef[] | undefined): string {
  const n = alsoIn?.length ?? 0;
  return n === 0 ? '' : ` (also in ${n} other record${n === 1 ? '' : 's'}: ${[...new Set(alsoIn!.map((s) => s.backend))].join(', ')})`;
}
