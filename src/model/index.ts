export type * from './records.js';
export type * from './incident.js';
