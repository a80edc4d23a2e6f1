// The verdict of one incident: cause, kind, title, when (wall clock and kernel time),
// confidence with its reason, the panic line, the machine (release, hardware, taint
// decoded), the "corrupted report" flag, and the events as a table.
import type { Incident } from '../../model/index.js';
import { triggerText } from '../../oops/text.js';
import { dimmLine, historyLine } from '../machine.js';
import { clip, esc, kernelTime, row, seconds } from './esc.js';
import { sourceText, type PathOf } from './source.js';

const CONFIDENCE = /^Confidence [\d.]+:\s*/;

function taintHtml(i: Incident): string | undefined {
  const t = i.oops?.taint;
  if (!t) return i.taint === undefined ? undefined : esc(i.taint);
  if (!t.flags || !t.meaning.length) return t.flags ? `${esc(t.flags)}: no flag set` : 'not tainted';
  return `<code>${esc(t.flags)}</code><ul>${t.meaning.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>`;
}

/** The time the boot ended on the kernel clock: its last event with a time. */
export function endTs(i: Incident): string | undefined {
  return [...i.events].reverse().find((e) => e.tsNs !== undefined)?.tsNs;
}

export function verdictHtml(i: Incident): string {
  const reason = i.evidence.find((e) => CONFIDENCE.test(e.text))?.text.replace(CONFIDENCE, '');
  const end = endTs(i);
  const corrupted = i.events.filter((e) => e.corrupted);
  const when = [i.time ? `${i.time} (wall clock)` : 'no wall clock', end ? `${kernelTime(end)!.trim()} kernel time (s since boot)` : ''].filter(Boolean).join(', ');
  return `<table class="facts verdict">` +
    row('cause', `<span class="cause">${esc(i.cause)}</span>`, true) +
    row('kind', i.kind + (i.hung ? ' (the system was hung, no panic)' : '')) +
    row('title', i.title) +
    row('when', when) +
    row('confidence', `${i.confidence.toFixed(2)}${reason ? `: ${reason}` : ''}`) +
    row('panic', i.panic && `Kernel panic - not syncing: ${i.panic}`) +
    row('trigger', i.trigger && triggerText(i.trigger)) +
    row('lead', i.lead && `${i.lead.title}${i.lead.module ? ` [${i.lead.module}]` : ''}`) +
    row('first oops', i.firstOops && i.firstOops.title !== i.lead?.title ? i.firstOops.title : undefined) +
    row('function', i.function) + row('module', i.module) +
    row('release', i.release ?? i.oops?.release) +
    row('hardware', i.oops?.hardware) +
    row('taint', taintHtml(i), true) +
    row('dimm', i.dimm ? dimmLine(i.dimm) : undefined) +
    row('corrupted report', corrupted.length ? `<span class="flag">corrupted report</span> ${corrupted.map((e) => esc(e.title)).join('; ')}: the report's lines are damaged or interleaved, its title and frames may be wrong` : undefined, true) +
    row('boot', i.boot) +
    `</table>` +
    (i.dimmHistory?.length ? `<h4>DIMM history</h4><ul>${i.dimmHistory.map((h) => `<li>${esc(historyLine(h))}</li>`).join('')}</ul>` : '') +
    (i.missing?.length ? `<h4>Missing evidence</h4><ul>${i.missing.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : '');
}

/** The events as text, each with its time relative to the last one (what the picture shows). */
export function eventsTableHtml(i: Incident, pathOf: PathOf): string {
  if (!i.events.length) return '';
  const end = endTs(i);
  const rows = i.events.map((e) => {
    const rel = e.tsNs !== undefined && end !== undefined ? `${(seconds(e.tsNs) - seconds(end)).toFixed(1)} s` : '';
    return `<tr><td>${esc(kernelTime(e.tsNs) ?? '')}</td><td>${esc(rel)}</td><td>${esc(e.kind)}</td><td>${esc(clip(e.title, 300))}${e.corrupted ? ' <span class="flag">corrupted report</span>' : ''}</td><td><small>${esc(sourceText(e.source, pathOf))}</small></td></tr>`;
  });
  return `<table class="events"><thead><tr><th scope="col">kernel time</th><th scope="col">relative</th><th scope="col">kind</th><th scope="col">event</th><th scope="col">source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
