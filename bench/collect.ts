// Issue 5's benchmark: `crashlog collect` of 10,000 generated pstore records into a fresh
// archive (each record written, fsync'd and renamed), then again (nothing new: hashing
// only), then with --unlink. Wall time and peak RSS of each run.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, measureCli, nodeStartup } from './util.js';

const RECORDS = 10_000;

function stamp(ns: number): string {
  const s = Math.floor(ns / 1e9);
  return `[${String(s).padStart(5, ' ')}.${String(Math.floor(ns / 1000) % 1e6).padStart(6, '0')}]`;
}

/** 10,000 ramoops-style dmesg records of 40 lines each (about 2.5 KiB each). */
function makePstore(dir: string): number {
  let bytes = 0;
  for (let r = 0; r < RECORDS; r++) {
    const body = [`Oops#1 Part1`];
    for (let i = 0; i < 40; i++) body.push(`<6>${stamp((r * 100 + i) * 1e6)} crashlog-bench: record ${r} line ${i} some driver said something here`);
    const text = body.join('\n') + '\n';
    writeFileSync(join(dir, `dmesg-ramoops-${r}`), text);
    bytes += text.length;
  }
  return bytes;
}

async function runOn(where: string, label: string): Promise<void> {
  const root = mkdtempSync(join(where, 'crashlog-bench-collect-'));
  try {
    const pstore = join(root, 'pstore');
    mkdirSync(pstore);
    const bytes = makePstore(pstore);
    const archive = join(root, 'archive');
    const args = ['collect', '--json', '--pstore', pstore, '--efivars', 'none', '--bert', 'none', '--archive', archive];
    console.log(`-- ${label} (${where}): ${RECORDS} records, ${fmt(bytes / 1e6, 1)} MB`);
    for (const [what, extra] of [['first collect (archive + verdict)', []], ['second collect (nothing new)', []], ['collect --unlink', ['--unlink']]] as const) {
      const m = measureCli([...args, ...extra]);
      if (m.status !== 0) console.log(`  exit ${m.status}: ${m.stderr.trim().split('\n').slice(0, 3).join(' | ')}`);
      console.log(`${what}: ${fmt(m.seconds)} s, ${fmt(RECORDS / m.seconds, 0)} records/s, peak RSS ${fmt(m.peakRssMb, 0)} MB`);
    }
    console.log(`left in pstore: ${readdirSync(pstore).length}; archive entries: ${readdirSync(archive).length}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const base = nodeStartup();
  console.log(`node start-up: ${fmt(base.seconds)} s, ${fmt(base.peakRssMb, 0)} MB`);
  // On disk, creating 10,000 files and fsyncing them is the filesystem's cost; on tmpfs
  // what is left is crashlog's own (hashing, copying, the analysis of the archived copies).
  await runOn(tmpdir(), 'disk');
  if (existsSync('/dev/shm')) await runOn('/dev/shm', 'tmpfs');
}
