// `report` reads with keep 'incidents' and collect with 'verdict' (src/analyze.ts: a single
// log, or for `report` an ordered store, judged boot by boot; long segments kept for their
// verdict); `timeline` and the corpus walk keep every line. On every corpus item, each input
// alone, its console alone and all its inputs together, all give the same incidents, and
// `timeline` (boot by boot as read) the same text.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { timelineText } from '../../src/report/timeline.js';
import { CORPUS, corpus } from '../corpus.js';

const REFERENCE = /^(?:manifest\.json|truth\.json|serial-console\.log|README\.md|.*\.txt)$/;
const items = readdirSync(CORPUS).filter((d) => existsSync(join(CORPUS, d, 'truth.json'))).sort();

describe.each(items)('%s', (item) => {
  const inputs = readdirSync(corpus(item)).filter((f) => !REFERENCE.test(f) && !f.startsWith('.')).sort().map((f) => join(CORPUS, item, f));
  const console = join(CORPUS, item, 'serial-console.log');
  const sets: [string, string[]][] = [['all inputs', inputs], ...inputs.map((p): [string, string[]] => [p.slice(CORPUS.length + 1), [p]])];
  if (existsSync(console)) sets.push(['serial-console.log', [console]]);
  it.each(sets)('%s: the same incidents kept for the verdict as with every line', async (_name, paths) => {
    const all = await analyze(paths);
    const kept = await analyze(paths, { keep: 'verdict' });
    expect(kept.incidents).toEqual(all.incidents);
    expect(kept.inputs.map((i) => [i.path, i.records, i.problems])).toEqual(all.inputs.map((i) => [i.path, i.records, i.problems]));
    // `report` and `report --json`: a single log or ordered store judged as it is read (src/analyze-store.ts).
    const judged = await analyze(paths, { keep: 'incidents' });
    expect(judged.incidents).toEqual(all.incidents);
    expect(judged.inputs.map((i) => [i.path, i.records, i.problems])).toEqual(all.inputs.map((i) => [i.path, i.records, i.problems]));
    expect(judged.timeline.boots.map((b) => b.key)).toEqual(all.timeline.boots.map((b) => b.key));
    // `timeline` prints boot by boot as they are read: the same text.
    const printed: string[] = [];
    await analyze(paths, { onBoot: (b) => printed.push(...timelineText({ boots: [b], problems: [] })) });
    expect(printed).toEqual([...timelineText(all.timeline)]);
  });
});
