// crashlog collect on copies of the real pstore sets: archive, idempotence, unlink, verdict.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveInputs } from '../../src/collect/index.js';
import type { JsonReport } from '../../src/model/index.js';
import { formatSource } from '../../src/report/source.js';
import { runCli } from '../helpers/run.js';
import { ITEMS, copyPstore, entries, hashes, tempDir } from './helpers.js';

const verdict = (i: { cause: string; kind: string; title: string; panic?: string }) => ({ cause: i.cause, kind: i.kind, title: i.title, panic: i.panic });

describe.each(ITEMS)('collect %s', (item) => {
  it('archives once, byte for byte, private, with the same verdict as report; unlinks only when asked', async () => {
    const root = tempDir(item);
    const src = copyPstore(item, root);
    const archive = join(root, 'archive');
    const before = hashes(src);
    const args = ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive];

    const first = await runCli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [id, ...more] = entries(archive);
    expect(more).toEqual([]);
    const entry = join(archive, id!);
    expect(first.stdout).toContain(`archived ${before.size} record(s) as ${entry}`);

    // The records byte for byte, and a manifest whose sha256s match them.
    expect(hashes(join(entry, 'pstore'))).toEqual(before);
    const manifest = JSON.parse(readFileSync(join(entry, 'manifest.json'), 'utf8'));
    expect(manifest.id).toBe(id);
    expect(new Map(manifest.records.map((r: { file: string; sha256: string }) => [r.file.replace('pstore/', ''), r.sha256]))).toEqual(before);
    // Kernel logs hold addresses and secrets: folders 0700, files 0600.
    for (const p of [archive, entry, join(entry, 'pstore')]) expect(lstatSync(p).mode & 0o777).toBe(0o700);
    for (const n of ['manifest.json', 'report.txt', 'report.json']) expect(lstatSync(join(entry, n)).mode & 0o777).toBe(0o600);
    for (const n of readdirSync(join(entry, 'pstore'))) expect(lstatSync(join(entry, 'pstore', n)).mode & 0o777).toBe(0o600);

    // The verdict: what `crashlog report` says of the very same files, printed as report.txt.
    const report = JSON.parse(readFileSync(join(entry, 'report.json'), 'utf8')) as JsonReport;
    const direct = JSON.parse((await runCli(['report', '--json', src])).stdout) as JsonReport;
    expect(report.incidents.map(verdict)).toEqual(direct.incidents.map(verdict));
    const text = readFileSync(join(entry, 'report.txt'), 'utf8');
    // Paths as given (inputs) and as the report shows them (relative to the working directory,
    // wherever the clone is).
    const shown = (path: string) => formatSource({ backend: 'pstore', path });
    expect(text).toBe((await runCli(['report', src])).stdout.replaceAll(src, join(entry, 'pstore')).replaceAll(shown(src), shown(join(entry, 'pstore'))));
    expect(first.stdout).toContain(text);
    // ... and `crashlog report --archive` says it again, from the archive.
    expect(await archiveInputs(archive, id)).toEqual([join(entry, 'pstore')]);
    expect(await archiveInputs(archive, id!.slice(0, 10))).toEqual([join(entry, 'pstore')]);
    for (const spec of [entry, archive]) expect(await runCli(['report', '--archive', spec])).toEqual({ code: 0, stdout: text, stderr: '' });

    // Again: nothing new, nothing removed.
    const second = await runCli(args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`nothing new to collect (${before.size} record(s) already archived)`);
    expect(entries(archive)).toEqual([id]);
    expect(hashes(src)).toEqual(before);

    // With --unlink: the sources go, the archive stays as it was.
    const third = await runCli([...args, '--unlink']);
    expect(third.code).toBe(0);
    expect(readdirSync(src)).toEqual([]);
    expect(entries(archive)).toEqual([id]);
    expect(hashes(join(entry, 'pstore'))).toEqual(before);
    expect(existsSync(join(archive, '.lock'))).toBe(false);

    const list = await runCli(['list', '--all', '--archive', archive]);
    expect(list.code).toBe(0);
    const lines = list.stdout.split('\n');
    for (const i of report.incidents) expect(lines.some((l) => l.startsWith(id!) && l.includes(i.cause) && l.endsWith(i.title))).toBe(true);
    if (report.incidents.length === 0) expect(list.stdout).toContain(`${id}`);
  });
});

/** `collect --journal --json` with the fakes in `bin` first on PATH. */
async function collectWithPath(bin: string, src: string, root: string) {
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return await runCli(['collect', '--journal', '--json', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'archive')]);
  } finally {
    process.env.PATH = path;
  }
}

