// The timeline picture: one band per boot (boots separated, each on its own kernel clock),
// one lane per source backend, the log's density as grey bars, each incident event as a
// mark carrying `data-event` (its title), machine checks placed by their wall time where
// the boot has a clock. Marks are focusable buttons; the page's script shows the line and
// zooms every band to its last seconds (the same layout formula as here, from data-t).
import type { Incident, IncidentEvent, KernelMessage, MachineCheck, SourceRef } from '../../model/index.js';
import type { Boot, Timeline } from '../../timeline/types.js';
import { severityOf } from '../../mce/decode.js';
import { clip, esc, kernelTime, seconds } from './esc.js';
import { DENSITY_BINS, MAX_BOOTS, MAX_EVENTS, MAX_LINE_CHARS } from './limits.js';
import { sameSource, sourceText, type PathOf } from './source.js';

export const VIEW_W = 1040;
export const X0 = 130;
export const X1 = 950;
const UNTIMED_X = 975;
const HEAD_H = 22;
const LANE_H = 24;
const AXIS_H = 30;
const GAP = 12;
export const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

interface Mark { t?: number; lane: string; cls: string; title: string; line: string; when: string; src: string; event?: string }

const xAt = (t: number, t0: number, t1: number): number => X0 + ((t - t0) / (t1 - t0)) * (X1 - X0);
const fx = (n: number): string => n.toFixed(1);

/** The line an event was printed as: same source and time, else same time, else none. */
function lineOf(e: IncidentEvent, byTs: Map<bigint, KernelMessage[]>): KernelMessage | undefined {
  if (e.tsNs === undefined) return undefined;
  const at = byTs.get(BigInt(e.tsNs)) ?? [];
  return at.find((m) => [m.source, ...(m.alsoIn ?? [])].some((s) => sameSource(s, e.source))) ?? at[0];
}

/** The boot's lines by kernel time, built once per band (an archive boot has 400,000 lines). */
function byTime(messages: readonly KernelMessage[]): Map<bigint, KernelMessage[]> {
  const out = new Map<bigint, KernelMessage[]>();
  for (const m of messages) {
    if (m.tsNs === undefined) continue;
    const at = out.get(m.tsNs);
    if (at) at.push(m);
    else out.set(m.tsNs, [m]);
  }
  return out;
}

/** Kernel time of a machine check: its own, else its wall time through the boot's clock. */
function mceTime(b: Boot, mc: MachineCheck): number | undefined {
  if (mc.tsNs !== undefined) return seconds(mc.tsNs);
  if (!b.clock || !mc.time) return undefined;
  return seconds(b.clock.tsNs) + (mc.time.getTime() - b.clock.wall.getTime()) / 1000;
}

function logSpan(b: Boot): [number, number] | undefined {
  let lo = Infinity, hi = -Infinity;
  for (const m of b.messages) if (m.tsNs !== undefined) { const t = seconds(m.tsNs); if (t < lo) lo = t; if (t > hi) hi = t; }
  return lo <= hi ? [lo, hi] : undefined;
}

const wallOf = (b: Boot, t: number | undefined): string =>
  b.clock && t !== undefined ? new Date(b.clock.wall.getTime() + (t - seconds(b.clock.tsNs)) * 1000).toISOString() : '';

function shape(kind: string): string {
  if (kind === 'record') return '<path d="M0,-5L5,0L0,5L-5,0Z"/>';
  if (kind === 'machine-check') return '<path d="M0,-8L8,0L0,8L-8,0Z"/>';
  if (kind === 'panic') return '<path d="M0,-9L8,7L-8,7Z"/>';
  if (kind === 'warning') return '<circle r="6"/>';
  return '<rect x="-6" y="-6" width="12" height="12"/>';
}

/** The boots drawn: every boot with an incident, then others in order, up to MAX_BOOTS. */
function bootsDrawn(t: Timeline, incidents: readonly Incident[]): Boot[] {
  const withIncident = new Set(incidents.map((i) => i.boot));
  const first = t.boots.filter((b) => withIncident.has(b.key));
  const rest = t.boots.filter((b) => !withIncident.has(b.key));
  const keep = new Set([...first, ...rest].slice(0, MAX_BOOTS));
  return t.boots.filter((b) => keep.has(b));
}

