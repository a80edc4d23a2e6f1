// A long log kept in bounded memory (src/timeline/keep.ts) gives the verdict every line
// gives: `report` (keep 'verdict': a single log judged boot by boot, routine lines let go)
// against the whole log kept (keep 'all', what `timeline` reads), on a real kernel's
// console stretched with routine lines, with a report, an EDAC line and a machine-check
// line far from the crash. What is not kept is counted and said.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderText } from '../../src/report/text.js';
import { timelineText } from '../../src/report/timeline.js';
import { KEEP_CAP, SegmentKeeper } from '../../src/timeline/keep.js';
import type { KernelMessage } from '../../src/model/index.js';
import { sampleConsole, stamp } from '../builders/console-log.js';

/** The sample's boot, `routine` routine lines with a WARNING report, an EDAC line and a machine-check line among them, then its crash. */
function longLog(routine: number, boots = 1): string {
  const { boot, crash, warning } = sampleConsole();
  const out: string[] = [];
  for (let b = 0; b < boots; b++) {
    for (const l of boot) out.push(`${stamp(l.ns === 0 ? 0 : l.ns + b * 7_919_000)} ${l.text}`);
    let ns = 10e9 + b * 7_919_000;
    for (let i = 0; i < routine; i++) {
      out.push(`${stamp((ns += 37_000))} e1000e 0000:00:19.0 eth0: link ${i % 2 ? 'up' : 'down'} ${i}`);
      if (i === Math.floor(routine / 3)) for (const l of warning) out.push(`${stamp((ns += 1000))} ${l.text}`);
      if (i === Math.floor(routine / 2)) out.push(`${stamp((ns += 1000))} EDAC MC0: 1 CE memory read error on DIMM_A1 (channel:0 slot:0 page:0x12345 offset:0x0 grain:8 syndrome:0x0)`);
      if (i === Math.floor((2 * routine) / 3)) out.push(`${stamp((ns += 1000))} mce: [Hardware Error]: Machine check events logged`);
    }
    for (const l of crash) out.push(`${stamp((ns += 1000) + (l.ns - crash[0]!.ns))} ${l.text}`);
  }
  return out.join('\n') + '\n';
}

describe('a long log kept for its verdict', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-keep-'));

  it.each([[1], [3]])('gives the verdict the whole log gives (%i boots of 40,000 routine lines)', async (boots) => {
    const path = join(dir, `console-${boots}.log`);
    writeFileSync(path, longLog(40_000, boots));
    const all = await analyze([path]);
    const kept = await analyze([path], { keep: 'verdict' });
    const html = await analyze([path], { keep: 'boots' });
    expect(kept.incidents).toHaveLength(boots);
    expect(kept.incidents).toEqual(all.incidents);
    expect(html.incidents).toEqual(all.incidents);
    // The WARNING far from the crash is an event of the verdict; the EDAC and machine-check lines are kept.
    for (const inc of kept.incidents) expect(inc.events.filter((e) => e.title === 'WARNING in forge_check_state')).toHaveLength(2);
    const texts = html.timeline.boots.flatMap((b) => b.messages.map((m) => m.text));
    expect(texts.filter((t) => t.startsWith('EDAC MC0: 1 CE'))).toHaveLength(boots);
    expect(texts.filter((t) => t.includes('[Hardware Error]'))).toHaveLength(boots);
    // Every line is counted; what was not kept is said.
    expect(kept.inputs[0]!.records).toBe(all.inputs[0]!.records);
    expect(kept.inputs[0]!.notKept).toBeGreaterThan(30_000 * boots);
    expect(all.inputs[0]!.notKept).toBeUndefined();
    expect(renderText(kept)).toContain(`${kept.inputs[0]!.notKept} lines not kept (far from any report)`);
    // `report --html` keeps each boot's kept lines to draw; `report` lets them go once judged.
    expect(html.timeline.boots.map((b) => b.key)).toEqual(all.timeline.boots.map((b) => b.key));
    expect(html.timeline.boots[0]!.messages.length).toBeLessThan(all.timeline.boots[0]!.messages.length / 5);
    expect(kept.timeline.boots.every((b) => b.messages.length === 0)).toBe(true);
  });

  it('`timeline` gets every boot of a single log whole, one at a time, as when the log is held whole', async () => {
    const path = join(dir, 'console-timeline.log');
    writeFileSync(path, longLog(20_000, 3));
    const all = await analyze([path]);
    const seen: string[] = [];
    const streamed = await analyze([path], { onBoot: (b) => seen.push(timelineText({ boots: [b], problems: [] }).next().value as string) });
    expect(streamed.timeline.boots).toEqual([]);
    expect(seen).toEqual([...timelineText(all.timeline)]);
    expect(streamed.inputs).toEqual(all.inputs);
  });

  it('keeps at most its cap of a boot whose every line could start a report, and counts the rest', () => {
    const k = new SegmentKeeper();
    const n = KEEP_CAP + 100_000;
    const source = { backend: 'text', path: 'x' };
    for (let i = 0; i < n; i++) k.push({ kind: 'kmsg', text: `WARNING: CPU: 0 PID: ${i} at x.c:1 f+0x1/0x2`, tsNs: BigInt(i) * 1000n, source } as KernelMessage);
    const kept = k.lines();
    expect(kept.length).toBeLessThan(KEEP_CAP + 20_000);
    expect(kept.length + k.dropped).toBe(n);
    expect(k.reportsNotKept).toBeGreaterThan(50_000);
    // The head and the tail are kept: the boot's start and its ending.
    expect(kept[0]!.text).toContain('PID: 0 ');
    expect(kept[kept.length - 1]!.text).toContain(`PID: ${n - 1} `);
  });
});
