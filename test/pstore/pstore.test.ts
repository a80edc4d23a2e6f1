import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync, symlinkSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture } from '../corpus.js';
import { messagesOf, readWith } from '../helpers/read.js';
import { consoleLines, tsKey } from '../helpers/console.js';
import { analyze } from '../../src/analyze.js';

const ITEMS = ['erst-mce-memory', 'ramoops-oops-panic', 'ramoops-ecc-bug', 'efi-oops-panic', 'rasdaemon-erst-mce'];

/** Log lines in the record files, counted without the backend: minus "Reason#N PartM" and ECC notes. */
function linesInFiles(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir).filter((f) => f.startsWith('dmesg-'))) {
    const lines = readFileSync(join(dir, f), 'latin1').split('\n').filter((l) => l.length > 0);
    n += lines.filter((l, i) => !(i === 0 && /^\w+#\d+ Part\d+$/.test(l)) && !/^ECC: /.test(l)).length;
  }
  return n;
}

describe.each(ITEMS)('pstore %s', (item) => {
  const dir = fixture('pstore', item, 'pstore');

  it('reads every record line and every mce record', async () => {
    const { records, problems } = await readWith('pstore', dir);
    expect(problems).toEqual([]);
    expect(messagesOf(records)).toHaveLength(linesInFiles(dir));
    const mceFiles = readdirSync(dir).filter((f) => f.startsWith('mce-')).length;
    expect(records.filter((r) => r.kind === 'mce')).toHaveLength(mceFiles);
  });

  it('rebuilds each dump oldest part first, in kernel time order', async () => {
    const msgs = messagesOf((await readWith('pstore', dir)).records);
    const byDump = new Map<string, bigint[]>();
    for (const m of msgs) {
      const key = readFileSync(m.source.path, 'latin1').split('\n')[0]!.replace(/ Part\d+$/, '');
      if (m.tsNs !== undefined) byDump.set(key, [...(byDump.get(key) ?? []), m.tsNs]);
    }
    for (const ts of byDump.values()) {
      for (let i = 1; i < ts.length; i++) expect(ts[i]! >= ts[i - 1]!).toBe(true);
    }
  });

  it('matches the serial console line for line where both have the line', async () => {
    const serial = consoleLines(fixture('pstore', item, 'serial-console.log'));
    const msgs = messagesOf((await readWith('pstore', dir)).records).filter((m) => m.tsNs !== undefined);
    let both = 0;
    for (const m of msgs) {
      const texts = serial.get(tsKey(m.tsNs!));
      if (!texts) continue;
      both++;
      expect(texts).toContain(m.text);
    }
    // Most of what pstore kept was also on the console (loglevel=7).
    expect(both).toBeGreaterThan(msgs.length * 0.8);
  });

  it('holds the panic line the kernel printed', async () => {
    const manifest = JSON.parse(readFileSync(fixture('pstore', item, 'manifest.json'), 'utf8')) as { panic_lines?: string[] };
    const texts = new Set(messagesOf((await readWith('pstore', dir)).records).map((m) => m.text));
    for (const line of manifest.panic_lines ?? []) expect(texts).toContain(line.replace(/^\[[^\]]*\] /, ''));
  });
});

