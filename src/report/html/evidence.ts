// Evidence in context: each evidence line links to a window of the raw log around the
// line it rests on, embedded in the page (the reader never needs the input files).
// The line is found by its source (path, offset, record id, part) in the incident's boot,
// then by its text; a statement derived from a record (a decoded machine check, the
// confidence) anchors on that record's line, or shows the record when it has none.
import type { Evidence, Incident, KernelMessage, SourceRef } from '../../model/index.js';
import type { Boot } from '../../timeline/types.js';
import { clip, esc, kernelTime } from './esc.js';
import { CONTEXT_AFTER, CONTEXT_BEFORE, MAX_CONTEXT_CHARS, MAX_EVIDENCE, MAX_LINE_CHARS } from './limits.js';
import { sameSource, sourceText, type PathOf } from './source.js';

/** Context budget shared by every window of one page. */
export interface ContextBudget { chars: number; scanned: number }

/** Lines visited by evidence searches, all evidence of a page together. */
const MAX_SCANNED = 5_000_000;

const sources = (m: KernelMessage) => (m.alsoIn ? [m.source, ...m.alsoIn] : [m.source]);
const MIN_MATCH = 12;
const textMatch = (line: string, ev: string): boolean =>
  line === ev || (ev.length >= MIN_MATCH && line.includes(ev)) || (line.length >= MIN_MATCH && ev.includes(line));

const key = (s: SourceRef): string => `${s.backend}\0${s.path}\0${s.offset}`;

/** Lines by exact source (backend, path, byte offset), built once per boot. */
export function offsetIndex(messages: readonly KernelMessage[]): Map<string, number> {
  const out = new Map<string, number>();
  messages.forEach((m, k) => {
    for (const s of sources(m)) if (s.offset !== undefined && !out.has(key(s))) out.set(key(s), k);
  });
  return out;
}

/** Index of the log line an evidence statement rests on, or -1. A byte offset pins the
 * line; a record id and part (ERST, EFI) narrow it to a record, where its text finds it. */
export function anchorOf(e: Evidence, i: Incident, messages: readonly KernelMessage[], byOffset: Map<string, number>, budget: ContextBudget): number {
  if (e.source.offset !== undefined) {
    const k = byOffset.get(key(e.source));
    if (k !== undefined) return k;
  }
  // The scans below are linear: past the page's scan budget a statement shows its record only.
  if (budget.scanned > MAX_SCANNED) return -1;
  budget.scanned += messages.length;
  const candidates: number[] = [];
  for (let k = 0; k < messages.length; k++) {
    const m = messages[k]!;
    if (!sources(m).some((s) => sameSource(s, e.source))) continue;
    if (textMatch(m.text, e.text)) return k;
    candidates.push(k);
  }
  // A decoded machine check: the log prints its status without 0x ("Bank 7: be00000000800090").
  const status = /status 0x([0-9a-f]{8,16})/.exec(e.text)?.[1];
  if (status) {
    const k = messages.findIndex((m) => m.text.toLowerCase().includes(status));
    if (k >= 0) return k;
  }
  if (e.text.length >= MIN_MATCH) {
    const k = messages.findIndex((m) => textMatch(m.text, e.text));
    if (k >= 0) return k;
  }
  if (candidates.length) {
    const panic = i.panic && candidates.find((k) => messages[k]!.text.includes(i.panic!));
    return panic || candidates[candidates.length - 1]!;
  }
  return -1;
}

export interface EvidenceHtml { list: string; windows: string }

/** The evidence list of one incident (links) and the context windows they open. */
export function evidenceHtml(i: Incident, n: number, boot: Boot | undefined, pathOf: PathOf, budget: ContextBudget): EvidenceHtml {
  const messages = boot?.messages ?? [];
  const windows = new Map<string, string>();
  const byOffset = offsetIndex(messages);
  const items: string[] = [];
  for (const [k, e] of i.evidence.slice(0, MAX_EVIDENCE).entries()) {
    const at = anchorOf(e, i, messages, byOffset, budget);
    const id = at >= 0 ? `ctx-${n}-${at}` : `ctx-${n}-e${k}`;
    if (!windows.has(id)) windows.set(id, at >= 0 ? windowHtml(id, messages, at, e, pathOf, budget) : recordHtml(id, e, pathOf));
    items.push(`<li><a data-evidence href="#${id}">${esc(clip(e.text, MAX_LINE_CHARS))}</a> <small class="src">${esc(sourceText(e.source, pathOf))}</small></li>`);
  }
  if (i.evidence.length > MAX_EVIDENCE) items.push(`<li class="cut">${i.evidence.length - MAX_EVIDENCE} more evidence lines left out (report.json has them all)</li>`);
  return { list: `<ol class="evidence">${items.join('')}</ol>`, windows: [...windows.values()].join('') };
}

function lineHtml(m: KernelMessage, hit: boolean): string {
  const ts = kernelTime(m.tsNs) ?? ' '.repeat(14);
  return `<span class="ln${hit ? ' hit' : ''}"${hit ? ' aria-current="true"' : ''}>${esc(ts)} ${esc(clip(m.text, MAX_LINE_CHARS))}</span>`;
}

function windowHtml(id: string, messages: readonly KernelMessage[], at: number, e: Evidence, pathOf: PathOf, budget: ContextBudget): string {
  let from = Math.max(0, at - CONTEXT_BEFORE);
  let to = Math.min(messages.length, at + CONTEXT_AFTER + 1);
  const size = messages.slice(from, to).reduce((s, m) => s + Math.min(m.text.length, MAX_LINE_CHARS) + 20, 0);
  if (budget.chars + size > MAX_CONTEXT_CHARS) [from, to] = [at, at + 1];
  budget.chars += size;
  const lines = messages.slice(from, to).map((m, k) => lineHtml(m, from + k === at));
  const hit = messages[at]!;
  const cut = from === at && to === at + 1 && messages.length > 1 ? ' (the page\'s context budget is spent: this line only)' : '';
  return `<section class="ctx" id="${id}" tabindex="-1" aria-label="log around the evidence">` +
    `<h4>Log around <q>${esc(clip(e.text, 120))}</q></h4>` +
    `<p class="src">line from ${esc(sourceText(hit.source, pathOf))}${hit.alsoIn?.length ? `, also in ${hit.alsoIn.map((s) => esc(sourceText(s, pathOf))).join(', ')}` : ''}</p>` +
    `<pre>${lines.join('\n')}</pre>` +
    `<p class="cut">${from} earlier and ${messages.length - to} later lines of this boot left out${cut}.</p></section>`;
}

function recordHtml(id: string, e: Evidence, pathOf: PathOf): string {
  return `<section class="ctx" id="${id}" tabindex="-1" aria-label="the record behind the evidence">` +
    `<h4>Record behind <q>${esc(clip(e.text, 120))}</q></h4>` +
    `<p class="src">${esc(sourceText(e.source, pathOf))}</p>` +
    `<pre><span class="ln hit" aria-current="true">${esc(clip(e.text, MAX_LINE_CHARS))}</span></pre>` +
    `<p class="cut">No log line of this boot carries this record (a binary record: machine check, database row); the line above is the statement made from it.</p></section>`;
}
