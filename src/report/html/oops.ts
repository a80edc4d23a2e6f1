// The crash event's own report block (`incident.oops`): who, the trace with the guilty
// frame highlighted (the same choice as the text report), registers, the Code: bytes with
// the faulting instruction's first byte marked, the modules.
import type { Incident, OopsFrame } from '../../model/index.js';
import { cleanFunction } from '../../detect/frames.js';
import { skipRegex } from '../../detect/skip.js';
import { frameText } from '../../oops/text.js';
import { esc, row } from './esc.js';
import { MAX_FRAMES } from './limits.js';

/** The culprit's frame, else the pc, else the first frame past the printing machinery. */
export function guiltyFrame(i: Incident): OopsFrame | undefined {
  const o = i.oops;
  if (!o) return undefined;
  const fn = i.lead?.function ?? i.function;
  const frames = [...(o.rip ? [o.rip] : []), ...o.trace.filter((f) => f.reliable)];
  const skip = skipRegex();
  return (fn && frames.find((f) => cleanFunction(f.function) === fn)) || o.rip || frames.find((f) => !skip.test(f.function)) || frames[0];
}

function frameLi(f: OopsFrame, guilty: boolean, label?: string): string {
  const cls = [guilty ? 'guilty' : '', f.reliable ? '' : 'unreliable'].filter(Boolean).join(' ');
  return `<li${cls ? ` class="${cls}"` : ''}>${label ? `<span class="tag">${esc(label)}</span> ` : ''}${f.reliable ? '' : '? '}${esc(frameText(f))}` +
    `${f.address ? ` <small>${esc(f.address)}</small>` : ''}${guilty ? ' <strong class="tag">guilty frame</strong>' : ''}</li>`;
}

function codeHtml(code: string): string {
  return esc(code).replace(/&#60;([0-9a-f]{2})&#62;/i, '<mark title="the faulting instruction starts here">&lt;$1&gt;</mark>')
    .replace(/\(([0-9a-f]{4})\)/i, '<mark title="the faulting instruction starts here">($1)</mark>');
}

export function oopsHtml(i: Incident, n: number): string {
  const o = i.oops;
  if (!o) return '';
  const guilty = guiltyFrame(i);
  const items: string[] = [];
  if (o.rip) items.push(frameLi(o.rip, o.rip === guilty, 'RIP'));
  if (o.lr) items.push(frameLi(o.lr, o.lr === guilty, 'LR'));
  let stack: string | undefined;
  for (const f of o.trace.slice(0, MAX_FRAMES)) {
    if (f.stack && f.stack !== stack) items.push(`<li class="stack">&lt;${esc(f.stack)}&gt;</li>`);
    stack = f.stack;
    items.push(frameLi(f, f === guilty, f.interrupted ? 'exception RIP' : undefined));
  }
  if (o.trace.length > MAX_FRAMES) items.push(`<li class="cut">${o.trace.length - MAX_FRAMES} more frames left out (report.json has them all)</li>`);
  const regs = Object.entries(o.registers ?? {});
  const facts = row('event', o.title) + row('cpu', o.cpu?.toString()) + row('pid', o.pid?.toString()) + row('comm', o.comm) +
    row('release', o.release) + row('hardware', o.hardware) + row('kernel offset', o.kernelOffset);
  return `<section data-role="oops" class="oops" aria-labelledby="oops-h-${n}"><h3 id="oops-h-${n}">Report block</h3>` +
    (facts ? `<table class="facts">${facts}</table>` : '') +
    `<h4>Call trace</h4><ul class="trace">${items.join('')}</ul>` +
    (regs.length ? `<h4>Registers</h4><dl class="regs">${regs.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>` : '') +
    (o.code ? `<h4>Code</h4><pre class="code">${codeHtml(o.code)}</pre>` : '') +
    (o.modules?.length ? `<h4>Modules linked in</h4><p class="modules">${o.modules.map(esc).join(' ')}</p>` : '') + '</section>';
}
