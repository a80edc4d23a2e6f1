// What the campaign measured, per backend and pass (mutated real inputs; inputs at the
// size cap): runs, the worst CPU time, resident memory and wall time of any case beside
// issue 16's goal, how many cases missed it, and findings by class.
import { GOAL_MB, GOAL_MS, type CaseOutcome } from './run.js';
import type { Seed } from './seeds.js';

interface Row { runs: number; cpuMs: number; peakMB: number; wallMs: number; overTime: number; overMem: number; findings: Map<string, number> }

export class Tally {
  private readonly rows = new Map<string, Row>();

  add(backend: string, pass: string, o: CaseOutcome): void {
    const key = `${pass}|${backend}`;
    const r = this.rows.get(key) ?? { runs: 0, cpuMs: 0, peakMB: 0, wallMs: 0, overTime: 0, overMem: 0, findings: new Map() };
    r.runs++;
    r.cpuMs = Math.max(r.cpuMs, o.cpuMs);
    r.peakMB = Math.max(r.peakMB, o.peakMB);
    r.wallMs = Math.max(r.wallMs, o.wallMs);
    if (o.cpuMs > GOAL_MS) r.overTime++;
    if (o.peakMB > GOAL_MB) r.overMem++;
    if (o.finding) r.findings.set(o.finding.cls, (r.findings.get(o.finding.cls) ?? 0) + 1);
    this.rows.set(key, r);
  }

  get(backend: string, pass: string): Row | undefined {
    return this.rows.get(`${pass}|${backend}`);
  }
}

export function printTable(ids: string[], seeds: Map<string, Seed[]>, t: Tally, write: (s: string) => void): void {
  for (const pass of ['mutated', 'cap']) {
    const present = ids.filter((id) => t.get(id, pass));
    if (!present.length) continue;
    write(`\n${pass === 'cap' ? 'inputs at each backend\'s size cap' : 'mutated real inputs'} (worst case per backend; goal ${GOAL_MS} ms CPU, ${GOAL_MB} MB):\n`);
    write(`  ${'backend'.padEnd(11)} ${'seeds'.padStart(5)} ${'runs'.padStart(6)} ${'worst CPU ms'.padStart(12)} ${'worst RSS MB'.padStart(12)} ${'worst wall ms'.padStart(13)} ${'over time/mem'.padStart(13)}  findings\n`);
    for (const id of ids) {
      const r = t.get(id, pass);
      if (!r) {
        if (pass === 'mutated') write(`  ${id.padEnd(11)} ${String(seeds.get(id)?.length ?? 0).padStart(5)} ${'0'.padStart(6)}  (no seeds)\n`);
        continue;
      }
      const f = [...r.findings].map(([c, k]) => `${c} ${k}`).join(', ') || '-';
      const mark = (v: number, goal: number) => `${v}${v > goal ? '!' : ' '}`;
      write(`  ${id.padEnd(11)} ${String(seeds.get(id)?.length ?? 0).padStart(5)} ${String(r.runs).padStart(6)} ${mark(r.cpuMs, GOAL_MS).padStart(12)} ${mark(r.peakMB, GOAL_MB).padStart(12)} ${String(r.wallMs).padStart(13)} ${`${r.overTime}/${r.overMem}`.padStart(13)}  ${f}\n`);
    }
  }
}