describe('pstore edge cases', () => {
  const src = fixture('pstore', 'erst-mce-memory', 'pstore');

  it('reads one record file given alone', async () => {
    const file = join(src, 'dmesg-erst-7711071329893482499');
    const { records } = await readWith('pstore', file);
    expect(messagesOf(records).length).toBeGreaterThan(50);
    expect(messagesOf(records)[0]!.text).toMatch(/^Linux version 6\.1\.0-56-amd64/);
    expect(messagesOf(records)[0]!.source).toMatchObject({ path: file, offset: 14, part: 2 });
  });

  it('inflates .enc.z records and names one that cannot be inflated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-pstore-'));
    const raw = readFileSync(join(src, 'dmesg-erst-7711071329893482498'));
    writeFileSync(join(dir, 'dmesg-erst-1.enc.z'), deflateSync(raw));
    writeFileSync(join(dir, 'dmesg-erst-2.enc.z'), Buffer.from('not deflate data at all'));
    cpSync(join(src, 'mce-erst-7711071329893482497'), join(dir, 'mce-erst-3'));
    const { records, problems } = await readWith('pstore', dir);
    const plain = messagesOf((await readWith('pstore', join(src, 'dmesg-erst-7711071329893482498'))).records);
    expect(messagesOf(records).map((m) => m.text)).toEqual(plain.map((m) => m.text));
    expect(records.filter((r) => r.kind === 'mce')).toHaveLength(1);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe(join(dir, 'dmesg-erst-2.enc.z'));
    expect(problems[0]!.message).toMatch(/could not be inflated/);
  });

  it('reports a symlink, a directory and a damaged mce record, and reads the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-pstore-'));
    cpSync(join(src, 'dmesg-erst-7711071329893482499'), join(dir, 'dmesg-erst-7711071329893482499'));
    symlinkSync('/etc/passwd', join(dir, 'dmesg-erst-1'));
    mkdirSync(join(dir, 'console-ramoops-0'));
    writeFileSync(join(dir, 'mce-erst-5'), Buffer.alloc(7));
    const { records, problems } = await readWith('pstore', dir);
    expect(messagesOf(records).length).toBeGreaterThan(50);
    expect(problems.map((p) => p.path).sort()).toEqual([join(dir, 'console-ramoops-0'), join(dir, 'dmesg-erst-1'), join(dir, 'mce-erst-5')].sort());
    expect(problems.find((p) => p.path.endsWith('dmesg-erst-1'))!.message).toMatch(/symbolic link/);
  });

  it('keeps pmsg and ftrace records as blobs and reads console records as log lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-pstore-'));
    writeFileSync(join(dir, 'pmsg-ramoops-0'), 'user space said goodbye\n');
    writeFileSync(join(dir, 'ftrace-ramoops-0'), Buffer.alloc(64, 1));
    writeFileSync(join(dir, 'console-ramoops-0'), '[    1.000000] console line one\n[    2.000000] console line two\n');
    const { records } = await readWith('pstore', dir);
    expect(records.filter((r) => r.kind === 'blob').map((r) => (r as { type: string }).type).sort()).toEqual(['ftrace', 'pmsg']);
    expect(messagesOf(records).map((m) => m.text)).toEqual(['console line one', 'console line two']);
  });

  it('keeps two dumps with the same "Panic#1" header apart: each boot counts its dumps from 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-pstore-'));
    writeFileSync(join(dir, 'dmesg-ramoops-0'), 'Panic#1 Part1\n<6>[    5.000000] first boot is up\n<6>[    6.000000] first boot works\n<0>[    9.000000] Kernel panic - not syncing: first\n');
    writeFileSync(join(dir, 'dmesg-ramoops-1'), 'Panic#1 Part1\n<6>[   20.000000] second boot is up\n<6>[   21.000000] second boot works\n<0>[   29.000000] Kernel panic - not syncing: second\n');
    const { records } = await readWith('pstore', dir);
    const ids = new Set(messagesOf(records).map((m) => m.source.id));
    expect(ids.size).toBe(2);
    const a = await analyze([dir]);
    expect(a.timeline.boots).toHaveLength(2);
    expect(a.incidents.map((i) => i.title)).toEqual(['kernel panic: first', 'kernel panic: second']);
  });

  it('joins the parts of each dump in numeric id order (9, 10 | 11, 12), oldest part first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-pstore-'));
    const rec = (part: number, ts: number, text: string) => `Oops#1 Part${part}\n<4>[${String(ts).padStart(5)}.000000] ${text}\n`;
    writeFileSync(join(dir, 'dmesg-ramoops-9'), rec(1, 3, 'A newest'));
    writeFileSync(join(dir, 'dmesg-ramoops-10'), rec(2, 2, 'A oldest'));
    writeFileSync(join(dir, 'dmesg-ramoops-11'), rec(1, 13, 'B newest'));
    writeFileSync(join(dir, 'dmesg-ramoops-12'), rec(2, 12, 'B oldest'));
    const msgs = messagesOf((await readWith('pstore', dir)).records);
    const dumps = new Map<string, string[]>();
    for (const m of msgs) dumps.set(m.source.id!, [...(dumps.get(m.source.id!) ?? []), m.text]);
    expect([...dumps.values()]).toEqual([['A oldest', 'A newest'], ['B oldest', 'B newest']]);
    expect([...dumps.keys()][0]).toMatch(/Oops#1/);
  });
});
