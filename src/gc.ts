// V8's garbage-collector settings for the process (imported first by main.ts). Both flags are
// read at each collection, so they hold when set this early (node:v8 setFlagsFromString).
//
// Allocation-site pretenuring off: a store of many records holds its first 100,000 lines whole
// (src/timeline/thin.ts) and then lets most lines go as they come; V8 sees the first lines
// survive, allocates every later line straight into the old generation, and the lines that die
// at once are collected by full mark-compacts instead of scavenges. A 256 MiB mtdoops
// partition: 7.5 s and 374 MB with it, 4.7 s and 261 MB without.
//
// The old generation let grow to twice what was live after each full collection
// (heap-growing-percent=100), not by V8's own factor of up to four: a store read as a stream
// (src/analyze-store.ts) promotes the lines it holds a moment, and they die there. The 256 MiB
// mtdoops partition: 222 MB peak RSS without, 158 MB with, at the same speed (3.4 s, the
// median of 3); the 10,000-record archive 335-343 MB without, 298-299 MB with.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
setFlagsFromString('--heap-growing-percent=100');
