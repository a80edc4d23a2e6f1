// An input of many short segments (an mtdoops partition of many records) kept in bounded
// memory (src/timeline/thin.ts): past INPUT_WHOLE lines its older records are thinned to what
// a verdict reads of them, and the verdict is the one every line gives. Built as
// drivers/mtd/mtdoops.c writes (test/builders/mtdoops.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderText } from '../../src/report/text.js';
import { INPUT_WHOLE } from '../../src/timeline/thin.js';
import { buildMtdoops, type MtdoopsSpec } from '../builders/mtdoops.js';
import { sampleConsole, stamp } from '../builders/console-log.js';

const RECORD = 16 * 1024;

/** `records` records of one boot: routine lines, a WARNING report in the middle one, the sample's crash in the last. */
function image(records: number): Uint8Array {
  const { crash, warning } = sampleConsole();
  const out: MtdoopsSpec['records'] = [];
  let ns = 5e9;
  for (let r = 0; r < records; r++) {
    const lines: string[] = [];
    const special = (r === records - 1 ? crash : r === Math.floor(records / 2) ? warning : []).map((l) => l.text);
    let bytes = special.reduce((n, t) => n + t.length + 16, 0);
    for (let i = 0; bytes < RECORD - 400; i++) {
      const l = `${stamp((ns += 41_000))} e1000e 0000:00:19.0 eth0: link ${i % 2 ? 'up' : 'down'} ${r}.${i}`;
      lines.push(l);
      bytes += l.length + 1;
    }
    if (r === Math.floor(records / 2) + 1) lines.push(`${stamp((ns += 1000))} EDAC MC0: 1 CE memory read error on DIMM_A1 (channel:0 slot:0 page:0x12345 offset:0x0 grain:8 syndrome:0x0)`);
    for (const t of special) lines.push(`${stamp((ns += 1000))} ${t}`);
    out.push({ slot: r, seq: r + 1, text: lines.join('\n') + '\n', timeNs: BigInt(ns) });
  }
  return buildMtdoops({ size: records * RECORD, recordSize: RECORD, records: out });
}

describe('an mtdoops partition of many records, kept for its verdict', () => {
  it(`gives the verdict every line gives, its older records thinned past ${INPUT_WHOLE} lines and the rest counted`, async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'crashlog-thin-')), 'mtdoops.img');
    writeFileSync(path, image(900));
    const all = await analyze([path]);
    const kept = await analyze([path], { keep: 'verdict' });
    const html = await analyze([path], { keep: 'boots' });
    expect(all.inputs[0]!.records).toBeGreaterThan(INPUT_WHOLE * 1.2);
    expect(kept.incidents.map((i) => i.title)).toEqual(['WARNING in forge_check_state', 'kernel panic: sysrq triggered crash']);
    // The same verdict; a thinned boot's key hashes its kept lines (build.ts bootKey reads a
    // boot's last lines), the same for `report` and `report --html`, and for collect's entry
    // read again (all keep 'verdict' or 'boots').
    const unkeyed = (a: typeof all) => a.incidents.map((i) => ({ ...i, boot: '' }));
    expect(unkeyed(kept)).toEqual(unkeyed(all));
    expect(html.incidents).toEqual(kept.incidents);
    expect((await analyze([path], { keep: 'verdict' })).incidents).toEqual(kept.incidents);
    // `report` judges the partition as it reads it (src/analyze-store.ts): the same verdict and counts.
    const report = await analyze([path], { keep: 'incidents' });
    expect(report.incidents).toEqual(kept.incidents);
    expect(report.inputs).toEqual(kept.inputs);
    // The last boot ends in records never thinned: its key is the one every line gives.
    expect(kept.incidents[1]!.boot).toBe(all.incidents[1]!.boot);
    // The WARNING of a thinned record is still an event; the EDAC line of another is kept.
    expect(kept.incidents.flatMap((i) => i.events).filter((e) => e.title === 'WARNING in forge_check_state')).toHaveLength(2);
    const texts = html.timeline.boots.flatMap((b) => b.messages.map((m) => m.text));
    expect(texts.filter((t) => t.startsWith('EDAC MC0: 1 CE'))).toHaveLength(1);
    // Lines read are all counted; those let go are said, and were most of them.
    expect(kept.inputs[0]!.records).toBe(all.inputs[0]!.records);
    expect(kept.inputs[0]!.notKept).toBeGreaterThan(all.inputs[0]!.records / 2);
    expect(renderText(kept)).toContain(`${kept.inputs[0]!.notKept} lines not kept (far from any report)`);
    expect(html.timeline.boots.reduce((n, b) => n + b.messages.length, 0)).toBeLessThan(all.inputs[0]!.records / 2);
  });
});
