// The HTML page without a browser: the DOM contract as markup, escaping of hostile input,
// the size bound on a huge input, the ticket bundle as tar reads it, and the text timeline.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analyze.js';
import type { Incident, KernelMessage } from '../../src/model/index.js';
import { renderHtml } from '../../src/report/html.js';
import { entryName, tarHeader, writeBundle } from '../../src/report/bundle.js';
import { eventTimeline } from '../../src/report/text.js';
import { runCli } from '../helpers/run.js';
import { fixture } from '../corpus.js';

const SRC = { backend: 'text', path: '/var/log/console.log' };

function analysis(lines: string[], incident: Partial<Incident> = {}): Analysis {
  const messages: KernelMessage[] = lines.map((text, k) => ({ kind: 'kmsg', text, tsNs: BigInt(k) * 1_000_000n, source: { ...SRC, offset: k * 100 } }));
  const last = messages.length - 1;
  const i: Incident = {
    boot: 'b1', cause: 'software', kind: 'oops', title: 'BUG: <script>alert(1)</script> in f', confidence: 0.9,
    events: [{ title: 'WARNING in "x" & <y>', kind: 'warning', tsNs: '1000000', source: { ...SRC, offset: 100 } },
      { title: 'BUG: <script>alert(1)</script> in f', kind: 'oops', tsNs: String(BigInt(last) * 1_000_000n), source: { ...SRC, offset: last * 100 } }],
    evidence: [{ text: lines[last]!, source: { ...SRC, offset: last * 100 } }, { text: 'Confidence 0.90: a reason <b>', source: { ...SRC, offset: last * 100 } }],
    ...incident,
  };
  return {
    inputs: [{ path: SRC.path, backend: 'text', records: lines.length, problems: [] }], records: messages,
    timeline: { boots: [{ key: 'b1', messages, mces: [], memoryErrors: [], dumps: [], blobs: [] }], problems: [] }, incidents: [i],
  };
}

