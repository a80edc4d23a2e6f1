// `crashlog report --html`: one self-contained page for a ticket (DOM contract in the
// README): the verdict, the timeline picture, for hardware the corrected-error plot and
// the registers bit by bit, for software the report block, and every evidence line
// linked to the raw log around it. Every value from the input is escaped; every list is
// bounded (limits.ts), so any input gives a page of a few MB at most.
import type { Analysis } from '../../analyze.js';
import type { Incident } from '../../model/index.js';
import { machineLine, machineOf, machineReport } from '../machine.js';
import { CSS, SCRIPT } from './assets.js';
import { cePlotHtml } from './ce-plot.js';
import { esc } from './esc.js';
import { evidenceHtml, type ContextBudget } from './evidence.js';
import { MAX_INCIDENTS, MAX_INPUTS, MAX_MCE_TABLES, MAX_PROBLEMS } from './limits.js';
import { mceBitsHtml } from './mce-bits.js';
import { oopsHtml } from './oops.js';
import { asGiven, sourceText, type PathOf } from './source.js';
import { timelineHtml } from './timeline.js';
import { eventsTableHtml, verdictHtml } from './verdict.js';

export interface HtmlOptions {
  /** How an input path is shown: relative to the page's folder (a bundle), or as given. */
  pathOf?: PathOf;
  /** crashlog's version, shown in the footer. */
  version?: string;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function incidentHtml(a: Analysis, i: Incident, n: number, pathOf: PathOf, budget: ContextBudget): string {
  const boot = a.timeline.boots.find((b) => b.key === i.boot);
  const ev = evidenceHtml(i, n, boot, pathOf, budget);
  const cause = i.cause === 'hardware' ? 'HARDWARE' : i.cause === 'software' ? 'SOFTWARE' : 'UNKNOWN';
  const parts = [`<section class="incident ${esc(i.cause)}" aria-labelledby="inc-h-${n}"><h2 id="inc-h-${n}"><span class="cause">${cause}</span>: ${esc(i.title)}</h2>`, verdictHtml(i)];
  parts.push(`<h3>Events</h3>${eventsTableHtml(i, pathOf) || '<p>No crash event was found in the log (the verdict rests on the records below).</p>'}`);
  if (i.cause === 'hardware' || i.mce?.length) {
    parts.push(`<h3>Corrected errors before the fatal one</h3>${cePlotHtml(i, boot)}`);
    const mces = i.mce ?? [];
    if (mces.length) {
      parts.push(`<h3>Machine-check registers</h3>${mces.slice(0, MAX_MCE_TABLES).map(mceBitsHtml).join('')}` +
        (mces.length > MAX_MCE_TABLES ? `<p class="cut">${mces.length - MAX_MCE_TABLES} more machine checks left out (report.json has them all)</p>` : ''));
    }
  }
  parts.push(oopsHtml(i, n));
  parts.push(`<h3>Evidence</h3><p class="hint">Each line opens the raw log around it.</p>${ev.list}${ev.windows}</section>`);
  return parts.join('');
}

function inputsHtml(a: Analysis, pathOf: PathOf): string {
  const items = a.inputs.slice(0, MAX_INPUTS).map((inp) => {
    const probs = inp.problems.slice(0, MAX_PROBLEMS).map((p) => `<li><b>problem</b> ${esc(sourceText({ backend: inp.backend, path: p.path, offset: p.offset }, pathOf))}: ${esc(p.message)}</li>`);
    if (inp.problems.length > MAX_PROBLEMS) probs.push(`<li class="cut">${inp.problems.length - MAX_PROBLEMS} more problems left out</li>`);
    return `<li>${esc(pathOf(inp.path))}: ${esc(inp.backend)}, ${inp.records} records${probs.length ? `<ul>${probs.join('')}</ul>` : ''}</li>`;
  });
  if (a.inputs.length > MAX_INPUTS) items.push(`<li class="cut">${a.inputs.length - MAX_INPUTS} more inputs left out</li>`);
  return `<section aria-labelledby="inputs-h"><h2 id="inputs-h">Inputs</h2><ul>${items.join('')}</ul></section>`;
}

export function renderHtml(a: Analysis, opts: HtmlOptions = {}): string {
  const pathOf = opts.pathOf ?? asGiven;
  const budget: ContextBudget = { chars: 0, scanned: 0 };
  const machine = machineOf(a.records);
  const shown = a.incidents.slice(0, MAX_INCIDENTS);
  const head = a.incidents.length === 0 ? 'No crash found in the inputs.'
    : a.incidents.map((i) => `${i.cause.toUpperCase()}: ${i.title}`).slice(0, 3).join('; ') + (a.incidents.length > 3 ? `; and ${a.incidents.length - 3} more` : '');
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    `<meta name="color-scheme" content="light dark"><meta name="generator" content="crashlog${opts.version ? ` ${esc(opts.version)}` : ''}">` +
    `<title>crashlog: ${esc(head.slice(0, 200))}</title><style>${CSS}</style></head><body>` +
    `<header><h1>crashlog report</h1><p>${esc(head)}</p>${machine ? `<p><b>machine</b> ${esc(machineLine(machineReport(machine)))}</p>` : ''}</header><main>` +
    (a.incidents.length ? '' : '<p class="none">No crash found in the inputs.</p>') +
    timelineHtml(a.timeline, shown, pathOf) +
    shown.map((i, n) => incidentHtml(a, i, n, pathOf, budget)).join('') +
    (a.incidents.length > MAX_INCIDENTS ? `<p class="cut">${a.incidents.length - MAX_INCIDENTS} more incidents left out (report.json has them all)</p>` : '') +
    inputsHtml(a, pathOf) +
    `</main><footer><p class="src">crashlog${opts.version ? ` ${esc(opts.version)}` : ''}: this page is self-contained (no request leaves it).</p></footer>` +
    `<script>${SCRIPT}</script></body></html>\n`;
}
