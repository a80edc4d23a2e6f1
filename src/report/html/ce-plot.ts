// The corrected-error history of a hardware verdict as a picture: per bank and address
// (the groups of `correctedBefore`), the errors counted up over time, the fatal error
// marked. Times are the records' own (the boot's corrected machine checks, rasdaemon rows)
// where they are there; else a group's first and last time stand for its errors.
import type { CorrectedHistory, Incident, MachineCheck } from '../../model/index.js';
import type { Boot } from '../../timeline/types.js';
import { severityOf } from '../../mce/decode.js';
import { significantAddr } from '../../mce/bits.js';
import { dimmLine } from '../machine.js';
import { esc } from './esc.js';
import { MAX_CE_POINTS } from './limits.js';

const W = 1000, H = 260, L = 60, R = 980, T = 20, B = 210;
const COLORS = 6;

interface Series { label: string; points: { t: number; n: number }[]; total: number; atFatal: boolean }

/** ISO wall time -> ms; a decimal kernel time (ns) -> seconds tagged as such. */
function timeOf(s: string | undefined): { t: number; wall: boolean } | undefined {
  if (s === undefined) return undefined;
  if (/^\d+$/.test(s)) return { t: Number(BigInt(s) / 1_000_000n) / 1000, wall: false };
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : { t: ms, wall: true };
}

function groupOf(mc: MachineCheck, groups: readonly CorrectedHistory[]): number {
  let best = -1;
  let dist: bigint | undefined;
  const a = significantAddr(mc.status, mc.addr, mc.misc);
  groups.forEach((h, k) => {
    if (h.bank !== mc.bank) return;
    const d = a === undefined || h.addr === undefined ? 1n << 64n : a ^ BigInt(h.addr);
    if (dist === undefined || d < dist) [best, dist] = [k, d];
  });
  return best;
}

function seriesOf(i: Incident, boot: Boot | undefined, wall: boolean): Series[] {
  const groups = i.correctedBefore ?? [];
  // The verdict's DIMM is the fatal error's: it names the group at the fatal address.
  const dimm = i.dimm ? dimmLine(i.dimm) : undefined;
  const series: Series[] = groups.map((h) => ({ label: `${h.atFatalAddress && dimm ? `${dimm}: ` : ''}bank ${h.bank}${h.addr ? ` at ${h.addr}` : ''}`, points: [], total: h.count, atFatal: h.atFatalAddress === true }));
  let n = 0;
  for (const mc of boot?.mces ?? []) {
    if (n >= MAX_CE_POINTS) break;
    const sev = severityOf(mc);
    if (sev !== 'corrected' && sev !== 'deferred') continue;
    const k = groupOf(mc, groups);
    const t = wall ? mc.time?.getTime() : mc.tsNs === undefined ? undefined : Number(mc.tsNs / 1_000_000n) / 1000;
    if (k < 0 || t === undefined) continue;
    series[k]!.points.push({ t, n: mc.count ?? 1 });
    n++;
  }
  groups.forEach((h, k) => {
    const s = series[k]!;
    const got = s.points.reduce((a, p) => a + p.n, 0);
    // Points the records did not give (a history from log lines): the group's first and last.
    if (got >= h.count) return;
    const first = timeOf(h.first), last = timeOf(h.last);
    if (!first || first.wall !== wall) return;
    const missing = h.count - got;
    if (missing === 1 || !last || last.t === first.t) s.points.push({ t: first.t, n: missing });
    else s.points.push({ t: first.t, n: 1 }, { t: last.t, n: missing - 1 });
  });
  for (const s of series) s.points.sort((a, b) => a.t - b.t);
  return series;
}

function fatalTime(i: Incident, wall: boolean): number | undefined {
  const fatal = i.mce?.find((m) => m.severity !== 'corrected' && m.severity !== 'deferred');
  if (wall) return timeOf(fatal?.time ?? i.time)?.t;
  const ev = [...i.events].reverse().find((e) => e.kind === 'machine-check' && e.tsNs !== undefined);
  return ev ? Number(BigInt(ev.tsNs!) / 1_000_000n) / 1000 : undefined;
}

const label = (t: number, wall: boolean, span: number): string =>
  wall ? new Date(t).toISOString().slice(span > 86_400_000 ? 5 : 11, 19).replace('T', ' ') : `${t.toFixed(1)} s`;

