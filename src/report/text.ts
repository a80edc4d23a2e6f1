// Human text: per incident one headline, then what, when and the evidence, each line
// pointing at where it came from; then the inputs and what was wrong with them.
import pc from 'picocolors';
import type { Analysis } from '../analyze.js';
import type { Incident, InputSummary } from '../model/index.js';
import { formatSource } from './source.js';
import { oopsFacts, oopsLines } from '../oops/text.js';
import { dimmLine, historyLine, machineLine, machineOf, machineReport } from './machine.js';
import { humanTime, span } from './time.js';
import { KEEP_CAP } from '../timeline/keep.js';

export interface TextOptions {
  color?: boolean;
}

function headline(i: Incident): string {
  const cause = i.cause === 'hardware' ? 'HARDWARE' : i.cause === 'software' ? 'SOFTWARE' : 'UNKNOWN';
  return `${cause}: ${i.title}`;
}

function incidentLines(i: Incident, c: ReturnType<typeof pc.createColors>): string[] {
  const out: string[] = [];
  const color = i.cause === 'hardware' ? c.red : i.cause === 'software' ? c.yellow : c.magenta;
  out.push(c.bold(color(headline(i))));
  const facts: [string, string | undefined][] = [
    ['boot', i.boot + (i.release ? ` (${i.release})` : '')],
    ['kind', i.kind + (i.hung ? ' (system was hung, no panic)' : '')],
    ['when', i.time === undefined ? undefined : humanTime(i.time)],
    ['panic', i.panic],
    ['function', i.function],
    ['module', i.module],
    ...oopsFacts(i),
    ['confidence', i.confidence.toFixed(2)],
    ['dimm', i.dimm ? dimmLine(i.dimm) : undefined],
  ];
  for (const [k, v] of facts) if (v !== undefined && v !== '') out.push(`  ${k.padEnd(10)} ${v}`);
  out.push(...oopsLines(i));
  if (i.events.length) {
    out.push('  events:');
    for (const e of i.events) out.push(`    ${e.title}${e.corrupted ? ' (corrupted report)' : ''}  ${c.dim(formatSource(e.source))}`);
  }
  out.push(...eventTimeline(i));
  for (const m of i.mce ?? []) {
    out.push(`  machine check: bank ${m.bank} status ${m.status}${m.addr ? ` addr ${m.addr}` : ''}${m.cpu !== undefined ? ` cpu ${m.cpu}` : ''}${m.socket !== undefined ? ` socket ${m.socket}` : ''}`);
    out.push(`    ${m.severity}, ${m.errorClass}: ${m.summary}  ${c.dim(formatSource(m.source))}`);
  }
  for (const h of i.correctedBefore ?? []) {
    const before = h.first && i.time ? span(h.first, i.time) : undefined;
    out.push(`  corrected before: bank ${h.bank} x${h.count}${h.addr ? ` addr ${h.addr}` : ''}${h.first ? ` first ${h.first}` : ''}${h.last ? ` last ${h.last}` : ''}${before ? ` (the first ${before} before the fatal one)` : ''}${h.atFatalAddress ? ' at the address the fatal error hit' : ''}`);
  }
  for (const h of i.dimmHistory ?? []) out.push(`  dimm history: ${historyLine(h)}`);
  if (i.evidence.length) {
    out.push('  evidence:');
    for (const e of i.evidence) out.push(`    ${e.text}  ${c.dim(formatSource(e.source))}`);
  }
  for (const m of i.missing ?? []) out.push(`  missing: ${m}`);
  return out;
}

/** The events one a line on the kernel clock, relative to the last ("-3.2 s  WARNING in ..."): the timeline picture of the HTML page, in the terminal. */
export function eventTimeline(i: Incident): string[] {
  const timed = i.events.filter((e) => e.tsNs !== undefined);
  if (timed.length < 2) return [];
  const end = BigInt(timed[timed.length - 1]!.tsNs!);
  const rel = (ts: string): string => {
    const s = Number(BigInt(ts) - end) / 1e9;
    return `${s === 0 ? '0.0' : s.toFixed(Math.abs(s) < 1 ? 2 : 1)} s`;
  };
  return ['  timeline:', ...i.events.map((e) => `    ${(e.tsNs === undefined ? '?' : rel(e.tsNs)).padStart(9)}  ${e.title}${e.corrupted ? ' (corrupted report)' : ''}`)];
}

/** ", 3000000 lines not kept (…)" (src/timeline/keep.ts): what was let go is said, never silently lost. */
function notKept(inp: InputSummary): string {
  if (!inp.notKept) return '';
  const capped = inp.reportsNotKept ? `; ${inp.reportsNotKept} of them could have started a report, past the ${KEEP_CAP} lines kept of a boot` : '';
  return `, ${inp.notKept} lines not kept (far from any report${capped})`;
}

/** One incident's text alone, as renderText prints it (collect's verdict of a boot that left no record). */
export function incidentText(i: Incident, opts: TextOptions = {}): string {
  return `${incidentLines(i, pc.createColors(opts.color ?? false)).join('\n')}\n`;
}

export function renderText(a: Analysis, opts: TextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const out: string[] = [];
  const machine = machineOf(a.records);
  if (machine) out.push(`machine: ${machineLine(machineReport(machine))}`, '');
  if (a.incidents.length === 0) out.push('No crash found in the inputs.');
  for (const i of a.incidents) {
    out.push(...incidentLines(i, c), '');
  }
  out.push(c.bold('inputs:'));
  for (const inp of a.inputs) {
    out.push(`  ${inp.path}: ${inp.backend}, ${inp.records} records${notKept(inp)}${inp.problems.length ? `, ${inp.problems.length} problems` : ''}`);
    for (const p of inp.problems) out.push(`    ${c.red('problem')}: ${formatSource({ backend: inp.backend, path: p.path, offset: p.offset })}: ${p.message}`);
  }
  return out.join('\n') + '\n';
}
