// Issue 2's benchmarks: `crashlog report` on a generated pstore archive of 10,000 records
// (target: under 2 s; the median of RUNS runs) and on a 500 MB text log: records/s, MB/s, peak RSS.
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, fmt, measureCli, nodeStartup, repeated, spread, stamp } from './util.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/pstore/ramoops-oops-panic/serial-console.log', import.meta.url));
const RECORDS = 10_000;
/** Runs of the archive report; the median is the figure. */
const RUNS = 7;
const LOG_BYTES = 500 * 1024 * 1024;

/** Real console lines, stamped with a clock that keeps going forward. */
function sampleLines(): string[] {
  return readFileSync(SAMPLE, 'utf8')
    .split('\n')
    .map((l) => /\[\s*\d+\.\d{6}\] (.*)$/.exec(l)?.[1])
    .filter((l): l is string => l !== undefined);
}


function makeArchive(dir: string, lines: string[]): number {
  let n = 0;
  // Each record is a dump of one boot's last 40 lines: 10,000 crashes' worth of records.
  for (let r = 0; r < RECORDS; r++) {
    const body = [`Oops#1 Part1`];
    for (let i = 0; i < 40; i++) body.push(`<6>${stamp(((r * 1000 + i) * 1000 + 1_000_000) * 1000)} ${lines[(r * 40 + i) % lines.length]}`);
    body.push(`<0>${stamp(((r * 1000 + 41) * 1000 + 1_000_000) * 1000)} Kernel panic - not syncing: sysrq triggered crash`);
    const fd = openSync(join(dir, `dmesg-ramoops-${r}`), 'w');
    writeSync(fd, body.join('\n') + '\n');
    closeSync(fd);
    n += body.length - 1;
  }
  return n;
}

function makeLog(path: string, lines: string[]): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  let n = 0;
  let chunk: string[] = [];
  while (bytes < LOG_BYTES) {
    const line = `${stamp((n * 100 + 1_000_000) * 1000)} ${lines[n % lines.length]}\n`;
    chunk.push(line);
    bytes += Buffer.byteLength(line);
    n++;
    if (chunk.length === 10_000) {
      writeSync(fd, chunk.join(''));
      chunk = [];
    }
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
  return n;
}

/** 10,000 pstore records in one directory: `crashlog report --json` on it. */
export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'crashlog-bench-pstore-'));
  try {
    const startup = nodeStartup();
    console.log(`node start-up: ${fmt(startup.seconds, 3)} s`);
    const archive = join(work, 'pstore');
    mkdirSync(archive);
    const lineCount = makeArchive(archive, sampleLines());
    const runs = repeated(RUNS, process.execPath, [CLI, 'report', '--json', archive]);
    const a = runs[Math.floor(runs.length / 2)]!;
    const incidents = a.status === 0 ? (JSON.parse(a.stdout) as { incidents: unknown[] }).incidents.length : -1;
    console.log(`pstore archive: ${RECORDS} records (${lineCount} lines) in ${spread(runs)} = ${fmt(RECORDS / a.seconds, 0)} records/s, ` +
      `${fmt(lineCount / a.seconds, 0)} lines/s, peak RSS ${fmt(Math.max(...runs.map((r) => r.peakRssMb)), 0)} MB, ${incidents} incidents, exit ${a.status} (target: under 2 s)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A 500 MB console log that is one boot with a report every 500 lines (the sample's banner is
 * past its first second there, so no boot starts again): the kept-line cap of keep.ts holds. */
export async function runTextLog(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'crashlog-bench-textlog-'));
  try {
    const log = join(work, 'console.log');
    const logLines = makeLog(log, sampleLines());
    const mb = statSync(log).size / (1024 * 1024);
    const t = measureCli(['report', log]);
    console.log(`dense text log (goal: under 300 MB RSS): ${fmt(mb, 0)} MB (${logLines} lines) in ${fmt(t.seconds)} s = ${fmt(mb / t.seconds, 1)} MB/s, ` +
      `${fmt(logLines / t.seconds, 0)} lines/s, peak RSS ${fmt(t.peakRssMb, 0)} MB, exit ${t.status}`);
    if (t.status !== 0) console.log(t.stderr.slice(0, 2000));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
