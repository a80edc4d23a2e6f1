// V8's allocation-site pretenuring, off for the process (imported first by main.ts). A store of
// many records holds its first 100,000 lines whole (src/timeline/thin.ts) and then lets most
// lines go as they come; V8 sees the first lines survive, allocates every later line straight
// into the old generation, and the lines that die at once are collected by full mark-compacts
// instead of scavenges. A 256 MiB mtdoops partition: 7.5 s and 374 MB with it, 4.7 s and 261 MB
// without (node --no-allocation-site-pretenuring). The flag is read at each collection, so it
// holds when set this early (node:v8 setFlagsFromString).
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
