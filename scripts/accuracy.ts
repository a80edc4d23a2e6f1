// `npm run accuracy [DIR]`: detect() against syzkaller-titled reports (default
// ../shared/corpus/crash-reports): the first event's title against TITLE/ALT, its corrupted
// flag against CORRUPTED, its guilty frame against FRAME where the file has one; every miss listed.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectText } from '../src/detect/index.js';
import { parseCrashReport } from '../src/detect/corpus-titles.js';

const dir = process.argv[2] ?? join(fileURLToPath(new URL('../..', import.meta.url)), '..', 'shared', 'corpus', 'crash-reports');
const perKind = new Map<string, { ok: number; n: number }>();
const misses: string[] = [];
let ok = 0, n = 0, corruptAgree = 0, crashes = 0, frameAgree = 0, frames = 0;
for (const f of readdirSync(dir).filter((x) => x.endsWith('.txt')).sort()) {
  const r = parseCrashReport(readFileSync(join(dir, f), 'utf8'));
  const got = detectText(r.log)[0];
  const want = r.titles[0];
  const kind = want === undefined ? 'no crash' : want.replace(/ in .*$/, '').replace(/^(KASAN|KMSAN|UBSAN|KCSAN|KFENCE|kernel panic): .*/, '$1');
  const hit = want === undefined ? got === undefined : got !== undefined && r.titles.includes(got.title);
  if (want !== undefined && got !== undefined) {
    crashes++;
    if (got.corrupted === r.corrupted) corruptAgree++;
    else misses.push(`${f}: corrupted: want ${r.corrupted} got ${got.corrupted} (${got.title})`);
    if (r.frame !== undefined) {
      frames++;
      const fn = got.function ?? (/ in corrupted$/.test(got.title) ? 'corrupted' : undefined);
      if (fn === r.frame) frameAgree++; else misses.push(`${f}: frame: want ${r.frame} got ${fn ?? '-'}`);
    }
  }
  const k = perKind.get(kind) ?? { ok: 0, n: 0 };
  k.n++; n++;
  if (hit) { k.ok++; ok++; } else misses.push(`${f}: want ${JSON.stringify(want ?? null)} got ${JSON.stringify(got?.title ?? null)}`);
  perKind.set(kind, k);
}
console.log(`exact: ${ok}/${n} = ${((100 * ok) / n).toFixed(1)}%`);
console.log(`corrupted flag agrees with syzbot's: ${corruptAgree}/${crashes}`);
console.log(`guilty frame agrees with FRAME: ${frameAgree}/${frames}`);
for (const [k, v] of [...perKind].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${v.ok}/${v.n}\t${k}`);
console.log('misses:');
for (const m of misses) console.log('  ' + m);
