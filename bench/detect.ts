// Issue 3's benchmark: detect() over a ~500 MB console log (real crash reports from
// ../shared/corpus/crash-reports interleaved with normal boot lines), streamed line by line
// and fed to detect() in segments of messages: MB/s and peak RSS.
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelMessage } from '../src/model/index.js';
import { parseLine } from '../src/kmsg/line.js';
import { detect } from '../src/detect/index.js';
import { parseCrashReport } from '../src/detect/corpus-titles.js';

const REPORTS = fileURLToPath(new URL('../../../shared/corpus/crash-reports', import.meta.url));
const LOG_BYTES = 500 * 1024 * 1024;
/** Messages per detect() call: one boot's worth; memory stays bounded whatever the log size. */
const SEGMENT = 50_000;

async function generate(path: string): Promise<number> {
  const logs = readdirSync(REPORTS).filter((f) => f.endsWith('.txt')).map((f) => parseCrashReport(readFileSync(join(REPORTS, f), 'utf8')).log);
  const normal = ['[   12.345678] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None',
    '[   12.400000] systemd[1]: Started Journal Service.', '[   13.000001] EXT4-fs (sda1): mounted filesystem with ordered data mode.'];
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; bytes < LOG_BYTES; i++) {
    let chunk = logs[i % logs.length]! + '\n';
    for (let k = 0; k < 200; k++) chunk += normal[k % normal.length]! + '\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-detect-'));
  try {
    const path = join(dir, 'console.log');
    await generate(path);
    const size = statSync(path).size;
    const t0 = performance.now();
    let seg: KernelMessage[] = [];
    let events = 0;
    let offset = 0;
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      const p = parseLine(line);
      const m: KernelMessage = { kind: 'kmsg', text: p.text, source: { backend: 'text', path, offset } };
      if (p.tsNs !== undefined) m.tsNs = p.tsNs;
      seg.push(m);
      offset += Buffer.byteLength(line) + 1;
      if (seg.length >= SEGMENT) { events += detect(seg).length; seg = []; }
    }
    events += detect(seg).length;
    const s = (performance.now() - t0) / 1000;
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`detect: ${(size / 2 ** 20).toFixed(0)} MB in ${s.toFixed(1)} s = ${(size / 2 ** 20 / s).toFixed(1)} MB/s, ${events} events, peak RSS ${rss.toFixed(0)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