describe('collect --json', () => {
  it('prints one line per new incident with a stable signature, and nothing on a rerun', async () => {
    const lines: string[][] = [];
    for (const run of [1, 2]) {
      const root = tempDir(`json-${run}`);
      const src = copyPstore('ramoops-oops-panic', root);
      const args = ['collect', '--json', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'archive')];
      const r = await runCli(args);
      expect(r.code).toBe(0);
      const [id] = entries(join(root, 'archive'));
      const report = JSON.parse(readFileSync(join(root, 'archive', id!, 'report.json'), 'utf8')) as JsonReport;
      const out = r.stdout.split('\n').filter(Boolean);
      expect(out.map((l) => JSON.parse(l))).toEqual(
        report.incidents.map((i) => expect.objectContaining({ entry: id, cause: i.cause, kind: i.kind, title: i.title, signature: expect.stringMatching(/^[0-9a-f]{64}$/) })),
      );
      lines.push(out.map((l) => JSON.parse(l).signature));
      expect((await runCli(args)).stdout).toBe('');
    }
    // Two machines (two copies) with the same crash: the same signatures.
    expect(lines[0]).toEqual(lines[1]);
  });
});

describe('collect with records of two crashed boots in pstore', () => {
  it('makes one entry per boot, each with its own records and verdict', async () => {
    const root = tempDir('two-boots');
    const src = copyPstore('erst-mce-memory', root);
    const other = copyPstore('ramoops-oops-panic', tempDir('two-boots-b'));
    for (const n of readdirSync(other)) writeFileSync(join(src, n), readFileSync(join(other, n)));
    const r = await runCli(['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'archive')]);
    expect(r.code).toBe(0);
    const ids = entries(join(root, 'archive'));
    expect(ids).toHaveLength(2);
    const held = ids.map((id) => readdirSync(join(root, 'archive', id, 'pstore')).join(' ')).sort();
    expect(held).toEqual(['dmesg-erst-7711071329893482498 dmesg-erst-7711071329893482499 mce-erst-7711071329893482497', 'dmesg-ramoops-0 dmesg-ramoops-1']);
    for (const id of ids) expect(r.stdout).toContain(`as ${join(root, 'archive', id)}\n`);
  });
});

describe('collect with an ERST copy and an EFI copy of two different crashed boots', () => {
  it('never makes them one entry: the EFI dump holds only the log\'s tail, no banner, and is a crashed boot of its own', async () => {
    const root = tempDir('erst-efi');
    const src = copyPstore('erst-mce-memory', root);
    const other = copyPstore('efi-oops-panic', tempDir('erst-efi-b'));
    for (const n of readdirSync(other)) writeFileSync(join(src, n), readFileSync(join(other, n)));
    const r = await runCli(['collect', '--json', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'archive')]);
    expect(r.code).toBe(0);
    const ids = entries(join(root, 'archive'));
    expect(ids).toHaveLength(2);
    const held = ids.map((id) => readdirSync(join(root, 'archive', id, 'pstore')).some((n) => n.startsWith('dmesg-efi-'))).sort();
    expect(held).toEqual([false, true]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { entry: string; boot?: string });
    expect(new Set(lines.map((l) => l.entry)).size).toBe(2);
  });
});

describe('collect --journal', () => {
  it('sends one entry per new incident, with its signature, whichever way to the journal this machine has', async () => {
    const root = tempDir('journal-cli');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    // With a journal socket the fields go through logger --journald, without it through
    // systemd-cat: fakes of both on PATH record what they were handed.
    writeFileSync(join(bin, 'logger'), `#!/bin/sh\n[ "$1" = --journald ] || exit 3\ncat >> ${root}/entries\necho >> ${root}/entries\n`, { mode: 0o755 });
    writeFileSync(join(bin, 'systemd-cat'), `#!/bin/sh\ncat >> ${root}/entries\necho >> ${root}/entries\n`, { mode: 0o755 });
    const src = copyPstore('ramoops-oops-panic', root);
    const r = await collectWithPath(bin, src, root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const incidents = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { title: string; cause: string; signature: string });
    expect(incidents.length).toBeGreaterThan(0);
    const sent = readFileSync(join(root, 'entries'), 'utf8').trim().split('\n\n');
    expect(sent.map((e) => /CRASHLOG_SIGNATURE=([0-9a-f]{64})/.exec(e)?.[1])).toEqual(incidents.map((i) => i.signature));
    for (const [n, e] of sent.entries()) {
      expect(e).toContain('MESSAGE_ID=cac2fee00a9740fd8c5c63b2dad5f346');
      expect(e).toContain(`CRASHLOG_CAUSE=${incidents[n]!.cause}`);
      expect(e).toContain(incidents[n]!.title);
    }
  });

  it('with no way to the journal: the archive is made, the JSON printed, and exit 1 with the reason', async () => {
    const root = tempDir('journal-none');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const p of ['logger', 'systemd-cat']) writeFileSync(join(bin, p), '#!/bin/sh\necho "Failed to create stream fd: No such file or directory" >&2\nexit 1\n', { mode: 0o755 });
    const src = copyPstore('ramoops-oops-panic', root);
    const r = await collectWithPath(bin, src, root);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/"signature":"[0-9a-f]{64}"/);
    expect(r.stderr).toMatch(/^crashlog: cannot write to the systemd journal: .*systemd-cat: Failed to create stream fd: No such file or directory\n/);
    expect(entries(join(root, 'archive'))).toHaveLength(1);
  });
});
