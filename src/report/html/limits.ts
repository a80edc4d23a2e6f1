// Bounds of the page: whatever the input (a 500 MB vmcore, an archive of 400,000 lines),
// the page stays a few MB. Each cut says what it left out.

/** Log lines embedded either side of an evidence line. */
export const CONTEXT_BEFORE = 10;
export const CONTEXT_AFTER = 10;
/** Characters of one embedded log line. */
export const MAX_LINE_CHARS = 400;
/** Characters of all embedded context windows together; past it a window holds its line only. */
export const MAX_CONTEXT_CHARS = 2_000_000;
/** Evidence lines shown per incident. */
export const MAX_EVIDENCE = 100;
/** Incidents rendered (the JSON has them all). */
export const MAX_INCIDENTS = 50;
/** Boots drawn on the timeline (boots with an incident first). */
export const MAX_BOOTS = 12;
/** Event marks on the timeline, all boots together. */
export const MAX_EVENTS = 2_000;
/** Density bins per lane. */
export const DENSITY_BINS = 120;
/** Frames of a trace shown. */
export const MAX_FRAMES = 64;
/** Inputs and problems per input listed. */
export const MAX_INPUTS = 200;
export const MAX_PROBLEMS = 50;
/** Machine checks decoded bit by bit per incident. */
export const MAX_MCE_TABLES = 16;
/** Points of the corrected-error plot. */
export const MAX_CE_POINTS = 5_000;
