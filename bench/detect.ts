// Issue 3's benchmark: detect() over console logs of real crash reports (from
// ../shared/corpus/crash-reports) interleaved with normal boot lines, at 100 and 500 MB, and over
// lines built to trip regex backtracking; read by position in chunks (readLines), parsed and fed
// to detect() in segments, end to end; then detect() alone on each segment once parsed (the
// filter of a streaming pipeline).
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { KernelMessage } from '../src/model/index.js';
import { emptyPrefix, readPrefix } from '../src/kmsg/line.js';
import { readLines } from '../src/input/lines.js';
import { detect } from '../src/detect/index.js';
import { parseCrashReport } from '../src/detect/corpus-titles.js';

const REPORTS = fileURLToPath(new URL('../../../shared/corpus/crash-reports', import.meta.url));
const MB = 2 ** 20;
/** Messages per detect() call: one boot's worth; memory stays bounded whatever the log size. */
const SEGMENT = 50_000;

// Lines built to make a backtracking regex blow up: long runs of what header, frame and title
// patterns repeat ("at ", spaces, "[<", digits), each inside a header the table looks at.
const HOSTILE = [
  'WARNING: ' + 'at '.repeat(2000) + 'x',
  'WARNING: CPU: 0 PID: 1 at ' + 'a/'.repeat(2000) + ':1 f',
  'BUG: KASAN: ' + 'a-'.repeat(3000),
  'BUG: Dentry ' + ' still in use'.repeat(500),
  ' '.repeat(8000) + '+0x',
  ' [<' + 'f'.repeat(4000) + '>] x+0x1/0x2',
  'Kernel panic - not syncing: ' + '1 0x1 '.repeat(1500),
  'INFO: task ' + ':1'.repeat(3000) + ' blocked for more than',
];

async function generate(path: string, size: number, hostile: boolean): Promise<void> {
  const logs = readdirSync(REPORTS).filter((f) => f.endsWith('.txt')).map((f) => parseCrashReport(readFileSync(join(REPORTS, f), 'utf8')).log);
  const normal = ['[   12.345678] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None',
    '[   12.400000] systemd[1]: Started Journal Service.', '[   13.000001] EXT4-fs (sda1): mounted filesystem with ordered data mode.'];
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; bytes < size; i++) {
    let chunk = hostile ? HOSTILE.map((l) => `[   12.000000] ${l}\n`).join('') : logs[i % logs.length]! + '\n';
    if (!hostile) for (let k = 0; k < 200; k++) chunk += normal[k % normal.length]! + '\n';
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Goals: issue 12's floor for read+parse+detect (the figures before it, MB/s), and detect()
 * alone, which a streaming pipeline (100 MB/s end to end) uses as its filter. */
const FLOOR: Record<string, number> = { 'reports-100MB': 27.7, 'reports-500MB': 29.0, 'hostile-20MB': 127 };
const DETECT_GOAL = 150;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};

/** V8's collector, to move a parsed segment out of the young generation before detect() is
 * timed: "messages already parsed" are not the young objects a scavenge copies. */
function collector(): (opts: { type: 'minor' }) => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (opts: { type: 'minor' }) => void;
}

/** The log's lines as messages, SEGMENT at a time (read by position in chunks, prefix parsed in place). */
async function* segments(path: string): AsyncGenerator<{ messages: KernelMessage[]; bytes: number }> {
  const p = emptyPrefix();
  let messages: KernelMessage[] = [];
  let bytes = 0;
  for await (const batch of readLines(path)) {
    for (const line of batch) {
      const t = line.text;
      const start = readPrefix(t, 0, t.length, p);
      const m: KernelMessage = { kind: 'kmsg', text: start === 0 ? t : t.slice(start), source: { backend: 'text', path, offset: line.offset } };
      if (p.tsNs !== undefined) m.tsNs = p.tsNs;
      if (p.caller !== undefined) m.caller = p.caller;
      messages.push(m);
      bytes += t.length + 1;
      if (messages.length >= SEGMENT) { yield { messages, bytes }; messages = []; bytes = 0; }
    }
  }
  if (messages.length) yield { messages, bytes };
}

async function measure(dir: string, label: string, size: number, hostile: boolean): Promise<void> {
  const path = join(dir, `${label}.log`);
  await generate(path, size, hostile);
  const mb = statSync(path).size / MB;
  // End to end: what a streaming reader of the log pays.
  const t0 = performance.now();
  let events = 0;
  let inDetectMs = 0;
  for await (const seg of segments(path)) {
    const t = performance.now();
    events += detect(seg.messages).length;
    inDetectMs += performance.now() - t;
  }
  const s = (performance.now() - t0) / 1000;
  // detect() alone: each segment parsed and out of the young generation first; wall and CPU
  // time of the call. The median call holds when other work shares the machine.
  const gc = collector();
  let wallMs = 0;
  let cpuUs = 0;
  const rates: number[] = [];
  for await (const seg of segments(path)) {
    gc({ type: 'minor' });
    gc({ type: 'minor' });
    const cpu = process.cpuUsage();
    const t = performance.now();
    detect(seg.messages);
    const ms = performance.now() - t;
    const used = process.cpuUsage(cpu);
    wallMs += ms;
    cpuUs += used.user + used.system;
    if (ms > 0) rates.push(seg.bytes / MB / (ms / 1000));
  }
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(`detect ${label}: ${mb.toFixed(0)} MB, ${events} events, peak RSS ${rss.toFixed(0)} MB`);
  console.log(`  read+parse+detect: ${s.toFixed(1)} s = ${(mb / s).toFixed(1)} MB/s (goal >= ${FLOOR[label]} MB/s); `
    + `in detect() ${(inDetectMs / 1000).toFixed(1)} s, reading and parsing ${(mb / (s - inDetectMs / 1000)).toFixed(1)} MB/s`);
  console.log(`  detect() alone: ${(mb / (wallMs / 1000)).toFixed(1)} MB/s, median of ${rates.length} calls ${median(rates).toFixed(1)} MB/s, `
    + `${(mb / (cpuUs / 1e6)).toFixed(1)} MB per CPU second (goal >= ${DETECT_GOAL} MB/s)`);
  rmSync(path, { force: true });
}

/** MB/s at 100 MB and 500 MB of real reports (equal rates = linear), and over hostile lines. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-detect-'));
  try {
    await measure(dir, 'reports-100MB', 100 * MB, false);
    await measure(dir, 'reports-500MB', 500 * MB, false);
    await measure(dir, 'hostile-20MB', 20 * MB, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
