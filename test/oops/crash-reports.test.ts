// The oops parser over syzkaller's real crash reports (interleaved, cut, every era): it never
// throws, and where a report prints "Call Trace:" with frame lines under it, it reads a trace
// whose functions are, in order, among the frame lines the block holds.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCrashReport } from '../../src/detect/corpus-titles.js';
import { detect } from '../../src/detect/index.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { eventBlock, eventOops } from '../../src/oops/incident.js';
import { CORPUS } from '../corpus.js';
import { existsSync } from 'node:fs';

const dir = join(CORPUS, 'crash-reports');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
const FRAME = /^ {1,2}(?:<\/?[A-Z#]+> +)?(?:\[<[0-9a-f]+>\] )?(?:\? )?(?:\[<[0-9a-f]+>\] )?([A-Za-z_][\w.]*)\+0x/;

describe.skipIf(files.length === 0)('crash-reports (syzkaller test data)', () => {
  it('every event of every report', () => {
    let withTrace = 0;
    for (const f of files) {
      const { log } = parseCrashReport(readFileSync(join(dir, f), 'utf8'));
      const msgs = bytesToMessages(Buffer.from(log, 'utf8'), { backend: 'text', path: f });
      for (const e of detect(msgs)) {
        const block = eventBlock(msgs, e);
        const o = eventOops(msgs, e);
        const at = block.findIndex((l) => /Call [Tt]race:/.test(l));
        if (at < 0 || !block.slice(at + 1, at + 3).some((l) => FRAME.test(l))) continue;
        withTrace++;
        expect(o.trace.length, `${f}: ${e.title}`).toBeGreaterThan(0);
        // Each parsed frame is a frame line of the block, in order (an interleaved line may end
        // the trace early: a prefix is fine).
        const printed = block.slice(at + 1).map((l) => FRAME.exec(l)?.[1]).filter((x): x is string => x !== undefined);
        let k = 0;
        for (const fr of o.trace.filter((t) => !t.interrupted)) {
          while (k < printed.length && printed[k] !== fr.function) k++;
          expect(k, `${f}: ${fr.function} not in order`).toBeLessThan(printed.length);
          k++;
        }
      }
    }
    expect(withTrace).toBeGreaterThan(50);
  });
});
