// `npm run bench`: every benchmark, one line each; each prints its own figures.
// Run one: `npm run bench -- NAME`.
import { run as pstore, runTextLog as textlogDense } from './pstore.js';
import { run as textlog } from './textlog.js';
import { run as collect } from './collect.js';
import { run as detect } from './detect.js';
import { run as vmcore } from './vmcore.js';
import { run as rawstores } from './rawstores.js';
import { run as mce } from './mce.js';
import { run as listen } from './listen.js';
import { run as startup } from './startup.js';

type Bench = { name: string; run: () => Promise<void> };

const benches: Bench[] = [
  { name: 'pstore', run: pstore },
  { name: 'textlog', run: textlog },
  { name: 'textlog-dense', run: textlogDense },
  { name: 'collect', run: collect },
  { name: 'detect', run: detect },
  { name: 'vmcore', run: vmcore },
  { name: 'rawstores', run: rawstores },
  { name: 'mce', run: mce },
  { name: 'listen', run: listen },
  { name: 'startup', run: startup },
];

const only = process.argv.slice(2);
for (const b of benches) {
  if (only.length && !only.includes(b.name)) continue;
  console.log(`\n== ${b.name}`);
  await b.run();
}
