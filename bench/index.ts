// `npm run bench`: every benchmark, one line each; each prints its own figures.
// Run one: `npm run bench -- NAME`.
import { run as pstore } from './pstore.js';

type Bench = { name: string; run: () => Promise<void> };

const benches: Bench[] = [
  { name: 'pstore', run: pstore },
];

const only = process.argv.slice(2);
for (const b of benches) {
  if (only.length && !only.includes(b.name)) continue;
  console.log(`\n== ${b.name}`);
  await b.run();
}
