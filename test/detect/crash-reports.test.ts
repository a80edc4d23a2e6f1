import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, CORPUS } from '../corpus.js';
import { detectText } from '../../src/detect/index.js';
import { parseCrashReport } from '../../src/detect/corpus-titles.js';

describe('real corpus items: titles in order as truth.json lists them', () => {
  for (const item of readdirSync(CORPUS)) {
    const truth = join(CORPUS, item, 'truth.json');
    const log = join(CORPUS, item, 'serial-console.log');
    if (!existsSync(truth) || !existsSync(log)) continue;
    const t = JSON.parse(readFileSync(truth, 'utf8')) as { events?: string[]; panic?: string | null };
    it(item, () => {
      // An mtdoops item's truth describes what its partition holds (no panic_write on block2mtd).
      const mtd = join(CORPUS, item, 'mtdoops-partition.bin');
      const events = detectText(existsSync(mtd) ? mtdoopsText(readFileSync(mtd)) : readFileSync(log, 'utf8'));
      if (t.events) expect(events.map((e) => e.title)).toEqual(t.events);
      if (t.panic) expect(events.some((e) => e.panic === t.panic)).toBe(true);
    });
  }
});

const first = (dir: string, f: string) => {
  const r = parseCrashReport(readFileSync(join(dir, f), 'utf8'));
  return { r, got: detectText(r.log)[0] };
};

describe('crash-reports (syzkaller test data)', () => {
  const dir = corpus('crash-reports');
  const files = readdirSync(dir).filter((x) => x.endsWith('.txt')).sort();
  // Every file matched when this was written: each is its own regression test.
  for (const f of files) {
    it(`${f}: the first event's title is its syzbot TITLE (or an ALT)`, () => {
      const { r, got } = first(dir, f);
      if (r.titles.length === 0) expect(got?.title).toBeUndefined();
      else {
        expect(r.titles).toContain(got?.title);
        // syzbot's CORRUPTED: Y (cut or interleaved report) is the event's corrupted flag.
        expect(got?.corrupted).toBe(r.corrupted);
      }
    });
  }
  it('exact-title accuracy over the folder stays above the floor', () => {
    let ok = 0;
    for (const f of files) {
      const { r, got } = first(dir, f);
      if (r.titles.length === 0 ? got === undefined : got !== undefined && r.titles.includes(got.title)) ok++;
    }
    expect(files.length).toBeGreaterThanOrEqual(124);
    expect(ok / files.length).toBeGreaterThanOrEqual(FLOOR);
  });
});
const FLOOR = 0.9;

// drivers/mtd/mtdoops.c: records of record_size (4096 here) bytes: u32 count, u32 magic
// 0x5d005e00 (v2), u64 timestamp, then the log text padded with 0xff.
function mtdoopsText(img: Buffer): string {
  const out: string[] = [];
  for (let off = 0; off + 16 <= img.length; off += 4096) {
    if (img.readUInt32LE(off + 4) !== 0x5d005e00) continue;
    const rec = img.subarray(off + 16, Math.min(off + 4096, img.length));
    const end = rec.indexOf(0xff);
    out.push(rec.subarray(0, end < 0 ? rec.length : end).toString('utf8'));
  }
  return out.join('');
}
