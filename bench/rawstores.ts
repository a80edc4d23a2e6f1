// Issue 15's raw-image benchmark: a 64 MiB ramoops region with ECC, a 256 MiB mtdoops
// partition and a 1 GiB pstore/blk disk (bench/rawimages.ts), each read two ways: by its
// backend alone (records read, MB/s, peak RSS: what the reader costs) and by `crashlog
// report` end to end. Each figure is the median of RUNS runs, beside its goal, by wall time
// and by CPU time (the machine is shared: wall time counts other people's work too); `cat`
// of the image to /dev/null in the same run is the disk's speed on this machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMtdoops, makePstoreBlk, makeRamoops } from './rawimages.js';
import { fmt, measure, measureCli, type Measured } from './util.js';

const BACKENDS = fileURLToPath(new URL('../backends/index.js', import.meta.url));
const MIB = 1024 * 1024;
/** Goals of issue 15 for raw images. */
const GOAL_RSS_MB = 200;
const GOAL_MBPS = 50;
/** Runs of each measurement (BENCH_RUNS overrides); the median is the figure. */
const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));

interface Image {
  name: string;
  backend: string;
  make: (path: string) => number;
  /** `--opt` key=value pairs, as the CLI takes them. */
  opts: string[];
  /** Bytes the format can use, when less than the image (pstore/zone: 128 MiB). */
  area?: number;
}

const IMAGES: Image[] = [
  { name: 'ramoops 64 MiB, ecc 16 (found by scanning)', backend: 'ramoops', make: makeRamoops, opts: [] },
  { name: 'ramoops 64 MiB, ecc 16 (--opt record_size, ecc)', backend: 'ramoops', make: makeRamoops, opts: ['record_size=0x10000', 'console_size=0x40000', 'ecc=16'] },
  { name: 'mtdoops 256 MiB', backend: 'mtdoops', make: makeMtdoops, opts: [] },
  { name: 'pstore/blk disk 1 GiB (found by scanning)', backend: 'pstore-blk', make: makePstoreBlk, opts: [], area: 128 * MIB },
];

/** The backend alone in a child node: every record read and dropped, records and batches counted. */
function measureBackend(id: string, file: string, opts: string[]): Measured {
  const options = Object.fromEntries(opts.map((o) => [o.slice(0, o.indexOf('=')), o.slice(o.indexOf('=') + 1)]));
  const script =
    `const { backendById } = await import(${JSON.stringify(BACKENDS)}); let n = 0, b = 0, p = 0;\n` +
    `for await (const r of backendById(${JSON.stringify(id)}).read(${JSON.stringify(file)}, { options: ${JSON.stringify(options)}, problem: () => p++ })) { b++; n += Array.isArray(r) ? r.length : 1; }\n` +
    `console.log(JSON.stringify({ records: n, batches: b, problems: p }));`;
  return measure(process.execPath, ['--input-type=module', '-e', script]);
}

/** `runs` measurements, the median (by time) first, then the fastest and slowest. */
function runs(take: () => Measured): { median: Measured; all: Measured[] } {
  const all = Array.from({ length: RUNS }, take).sort((a, b) => a.seconds - b.seconds);
  return { median: all[Math.floor(all.length / 2)]!, all };
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * "wall s (range) = MB/s, CPU s = MB/s, peak RSS", each beside its goal; `area` is what the
 * format uses of the image; `startup` (node and the backend registry loading), when given,
 * is taken off for the reader's own rate.
 */
function figures(m: { median: Measured; all: Measured[] }, bytes: number, area: number | undefined, startup?: { median: Measured; all: Measured[] }): string {
  const rss = m.all.map((x) => x.peakRssMb).sort((a, b) => a - b);
  const cpu = median(m.all.map((x) => x.cpuSeconds));
  const read = (area ?? bytes) / MIB;
  const rate = (s: number) => `${fmt(bytes / MIB / s, 1)} MB/s` + (area ? ` (${fmt(read / s, 1)} MB/s of the ${read} MiB pstore/zone uses)` : '');
  const ok = (good: boolean) => (good ? 'met' : 'NOT met');
  return `${fmt(m.median.seconds)} s wall (${fmt(m.all[0]!.seconds)}-${fmt(m.all[m.all.length - 1]!.seconds)}) = ${rate(m.median.seconds)}, ` +
    `${fmt(cpu)} s CPU = ${rate(cpu)} (goal >= ${GOAL_MBPS} MB/s: ${ok(read / m.median.seconds >= GOAL_MBPS)} by wall time, ${ok(read / cpu >= GOAL_MBPS)} by CPU time), ` +
    (startup ? `less start-up: ${rate(m.median.seconds - startup.median.seconds)} wall, ${rate(cpu - median(startup.all.map((x) => x.cpuSeconds)))} CPU; ` : '') +
    `peak RSS ${fmt(rss[Math.floor(rss.length / 2)]!, 0)} MB (max ${fmt(rss[rss.length - 1]!, 0)}; goal < ${GOAL_RSS_MB} MB: ${ok(rss[rss.length - 1]! < GOAL_RSS_MB)})`;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-rawstores-'));
  console.log(`median of ${RUNS} runs each (BENCH_RUNS to change)`);
  const startup = runs(() => measure(process.execPath, ['--input-type=module', '-e', `await import(${JSON.stringify(BACKENDS)})`]));
  console.log(`start-up (node, the backend registry): ${fmt(startup.median.seconds)} s wall, ${fmt(median(startup.all.map((x) => x.cpuSeconds)))} s CPU, ${fmt(startup.median.peakRssMb, 0)} MB`);
  try {
    const made = new Map<Image['make'], { file: string; bytes: number }>();
    for (const img of IMAGES) {
      if (!made.has(img.make)) {
        const file = join(dir, `${img.backend}.bin`);
        made.set(img.make, { file, bytes: img.make(file) });
      }
      const { file, bytes } = made.get(img.make)!;
      const cat = runs(() => measure('/bin/sh', ['-c', 'cat "$1" > /dev/null', 'sh', file]));
      console.log(`${img.name}: cat > /dev/null ${fmt(cat.median.seconds)} s = ${fmt(bytes / MIB / cat.median.seconds, 1)} MB/s (the disk's speed here, for reference)`);
      const alone = runs(() => measureBackend(img.backend, file, img.opts));
      console.log(`${img.name}: backend alone ${figures(alone, bytes, img.area, startup)}, ${alone.median.stdout.trim() || `failed: ${alone.median.stderr.trim().split('\n').pop()}`}`);
      const report = runs(() => measureCli(['report', '--json', ...img.opts.flatMap((o) => ['--opt', o]), file]));
      let how: string;
      try {
        const input = (JSON.parse(report.median.stdout) as { inputs: { backend: string; records: number }[] }).inputs[0];
        how = `read as ${input?.backend}, ${input?.records} records`;
      } catch {
        how = `failed, exit ${report.median.status}: ${report.median.stderr.trim().split('\n').pop()}`;
      }
      console.log(`${img.name}: crashlog report ${figures(report, bytes, img.area)}, ${how}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