describe('the HTML page', () => {
  it('keeps the DOM contract: timeline marks, evidence links and their targets', () => {
    const html = renderHtml(analysis(['a', 'b', 'WARNING: <img src=http://evil/x> here', 'c', 'BUG: kernel NULL <img src=x onerror=alert(1)>']));
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('name="viewport"');
    expect(html).toContain('prefers-color-scheme:dark');
    expect(html).toContain('@media print');
    expect(html.match(/<svg data-role="timeline"/g)).toHaveLength(1);
    expect(html.match(/ data-event="/g)).toHaveLength(2);
    const targets = [...html.matchAll(/<a data-evidence href="#([^"]+)"/g)].map((m) => m[1]!);
    expect(targets).toHaveLength(2);
    for (const id of targets) expect(html).toContain(`id="${id}"`);
    // Nothing from the input opens a tag; nothing is fetched.
    expect(html).not.toMatch(/<img|<script>alert/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("default-src 'none'");
    expect(html).not.toContain('data-role="ce-plot"');
  });

  it('shows a hardware verdict with the corrected-error plot and the registers bit by bit', () => {
    const a = analysis(['mce: [Hardware Error]: Machine check events logged', 'Kernel panic - not syncing: Fatal machine check'], {
      cause: 'hardware', kind: 'machine-check', title: 'machine check', panic: 'Fatal machine check', time: '2026-01-01T00:00:10.000Z',
      mce: [{ bank: 8, status: '0xbe0000000001009f', addr: '0x12345000', misc: '0x8c', mcgStatus: '0x4', cpu: 0, time: '2026-01-01T00:00:10.000Z', severity: 'fatal', errorClass: 'memory-controller', summary: 'memory read error', source: SRC }],
      correctedBefore: [{ bank: 8, count: 3, addr: '0x12345000', atFatalAddress: true, first: '2026-01-01T00:00:01.000Z', last: '2026-01-01T00:00:05.000Z' }],
    });
    const html = renderHtml(a);
    expect(html).toContain('<svg data-role="ce-plot"');
    expect(html).toContain('data-fatal');
    expect(html.match(/data-ce="/g)).toHaveLength(2);
    expect(html).toMatch(/<th scope="row">PCC<\/th><td>1<\/td>/);
    expect(html).toMatch(/<th scope="row">MCACOD<\/th><td>0x009f<\/td>/);
  });

  it('stays a few MB whatever the input, and says what it left out', () => {
    const lines = Array.from({ length: 100_000 }, (_, k) => `line ${k} ${'x'.repeat(1000)}`);
    const a = analysis(lines);
    const inc = a.incidents[0]!;
    inc.evidence = lines.filter((_, k) => k % 997 === 0).map((text, k) => ({ text, source: { ...SRC, offset: k * 997 * 100 } }));
    inc.events = Array.from({ length: 5000 }, (_, k) => ({ title: `WARNING in f${k}`, kind: 'warning', tsNs: String(k * 1_000_000), source: { ...SRC, offset: k * 100 } }));
    const html = renderHtml(a);
    expect(html.length).toBeLessThan(5_000_000);
    expect(html).toContain('more evidence lines left out');
    expect(html).toContain('events not drawn');
  });
});

/** The entries of a .tar.gz, read by its ustar headers. */
function untar(gz: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gz);
  const out = new Map<string, Buffer>();
  for (let off = 0; off + 512 <= tar.length;) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const str = (a: number, n: number) => h.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const name = [str(345, 155), str(0, 100)].filter(Boolean).join('/');
    const size = parseInt(str(124, 12), 8);
    let sum = 0;
    for (let k = 0; k < 512; k++) sum += k >= 148 && k < 156 ? 32 : h[k]!;
    expect(parseInt(str(148, 8), 8)).toBe(sum);
    out.set(name, tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe('the ticket bundle', () => {
  it('holds the three reports, the inputs and a manifest with their sha256, and tar reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashlog-bundle-'));
    const log = join(dir, 'console.log');
    writeFileSync(log, 'line one\nBUG: here\n');
    const a = analysis(['line one', 'BUG: here']);
    a.inputs[0]!.path = log;
    for (const m of a.timeline.boots[0]!.messages) m.source.path = log;
    for (const e of a.incidents[0]!.evidence) e.source.path = log;
    const out = join(dir, 'ticket.tar.gz');
    const m = await writeBundle(out, a, { json: '{"version":1}\n', text: 'SOFTWARE: x\n', version: '9.9.9' });
    const entries = untar(readFileSync(out));
    expect([...entries.keys()]).toEqual(['report.html', 'report.json', 'report.txt', 'inputs/console.log', 'manifest.json']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as typeof m;
    expect(manifest.crashlog).toBe('9.9.9');
    for (const f of manifest.files) expect(createHash('sha256').update(entries.get(f.name)!).digest('hex')).toBe(f.sha256);
    // The page names the input as its place in the bundle, not where it was read.
    expect(entries.get('report.html')!.toString()).toContain('inputs/console.log');
    expect(entries.get('report.html')!.toString()).not.toContain(dir);
    let listed = '';
    try { listed = execFileSync('tar', ['-tzf', out], { encoding: 'utf8' }); } catch { return; }
    expect(listed.trim().split('\n')).toEqual([...entries.keys()]);
  });

  it('splits long names into ustar prefix and name, and renames what cannot fit', () => {
    const long = `inputs/${'d'.repeat(120)}/file.bin`;
    const h = tarHeader(long, 1, new Date(0));
    expect(h.subarray(345, 345 + 127).toString()).toBe(`inputs/${'d'.repeat(120)}`);
    expect(entryName(`inputs/${'x'.repeat(300)}`, 'inputs/0-abc')).toBe('inputs/0-abc');
    expect(entryName('inputs/a b/é', 'f')).toBe('inputs/a_b/_');
  });
});

describe('the text timeline', () => {
  it('prints one line per event, relative to the last', () => {
    const i = analysis(Array.from({ length: 3201 }, (_, k) => `l${k}`)).incidents[0]!;
    expect(eventTimeline(i)).toEqual(['  timeline:', '       -3.2 s  WARNING in "x" & <y>', '        0.0 s  BUG: <script>alert(1)</script> in f']);
    expect(eventTimeline({ ...i, events: i.events.slice(1) })).toEqual([]);
  });
});

describe('report --html and --bundle', () => {
  it('prints the page, and writes the bundle beside the usual report', async () => {
    const input = fixture('pstore', 'ramoops-oops-panic', 'pstore');
    const html = await runCli(['report', '--html', input]);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<svg data-role="timeline"');
    expect(html.stdout).toContain('data-role="oops"');
    const out = join(mkdtempSync(join(tmpdir(), 'crashlog-bundle-')), 'ticket.tar.gz');
    const r = await runCli(['report', '--bundle', out, input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('timeline:');
    expect(r.stderr).toContain(`wrote ${out}`);
    const entries = untar(readFileSync(out));
    expect([...entries.keys()].filter((k) => !k.startsWith('inputs/'))).toEqual(['report.html', 'report.json', 'report.txt', 'manifest.json']);
    expect([...entries.keys()].some((k) => k.startsWith('inputs/pstore/dmesg-ramoops-'))).toBe(true);
    expect(entries.get('report.html')!.toString()).toContain('inputs/pstore/dmesg-ramoops-');
  });
});
