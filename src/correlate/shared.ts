// Small pieces every verdict uses: events as the report shows them, evidence lines.
import type { Evidence, IncidentEvent, IncidentKind, SourceRef } from '../model/index.js';
import type { CrashEvent } from '../detect/types.js';

export const INCIDENT_KINDS: readonly IncidentKind[] = ['bug', 'hang', 'lockup', 'machine-check', 'oom', 'oops', 'panic', 'rcu-stall', 'reset', 'warning'];

export function asIncidentKind(kind: string): IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(kind) ? (kind as IncidentKind) : 'panic';
}

export function incidentEvents(events: readonly CrashEvent[]): IncidentEvent[] {
  return events.map((e) => {
    const out: IncidentEvent = { title: e.title, kind: e.kind, source: e.source };
    if (e.tsNs !== undefined) out.tsNs = e.tsNs.toString();
    if (e.corrupted) out.corrupted = true;
    return out;
  });
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
