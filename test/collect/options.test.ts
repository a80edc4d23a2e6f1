// The config file, the CLI's flags, the lock, pruning, signatures and the journal entry.
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, loadConfig, parseConfig, realFs } from '../../src/collect/index.js';
import { acquireLock } from '../../src/collect/lock.js';
import { corpus, REPO } from '../corpus.js';
import { runCli } from '../helpers/run.js';
import { copyPstore, entries, hashes, sha, tempDir } from './helpers.js';

describe('config file', () => {
  it('the shipped packaging/crashlog.conf is the defaults, spelled out', () => {
    const c = loadConfig(join(REPO, 'packaging', 'crashlog.conf'));
    expect(c).toEqual({
      archive: '/var/lib/crashlog',
      unlink: false,
      keep: 0,
      sources: { pstore: '/sys/fs/pstore', efivars: '/sys/firmware/efi/efivars', bert: '/sys/firmware/acpi/tables/data/BERT', dmi: '/sys/firmware/dmi/tables', edac: '/sys/devices/system/edac/mc', 'systemd-pstore': '/var/lib/systemd/pstore' },
    });
  });

  it.each([
    ['archive = relative/path', /f:1: archive must be an absolute path/],
    ['unlink = maybe', /f:1: expected yes or no, got "maybe"/],
    ['keep = -1', /f:1: keep must be a count/],
    ['\n\nsources = pstore floppy', /f:3: unknown source "floppy"/],
    ['colour = red', /f:1: unknown key "colour" \(archive, unlink, sources, keep\)/],
    ['just words', /f:1: expected "key = value"/],
  ])('%j is refused', (text, message) => {
    expect(() => parseConfig(text, 'f')).toThrow(message);
  });

  it('flags override the file; "none" leaves a source out; a named config must exist', async () => {
    const root = tempDir('config');
    const src = copyPstore('erst-mce-memory', root);
    const conf = join(root, 'crashlog.conf');
    writeFileSync(conf, `# test\narchive = ${join(root, 'from-config')}\nunlink = yes\nsources = pstore:${src}\nkeep = 3\n`);
    const kept = await runCli(['collect', '--config', conf, '--no-unlink']);
    expect(kept.code).toBe(0);
    expect(entries(join(root, 'from-config'))).toHaveLength(1);
    expect(readdirSync(src)).toHaveLength(3);
    const removed = await runCli(['collect', '--config', conf]);
    expect(removed.code).toBe(0);
    expect(readdirSync(src)).toEqual([]);

    const missing = await runCli(['collect', '--config', join(root, 'nope.conf')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the config .*nope\.conf: ENOENT/);

    const none = await runCli(['collect', '--pstore', 'none', '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'empty')]);
    expect(none).toMatchObject({ code: 0, stdout: 'nothing new to collect (0 record(s) already archived)\n' });

    const absent = await runCli(['collect', '--pstore', join(root, 'no-such-dir'), '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', join(root, 'a2')]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/crashlog: cannot read .*no-such-dir: ENOENT/);
  });
});

describe('efivars and BERT sources', () => {
  it('archives only the dump-type0 variables, byte for byte, and never unlinks BERT', async () => {
    const root = tempDir('efivars');
    const efi = join(root, 'efivars');
    cpSync(corpus('efi-oops-panic', 'efivars'), efi, { recursive: true });
    chmodSync(efi, 0o755);
    writeFileSync(join(efi, 'Boot0000-8be4df61-93ca-11d2-aa0d-00e098032b8c'), 'a boot entry');
    const bert = join(root, 'BERT');
    writeFileSync(bert, Buffer.from('BERT table bytes'));
    const dumps = [...hashes(efi)].filter(([n]) => n.startsWith('dump-type0-'));
    const r = await collect({
      archive: join(root, 'archive'), unlink: true, keep: 0,
      sources: [{ kind: 'efivars', path: efi, explicit: true }, { kind: 'bert', path: bert, explicit: true }],
    });
    const dir = r.entries[0]!.dir;
    expect([...hashes(join(dir, 'efivars'))]).toEqual(dumps);
    expect(hashes(join(dir, 'bert'))).toEqual(new Map([['BERT', sha(readFileSync(bert))]]));
    expect(readdirSync(efi)).toEqual(['Boot0000-8be4df61-93ca-11d2-aa0d-00e098032b8c']);
    expect(existsSync(bert)).toBe(true);
  });
});

describe('lock', () => {
  it('a live collector holds it: exit 75 naming its pid, nothing done; a lock file nobody holds is no lock', async () => {
    const root = tempDir('lock');
    const src = copyPstore('erst-mce-memory', root);
    const archive = join(root, 'archive');
    const args = ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive, '--unlink'];
    await runCli(['collect', '--pstore', 'none', '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', archive]);

    // Another open of the file is another holder, even in this process (flock(2) semantics).
    const held = acquireLock(realFs, archive);
    const busy = await runCli(args);
    expect(busy.code).toBe(75);
    expect(busy.stderr).toBe(`crashlog: another crashlog collect (pid ${process.pid}) is running on ${archive}\n`);
    expect(readdirSync(src)).toHaveLength(3);
    held.release();
    expect(existsSync(join(archive, '.lock'))).toBe(false);

    // What a killed collector leaves: a file naming a live pid, but locked by nobody.
    writeFileSync(join(archive, '.lock'), `${process.pid}\n`);
    const taken = await runCli(args);
    expect(taken.code).toBe(0);
    expect(readdirSync(src)).toEqual([]);
    expect(existsSync(join(archive, '.lock'))).toBe(false);
  });
});