export function timelineHtml(t: Timeline, incidents: readonly Incident[], pathOf: PathOf): string {
  const boots = bootsDrawn(t, incidents);
  if (boots.length === 0) return '';
  let budget = MAX_EVENTS;
  let y = 0;
  const bands: string[] = [];
  for (const b of boots) {
    const events = incidents.filter((i) => i.boot === b.key).flatMap((i) => i.events);
    const drawn = events.slice(0, Math.max(0, budget));
    budget -= drawn.length;
    const band = bandSvg(b, drawn, events.length - drawn.length, y, pathOf);
    bands.push(band.svg);
    y += band.height + GAP;
  }
  const omitted = t.boots.length - boots.length;
  return `<section id="timeline" aria-labelledby="timeline-h"><h2 id="timeline-h">Timeline</h2>` +
    `<p class="hint">Kernel clock per boot (seconds since boot); one lane per source. Hover a mark or focus it (Tab) and press Enter for its line.${omitted > 0 ? ` ${omitted} more boots not drawn.` : ''}</p>` +
    `<div class="zoom" role="group" aria-label="zoom"><button type="button" data-zoom="0" aria-pressed="true">whole boot</button><button type="button" data-zoom="60" aria-pressed="false">last 60 s</button><button type="button" data-zoom="10" aria-pressed="false">last 10 s</button><button type="button" data-zoom="2" aria-pressed="false">last 2 s</button></div>` +
    `<svg data-role="timeline" viewBox="0 0 ${VIEW_W} ${Math.max(y - GAP, 10)}" width="100%" role="group" aria-label="timeline of ${boots.length} boot${boots.length === 1 ? '' : 's'}" xmlns="http://www.w3.org/2000/svg">${bands.join('')}</svg>` +
    `<div data-role="event-detail" class="detail" aria-live="polite"><p>Select an event to see its line.</p></div></section>`;
}