export function cePlotHtml(i: Incident, boot: Boot | undefined): string {
  const groups = i.correctedBefore ?? [];
  const wall = groups.some((h) => timeOf(h.first)?.wall) || (boot?.mces.some((m) => m.time) ?? false);
  const series = seriesOf(i, boot, wall);
  const fatal = fatalTime(i, wall);
  const times = series.flatMap((s) => s.points.map((p) => p.t));
  if (fatal !== undefined) times.push(fatal);
  const out: string[] = [];
  const caption = groups.length ? `${groups.reduce((a, h) => a + h.count, 0)} corrected errors before the fatal one, in ${groups.length} group${groups.length === 1 ? '' : 's'} (bank, address)` : 'No corrected error was recorded before the fatal one.';
  if (times.length === 0) {
    out.push(`<text x="${L}" y="${T + 40}">${esc(caption)} No times to plot.</text>`);
  } else {
    let t0 = times.reduce((a, t) => Math.min(a, t), Infinity), t1 = times.reduce((a, t) => Math.max(a, t), -Infinity);
    const pad = Math.max((t1 - t0) * 0.05, wall ? 1000 : 1);
    [t0, t1] = [t0 - pad, t1 + pad];
    const x = (t: number) => L + ((t - t0) / (t1 - t0)) * (R - L);
    const ymax = Math.max(1, ...series.map((s) => s.points.reduce((a, p) => a + p.n, 0)));
    const y = (n: number) => B - (n / ymax) * (B - T);
    out.push(`<line class="axis" x1="${L}" x2="${R}" y1="${B}" y2="${B}"/><line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${B}"/>`);
    for (const f of [0, 0.25, 0.5, 0.75, 1]) out.push(`<text class="tick" x="${(L + f * (R - L)).toFixed(1)}" y="${B + 16}" text-anchor="middle">${esc(label(t0 + f * (t1 - t0), wall, t1 - t0))}</text>`);
    for (const v of new Set([0, Math.round(ymax / 2), ymax])) out.push(`<text class="tick" x="${L - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`);
    out.push(`<text class="tick" x="${L}" y="${T - 6}">cumulative corrected errors</text><text class="tick" x="${R}" y="${B + 32}" text-anchor="end">${wall ? 'wall clock (UTC)' : 'kernel time'}</text>`);
    series.forEach((s, k) => {
      let n = 0;
      let d = `M${x(s.points[0]?.t ?? t0).toFixed(1)},${y(0).toFixed(1)}`;
      const dots: string[] = [];
      for (const p of s.points) {
        d += `H${x(p.t).toFixed(1)}V${y(n + p.n).toFixed(1)}`;
        n += p.n;
        dots.push(`<circle data-ce="${esc(s.label)}" cx="${x(p.t).toFixed(1)}" cy="${y(n).toFixed(1)}" r="3.5"><title>${esc(s.label)}: ${n} by ${esc(label(p.t, wall, 0))}${p.n > 1 ? ` (${p.n} here)` : ''}</title></circle>`);
      }
      if (fatal !== undefined && s.points.length) d += `H${x(fatal).toFixed(1)}`;
      out.push(`<g class="series c${k % COLORS}"><path d="${d}"/>${dots.join('')}</g>`);
    });
    if (fatal !== undefined) {
      out.push(`<g class="fatal" data-fatal=""><line x1="${x(fatal).toFixed(1)}" x2="${x(fatal).toFixed(1)}" y1="${T}" y2="${B}"/><text x="${(x(fatal) - 4).toFixed(1)}" y="${T + 12}" text-anchor="end">fatal ${esc(label(fatal, wall, 0))}</text><title>the fatal machine check</title></g>`);
    }
  }
  const legend = series.map((s, k) => `<li class="c${k % COLORS}"><span class="swatch" aria-hidden="true"></span>${esc(s.label)}: ${s.total}${s.atFatal ? ' <strong>(at the fatal error\'s address)</strong>' : ''}</li>`).join('');
  return `<figure class="ce"><svg data-role="ce-plot" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(caption)}" xmlns="http://www.w3.org/2000/svg">${out.join('')}</svg>` +
    `<figcaption>${esc(caption)}${legend ? `<ul class="legend">${legend}</ul>` : ''}</figcaption></figure>`;
}
