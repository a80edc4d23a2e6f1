// Progress bars: what a person at a terminal sees on stderr while a long read runs, and
// that nothing is drawn for a short read, for --json, or when stderr is not a terminal.
// First the bar itself on an injected terminal stream with a fake clock (vitest's fake
// timers drive cli-progress's clock too), then the built CLI on a pseudo-terminal
// (util-linux `script`), reading a pipe that pauses for longer than a second.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TerminalProgress, SHOW_AFTER_MS } from '../../src/report/progress.js';
import { startWork, watchWork } from '../../src/input/work.js';
import { readLines } from '../../src/input/lines.js';
import { REPO, corpus, fixture } from '../corpus.js';
import { readAll } from '../../src/backend.js';
import { backendById } from '../../backends/index.js';
import { openDump } from '../../src/vmcore/open.js';
import { readPrintkLog } from '../../src/vmcore/printk/index.js';
import { ReadOnlySqlite } from '../../backends/rasdaemon/sqlite.js';

const MIB = 1024 * 1024;

/** One terminal line as a terminal would show it after these writes (the codes cli-progress uses). */
function screenLine(out: string): string {
  let line: string[] = [];
  let col = 0;
  let saved = 0;
  // eslint-disable-next-line no-control-regex
  for (const m of out.matchAll(/\x1b7|\x1b8|\x1b\[(\d*)G|\x1b\[([012]?)K|\r|\n|[^\x1b\r\n]/g)) {
    const t = m[0];
    if (t === '\x1b7') saved = col;
    else if (t === '\x1b8') col = saved;
    else if (m[1] !== undefined) col = Math.max(0, Number(m[1] || 1) - 1);
    else if (m[2] !== undefined) line = m[2] === '2' ? [] : m[2] === '1' ? line.map((c, i) => (i <= col ? ' ' : c)) : line.slice(0, col);
    else if (t === '\r') col = 0;
    else if (t === '\n') { line = []; col = 0; }
    else line[col++] = t;
  }
  return Array.from(line, (c) => c ?? ' ').join('').trimEnd();
}

function fakeTerminal(columns = 100) {
  const s = { isTTY: true, columns, out: '', write(x: string) { s.out += x; return true; } };
  return s;
}

describe('the bar on a terminal', () => {
  beforeEach(() => { vi.useFakeTimers(); vi.setSystemTime(0); });
  afterEach(() => vi.useRealTimers());

  it('a read shorter than a second shows nothing', async () => {
    const term = fakeTerminal();
    const meter = (await TerminalProgress.on(term))!;
    const t = meter.start('reading kern.log', 100 * MIB, 'bytes');
    for (let ms = 100; ms < SHOW_AFTER_MS; ms += 100) { vi.advanceTimersByTime(100); t.at(ms * MIB / 10); }
    t.end();
    meter.close();
    expect(term.out).toBe('');
  });

  it('a longer one: share, amount and an ETA from the rate, then cleared', async () => {
    const term = fakeTerminal();
    const meter = (await TerminalProgress.on(term))!;
    const total = 100 * MIB;
    const rate = 10 * MIB; // per second
    const t = meter.start('reading /var/log/kern.log', total, 'bytes');
    for (let ms = 100; ms <= 3000; ms += 100) { vi.advanceTimersByTime(100); t.at(rate * ms / 1000); }
    vi.advanceTimersByTime(100); // the bar's own redraw, at most this long after a step
    const shown = screenLine(term.out);
    const done = rate * 3;
    expect(shown).toContain('reading /var/log/kern.log [');
    expect(shown).toContain(` ${Math.floor((done / total) * 100)}% ${(done / MIB).toFixed(1)}/${(total / MIB).toFixed(1)} MiB`);
    expect(shown).toContain(`ETA ${Math.ceil((total - done) / rate)}s`);
    expect(shown.length).toBeLessThan(term.columns);
    t.end();
    expect(screenLine(term.out)).toBe('');
    meter.close();
  });

  it('a pipe (no total): the amount read, no share or ETA', async () => {
    const term = fakeTerminal();
    const meter = (await TerminalProgress.on(term))!;
    const t = meter.start('reading standard input', undefined, 'bytes');
    vi.advanceTimersByTime(SHOW_AFTER_MS + 1);
    t.at(5 * MIB);
    expect(screenLine(term.out)).toBe('reading standard input 5.0 MiB');
    meter.close(); // the command's end clears a task its reader left open
    expect(screenLine(term.out)).toBe('');
  });

  it('a label from an input cannot drive the terminal, and a long one keeps its end', async () => {
    const term = fakeTerminal(80);
    const meter = (await TerminalProgress.on(term))!;
    const t = meter.start(`reading /tmp/${'d/'.repeat(40)}\x1b]0;owned\x07x.log`, 10, 'files');
    vi.advanceTimersByTime(SHOW_AFTER_MS + 1);
    t.at(5);
    expect(term.out).not.toContain('\x07');
    expect(term.out).not.toContain('\x1b]');
    const shown = screenLine(term.out);
    expect(shown).toMatch(/^reading ….*x\.log \[#{10}-{10}\]  50% 5\/10 files ETA/);
    expect(shown.length).toBeLessThan(80);
    meter.close();
  });

  it('hidden for a message, back on the next step', async () => {
    const term = fakeTerminal();
    const meter = (await TerminalProgress.on(term))!;
    const t = meter.start('reading x', 10, 'records');
    vi.advanceTimersByTime(SHOW_AFTER_MS + 1);
    t.at(2);
    meter.hide();
    expect(screenLine(term.out)).toBe('');
    vi.advanceTimersByTime(200);
    t.at(3);
    expect(screenLine(term.out)).toMatch(/^reading x \[.*30% 3\/10 records/);
    meter.close();
  });

  it('no terminal, no meter', async () => {
    expect(await TerminalProgress.on({ isTTY: false, write: () => true })).toBeUndefined();
    expect(await TerminalProgress.on(undefined)).toBeUndefined();
  });

  it('a text log reports its bytes consumed, of its size, through the input layer', async () => {
    const seen: { label: string; total?: number; at: number[]; ended: boolean }[] = [];
    const log = fixture('mtdoops', 'mtdoops-oops-panic', 'serial-console.log');
    const size = readFileSync(log).length;
    await watchWork({ start: (label, total) => { const s = { label, total, at: [] as number[], ended: false }; seen.push(s); return { at: (n) => s.at.push(n), end: () => { s.ended = true; } }; } }, async () => {
      for await (const _ of readLines(log)) { /* read through */ }
    });
    expect(seen).toEqual([{ label: `reading ${log}`, total: size, at: [size], ended: true }]);
    // Outside a watched run nobody is told.
    expect(startWork('x', 1, 'bytes').at(1)).toBeUndefined();
  });
});

/** A meter that keeps what each task was told. */
function recorder() {
  const tasks: { label: string; total?: number; unit: string; at: number[]; ended: boolean }[] = [];
  const meter = { start: (label: string, total: number | undefined, unit: string) => {
    const t = { label, total, unit, at: [] as number[], ended: false };
    tasks.push(t);
    return { at: (n: number) => void t.at.push(n), end: () => { t.ended = true; } };
  } };
  return { tasks, meter };
}

describe('what the readers report', () => {
  it('a pstore folder: files read, of its files', async () => {
    const { tasks, meter } = recorder();
    const dir = fixture('pstore', 'efi-oops-panic', 'pstore');
    await watchWork(meter, () => readAll(backendById('pstore')!.read(dir, { options: {}, problem: () => undefined })));
    const files = readdirSync(dir).length;
    expect(tasks).toEqual([{ label: `reading ${dir}`, total: files, unit: 'files', at: Array.from({ length: files }, (_, i) => i), ended: true }]);
  });

  it("a vmcore's log: the printk ring's descriptors walked, of those it holds", async () => {
    const { tasks, meter } = recorder();
    const dump = await openDump(corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31'));
    let entries = 0;
    try {
      await watchWork(meter, async () => { for await (const e of readPrintkLog(dump)) if (e.kind === 'entry') entries++; });
    } finally {
      await dump.close();
    }
    expect(tasks).toHaveLength(1);
    const [t] = tasks;
    expect(t).toMatchObject({ label: `reading the log in ${corpus('kdump-oops-panic', 'vmcore.kdump-zlib-d31')}`, unit: 'records', ended: true });
    expect(t!.total).toBeGreaterThanOrEqual(entries);
    expect(t!.at.at(-1)).toBeLessThanOrEqual(t!.total!);
  });

  it("a rasdaemon database read by SQLite: the bytes SQLite reads, of the file's", async () => {
    const { tasks, meter } = recorder();
    const path = fixture('rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db');
    const db = ReadOnlySqlite.open(path);
    try {
      await watchWork(meter, async () => { for (const _ of db.rows('SELECT count(*) FROM mce_record', 10, () => undefined)) { /* one row */ } });
    } finally {
      db.close();
    }
    expect(tasks).toMatchObject([{ label: `querying ${path}`, total: statSync(path).size, unit: 'bytes', ended: true }]);
    expect(tasks[0]!.at.length).toBeGreaterThan(0);
    expect(tasks[0]!.at.at(-1)).toBeLessThanOrEqual(statSync(path).size);
  });
});

// The built CLI on a pseudo-terminal: stderr is the terminal, stdout a file.
const script = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
describe.runIf(script)('crashlog on a terminal (script -qec)', () => {
  const work = mkdtempSync(join(tmpdir(), 'crashlog-progress-'));
  const cli = join(work, 'crashlog.mjs');
  const log = join(work, 'two-mib.log');
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  beforeAll(async () => {
    // A private bundle of the current sources (esbuild: a second or two), not the shared dist/.
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [join(REPO, 'src', 'main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: cli, logLevel: 'error',
      define: { __CRASHLOG_VERSION__: '"test"' }, logOverride: { 'empty-import-meta': 'silent' },
      banner: { js: "import { createRequire as __crashlogRequire } from 'node:module';\nconst require = __crashlogRequire(import.meta.url);" },
    });
    const text = readFileSync(fixture('mtdoops', 'mtdoops-oops-panic', 'serial-console.log'), 'latin1');
    writeFileSync(log, text.repeat(Math.ceil((2 * MIB) / text.length)));
  }, 120_000);

  /** What the terminal received (stderr only: stdout goes to `out`), and the report. */
  function onTerminal(args: string, pauseS: number): { terminal: string; stdout: string } {
    const out = join(work, 'out.txt');
    // Past the first 1 MiB chunk the reader waits out the pause, then reads on.
    const cmd = `(cat '${log}'; sleep ${pauseS}; head -c ${MIB} '${log}') | '${process.execPath}' '${cli}' report ${args} - > '${out}'`;
    const terminal = execFileSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'latin1', timeout: 60_000 });
    return { terminal, stdout: readFileSync(out, 'latin1') };
  }

  it('a read that pauses past a second: the bar is drawn on stderr, then cleared; stdout holds only the report', () => {
    const r = onTerminal('', 1.5);
    expect(r.terminal).toMatch(/reading standard input \d+\.\d MiB/);
    expect(screenLine(r.terminal)).toBe('');
    expect(r.stdout).toMatch(/^SOFTWARE: /);
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('MiB');
  });

  it('--json: no bar, even on a terminal', () => {
    const r = onTerminal('--json', 1.5);
    expect(r.terminal).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 1 });
  });

  it('a quick read: nothing on the terminal', () => {
    const out = join(work, 'quick.txt');
    const small = fixture('mtdoops', 'mtdoops-oops-panic', 'serial-console.log');
    const terminal = execFileSync('script', ['-qec', `'${process.execPath}' '${cli}' report '${small}' > '${out}'`, '/dev/null'], { encoding: 'latin1', timeout: 60_000 });
    expect(terminal).toBe('');
    expect(readFileSync(out, 'latin1')).toMatch(/^SOFTWARE: /);
  });
});
