// One store of many records whose reader gives them in order (Backend.ordered: a pstore
// directory, an mtdoops partition) judged boot by boot as it is read, for `report` and
// `report --json`: its segments are joined into boots as they come
// (src/timeline/join-stream.ts), the oldest boot judged once WINDOW_BOOTS are open and its
// lines let go, so memory holds the newest boots and the incidents, not the store. The
// verdict is the one timelineOf and correlate give over the whole input; where it might not
// be (a segment that joins a boot already judged, or records other than log lines to place
// among boots already judged), the caller reads the input again whole (analyze.ts).
import type { ReadOptions } from './backend.js';
import type { Incident } from './model/index.js';
import type { Analysis } from './analyze.js';
import type { ResolvedInput } from './input/resolve.js';
import { judgedBoot, type Boot } from './timeline/types.js';
import type { DimmThreshold } from './correlate/dimm-history.js';
import { readKept, summary } from './read-input.js';
import { StreamJoiner } from './timeline/join-stream.js';
import { timelineOf } from './timeline/build.js';
import { correlate, Correlator } from './correlate/index.js';
import { detect } from './detect/index.js';

/** The verdict on one input judged as it is read; undefined when it must be read again whole. */
export async function analyzeStore(input: ResolvedInput, options: ReadOptions, dimmThreshold?: DimmThreshold, window?: { boots: number; lines: number }): Promise<Analysis | undefined> {
  const dimms = dimmThreshold ? { threshold: dimmThreshold } : {};
  const correlator = new Correlator([], detect, dimms);
  const incidents: Incident[] = [];
  const boots: Boot[] = [];
  const path = input.path;
  const joiner = new StreamJoiner((segments) => {
    if (joiner.late) return; // read again whole: the rest is not worth judging
    for (const boot of timelineOf(segments, [{ path, records: [] }]).boots) {
      const inc = correlator.boot(boot);
      if (inc) incidents.push(inc);
      boots.push(judgedBoot(boot));
    }
  }, window);
  const r = await readKept(input, 0, options, { final: (s) => joiner.add(s) });
  if (joiner.late) return undefined;
  const inputs = [summary(input, r)];
  const problems = r.problems;
  if (r.records.length === 0) {
    joiner.end();
    return { inputs, timeline: { boots, problems }, incidents, records: [] };
  }
  // Machine checks, dump notes, blobs: placed among all the input's boots (place.ts), as before.
  if (joiner.judgedAny) return undefined;
  const timeline = timelineOf(joiner.unjudged(), [{ path, records: r.records }], problems);
  const all = correlate(timeline, detect, dimms);
  return { inputs, timeline: { boots: timeline.boots.map(judgedBoot), problems }, incidents: all, records: r.records };
}
