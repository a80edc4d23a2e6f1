// Incidents from the timeline: see correlate.ts.
export { correlate, Correlator } from './correlate.js';
