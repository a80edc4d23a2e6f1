// Incidents from the timeline: see correlate.ts.
export { correlate } from './correlate.js';
