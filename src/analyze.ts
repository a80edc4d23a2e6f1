// The library entry point behind `crashlog report`, `timeline` and `collect`:
// input paths -> probe -> backend records -> timeline -> detectors -> correlator.
import type { ReadOptions } from './backend.js';
import type { CrashRecord, Incident, InputSummary } from './model/index.js';
import type { Timeline } from './timeline/types.js';

export interface AnalyzeOptions {
  /** Force this backend for every input (`--as`). */
  as?: string;
  /** Backend options (`--opt key=value`, layout parameters, ...). */
  options?: ReadOptions;
}

export interface Analysis {
  inputs: InputSummary[];
  records: CrashRecord[];
  timeline: Timeline;
  incidents: Incident[];
}
