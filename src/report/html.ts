// A self-contained HTML page of the report: the same facts as the text report, for
// attaching to a ticket. Every value from the input is escaped.
import type { Analysis } from '../analyze.js';
import type { Incident } from '../model/index.js';
import { formatSource } from './source.js';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function row(k: string, v: string | undefined): string {
  return v === undefined || v === '' ? '' : `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
}

function incident(i: Incident): string {
  const list = (items: string[]) => (items.length ? `<ul>${items.join('')}</ul>` : '');
  return `<section class="${i.cause}"><h2>${esc(i.cause.toUpperCase())}: ${esc(i.title)}</h2><table>` +
    row('boot', i.boot) + row('kind', i.kind + (i.hung ? ' (hung, no panic)' : '')) + row('when', i.time) + row('panic', i.panic) +
    row('function', i.function) + row('module', i.module) + row('confidence', i.confidence.toFixed(2)) + '</table>' +
    list(i.events.map((e) => `<li>${esc(e.title)} <small>${esc(formatSource(e.source))}</small></li>`)) +
    list((i.mce ?? []).map((m) => `<li>bank ${m.bank} status ${esc(m.status)}${m.addr ? ` addr ${esc(m.addr)}` : ''}: ${esc(m.severity)}, ${esc(m.summary)}</li>`)) +
    list((i.correctedBefore ?? []).map((h) => `<li>corrected before: bank ${h.bank} x${h.count}${h.addr ? ` addr ${esc(h.addr)}` : ''}</li>`)) +
    list(i.evidence.map((e) => `<li><code>${esc(e.text)}</code> <small>${esc(formatSource(e.source))}</small></li>`)) +
    list((i.missing ?? []).map((m) => `<li>missing: ${esc(m)}</li>`)) +
    '</section>';
}

export function renderHtml(a: Analysis): string {
  const inputs = a.inputs.map((inp) =>
    `<li>${esc(inp.path)}: ${esc(inp.backend)}, ${inp.records} records${inp.problems.map((p) => `<br><b>problem</b> ${esc(formatSource({ backend: inp.backend, path: p.path, offset: p.offset }))}: ${esc(p.message)}`).join('')}</li>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>crashlog report</title><style>
body{font:14px system-ui,sans-serif;margin:2em}section{border-left:4px solid #999;padding-left:1em;margin-bottom:2em}
.hardware{border-color:#c00}.software{border-color:#c80}th{text-align:left;padding-right:1em}small{color:#777}code{white-space:pre-wrap}
</style></head><body><h1>crashlog report</h1>${a.incidents.length ? a.incidents.map(incident).join('') : '<p>No crash found in the inputs.</p>'}<h2>inputs</h2><ul>${inputs.join('')}</ul></body></html>\n`;
}
