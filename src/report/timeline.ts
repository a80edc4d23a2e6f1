// `crashlog timeline`: the merged log, boot by boot, each line with where it came from.
import type { Timeline } from '../timeline/types.js';
import { formatTs } from '../kmsg/line.js';
import { wallAt } from '../timeline/clock.js';
import { formatSource } from './source.js';

/** The timeline as text, one boot at a time (a whole archive's text is tens of MB). */
export function* timelineText(t: Timeline, opts: { sources?: boolean } = {}): Generator<string> {
  for (const b of t.boots) {
    const out: string[] = [];
    out.push(`-- boot ${b.key}${b.release ? ` (${b.release})` : ''}: ${b.messages.length} lines, ${b.mces.length} machine checks` +
      (b.clock ? `, clock from ${b.clock.why}` : ''));
    for (const m of b.messages) {
      const ts = m.tsNs === undefined ? ' '.repeat(14) : `[${formatTs(m.tsNs)}]`;
      const wall = wallAt(b, m.tsNs);
      const src = opts.sources === false ? '' : `  <${[m.source, ...(m.alsoIn ?? [])].map((s) => formatSource(s)).join(', ')}>`;
      out.push(`${wall ? wall.toISOString() + ' ' : ''}${ts} ${m.text}${src}`);
    }
    for (const mc of b.mces) out.push(`machine check: bank ${mc.bank} status 0x${mc.status.toString(16)}  <${formatSource(mc.source)}>`);
    for (const me of b.memoryErrors) out.push(`memory error: ${me.severity}${me.physAddr !== undefined ? ` addr 0x${me.physAddr.toString(16)}` : ''}  <${formatSource(me.source)}>`);
    for (const d of b.dumps) out.push(`dump: ${d.release ?? ''}${d.noCoredumpReason ? ` reason ${d.noCoredumpReason}` : ''}  <${formatSource(d.source)}>`);
    yield out.join('\n') + '\n';
  }
}