function bandSvg(b: Boot, events: readonly IncidentEvent[], cut: number, top: number, pathOf: PathOf): { svg: string; height: number } {
  const marks: Mark[] = [];
  const records: Mark[] = [];
  const lines = events.length ? byTime(b.messages) : new Map<bigint, KernelMessage[]>();
  for (const e of events) {
    const m = lineOf(e, lines);
    const t = e.tsNs === undefined ? undefined : seconds(e.tsNs);
    marks.push({ t, lane: e.source.backend, cls: `ev kind-${e.kind}${e.corrupted ? ' corrupted' : ''}`, title: e.title, event: e.title,
      line: clip(m ? `${kernelTime(m.tsNs) ?? ''} ${m.text}` : e.title, MAX_LINE_CHARS), when: [kernelTime(e.tsNs), wallOf(b, t)].filter(Boolean).join(' '), src: sourceText(e.source, pathOf) });
  }
  const span = logSpan(b);
  for (const mc of b.mces) {
    const t = mceTime(b, mc);
    // A wall time maps through a clock of whole seconds: one that falls outside the log is not drawn.
    if (t === undefined || (mc.tsNs === undefined && span && (t < span[0] - 1 || t > span[1] + 1))) continue;
    const sev = severityOf(mc);
    records.push({ t, lane: mc.source.backend, cls: `mce sev-${sev}`, title: `machine check bank ${mc.bank} (${sev})`,
      line: `bank ${mc.bank} status 0x${mc.status.toString(16)}${mc.addr !== undefined ? ` addr 0x${mc.addr.toString(16)}` : ''}${mc.cpu !== undefined ? ` cpu ${mc.cpu}` : ''}`, when: mc.time?.toISOString() ?? '', src: sourceText(mc.source, pathOf) });
    if (records.length > MAX_EVENTS) break;
  }
  // Records under the events: an event's mark stays on top where both fall together.
  marks.unshift(...records);
  const laneSet = new Set<string>();
  for (const m of b.messages) { laneSet.add(m.source.backend); for (const s of m.alsoIn ?? []) laneSet.add(s.backend); }
  for (const m of marks) laneSet.add(m.lane);
  const lanes = [...laneSet].sort();
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const m of b.messages) if (m.tsNs !== undefined) { const t = seconds(m.tsNs); if (t < t0) t0 = t; if (t > t1) t1 = t; }
  for (const m of marks) if (m.t !== undefined) { if (m.t < t0) t0 = m.t; if (m.t > t1) t1 = m.t; }
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) [t0, t1] = [0, 1];
  if (t1 - t0 < 1e-3) t1 = t0 + 1;
  const laneY = (lane: string) => top + HEAD_H + lanes.indexOf(lane) * LANE_H + LANE_H / 2;
  const height = HEAD_H + lanes.length * LANE_H + AXIS_H;
  const out: string[] = [];
  const clock = b.clock ? `wall clock from ${b.clock.why}` : 'no wall clock';
  // Zoom looks at the seconds before the crash: the boot's last event, else the end of its log.
  const crash = marks.reduce((c, m) => (m.event !== undefined && m.t !== undefined && m.t > c ? m.t : c), -Infinity);
  out.push(`<g class="band" data-boot="${esc(b.key)}" data-start="${t0}" data-end="${t1}" data-crash="${Number.isFinite(crash) ? crash : t1}" data-t0="${t0}" data-t1="${t1}"${b.clock ? ` data-clock-t="${seconds(b.clock.tsNs)}" data-clock-wall="${b.clock.wall.getTime()}"` : ''}>`);
  out.push(`<text class="bandhead" x="4" y="${top + 14}">boot ${esc(clip(b.key, 60))}${b.release ? ` (${esc(b.release)})` : ''}: ${b.messages.length} lines${b.notKept ? ` (${b.notKept} routine lines not kept)` : ''}, ${esc(clock)}${cut ? `, ${cut} events not drawn` : ''}</text>`);
  for (const lane of lanes) {
    const ly = laneY(lane);
    out.push(`<text class="lane" x="4" y="${ly + 4}">${esc(lane === 'text' ? 'text/console' : lane)}</text><line class="laneline" x1="${X0}" x2="${X1}" y1="${ly}" y2="${ly}"/>`);
    out.push(densitySvg(b.messages, lane, t0, t1, ly));
  }
  const untimed = new Map<string, number>();
  for (const m of marks) {
    const ly = laneY(m.lane);
    let x: number;
    if (m.t === undefined) {
      const k = untimed.get(m.lane) ?? 0;
      untimed.set(m.lane, k + 1);
      x = UNTIMED_X + (k % 4) * 16;
    } else x = xAt(m.t, t0, t1);
    const label = `${m.title}${m.when ? ` at ${m.when}` : ' (no kernel time)'}`;
    out.push(`<g class="${m.cls}"${m.event !== undefined ? ` data-event="${esc(m.event)}"` : ''}${m.t !== undefined ? ` data-t="${m.t}"` : ' data-untimed=""'} data-y="${ly}" ` +
      `data-line="${esc(m.line)}" data-when="${esc(m.when)}" data-src="${esc(m.src)}" tabindex="0" role="button" aria-label="${esc(label)}" transform="translate(${fx(x)},${ly})">` +
      `<title>${esc(label)}\n${esc(m.line)}</title>${shape(m.cls.startsWith('mce') ? 'record' : m.cls.split(' ')[1]!.slice(5))}</g>`);
  }
  const ay = top + HEAD_H + lanes.length * LANE_H + 12;
  out.push(`<line class="axis" x1="${X0}" x2="${X1}" y1="${ay - 8}" y2="${ay - 8}"/>`);
  for (const f of TICKS) {
    const t = t0 + f * (t1 - t0);
    const wall = wallOf(b, t);
    out.push(`<text class="tick" data-tick="${f}" x="${fx(X0 + f * (X1 - X0))}" y="${ay + 4}" text-anchor="middle">${t.toFixed(t1 - t0 < 10 ? 2 : 1)} s${wall ? `<tspan x="${fx(X0 + f * (X1 - X0))}" dy="12">${wall.slice(11, 19)}</tspan>` : ''}</text>`);
  }
  if (untimed.size) out.push(`<text class="tick" x="${UNTIMED_X + 24}" y="${ay + 4}" text-anchor="middle">no time</text>`);
  out.push('</g>');
  return { svg: out.join(''), height };
}

/** Lines per bin of one lane, as bars (log scale): where each source has log at all. */
function densitySvg(messages: readonly KernelMessage[], lane: string, t0: number, t1: number, ly: number): string {
  const bins = new Array<number>(DENSITY_BINS).fill(0);
  const inLane = (s: SourceRef) => s.backend === lane;
  for (const m of messages) {
    if (m.tsNs === undefined || !(inLane(m.source) || m.alsoIn?.some(inLane))) continue;
    const k = Math.min(DENSITY_BINS - 1, Math.max(0, Math.floor(((seconds(m.tsNs) - t0) / (t1 - t0)) * DENSITY_BINS)));
    bins[k]!++;
  }
  const max = bins.reduce((a, n) => Math.max(a, n), 1);
  const w = (t1 - t0) / DENSITY_BINS;
  return bins.map((n, k) => {
    if (n === 0) return '';
    const h = 3 + 7 * (Math.log(n + 1) / Math.log(max + 1));
    const a = t0 + k * w;
    return `<rect class="dens" data-t="${a}" data-t2="${a + w}" data-y="${ly}" x="${fx(xAt(a, t0, t1))}" width="${fx(((X1 - X0) / DENSITY_BINS) * 0.9)}" y="${fx(ly - h)}" height="${fx(h * 2)}"><title>${n} lines</title></rect>`;
  }).join('');
}
