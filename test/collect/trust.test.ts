// Issue 17: collect trusts only an archive that is its own, and never deletes what it did not
// archive. Each attack is played for real where the machine allows: a second user (made with
// useradd, collect run as that user through setpriv), FIFOs, symbolic links, hard links, a
// swap loop, a umask. Each test fails on the collector before the fix (hangs are cut short by
// running crashlog in a child process with a timeout).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run.js';
import { buildPrivate, crashlog, removeBuild, runAs, testUser, type Built } from './build.js';
import { copyPstore, entries, hashes, sha, tempDir, walk } from './helpers.js';

const ROOT = process.geteuid?.() === 0;
const USER = testUser();
const HANG_MS = 20_000;

/** A root-owned work folder (0755, so the test user may pass), a pstore copy and a decoy. */
function world(tag: string) {
  const root = tempDir(tag);
  chmodSync(root, 0o755);
  const src = copyPstore('ramoops-oops-panic', root);
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'do not touch\n');
  const archive = join(root, 'archive');
  const args = (a = archive) => ['collect', '--pstore', src, '--efivars', 'none', '--bert', 'none', '--dmi', 'none', '--archive', a];
  return { root, src, outside, archive, args, before: hashes(src) };
}

const mkfifo = (path: string) => expect(spawnSync('mkfifo', [path]).status).toBe(0);

/** Every record gone from `src` has a byte-identical copy in a valid entry of `archive`. */
function removedOnlyWhenArchived(before: Map<string, string>, src: string, archive: string): void {
  const left = new Set(readdirSync(src));
  const copies = new Set<string>();
  for (const id of entries(archive)) {
    const m = JSON.parse(readFileSync(join(archive, id, 'manifest.json'), 'utf8')) as { records: { file: string; sha256: string }[] };
    for (const r of m.records) if (!r.file.includes('..') && sha(readFileSync(join(archive, id, r.file))) === r.sha256) copies.add(r.sha256);
  }
  for (const [name, hash] of before) if (!left.has(name)) expect(copies.has(hash), `${name} removed without an archived copy`).toBe(true);
}

let built: Built | undefined;
beforeAll(async () => {
  built = await buildPrivate();
}, 300_000);
afterAll(() => removeBuild(built));

describe('an archive that others can change is refused', () => {
  it.each(['0777', '0770', '0702'])('mode %s: collect refuses, nothing read, written or removed', async (mode) => {
    const w = world('trust-mode');
    mkdirSync(w.archive);
    chmodSync(w.archive, parseInt(mode, 8));
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^crashlog: the archive .*\/archive is writable by (others|its group) \(mode 0\d{3}\): others could change what collect reads and deletes; not used/);
    expect(readdirSync(w.archive)).toEqual([]);
    expect(hashes(w.src)).toEqual(w.before);
    // list and report --archive trust it no more than collect does.
    expect((await runCli(['list', '--archive', w.archive])).code).toBe(1);
    expect((await runCli(['report', '--archive', w.archive])).stderr).toMatch(/writable by/);
  });

  it.runIf(ROOT && USER)('owned by another user, or below a folder another user owns: refused; a root-owned sticky folder above is fine', async () => {
    const w = world('trust-owner');
    mkdirSync(w.archive, { mode: 0o700 });
    chownSync(w.archive, USER!.uid, USER!.gid);
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the archive ${w.archive} is owned by uid ${USER!.uid}, not by root`);
    expect(hashes(w.src)).toEqual(w.before);

    const theirs = join(w.root, 'theirs');
    mkdirSync(theirs, { mode: 0o755 });
    chownSync(theirs, USER!.uid, USER!.gid);
    const below = await runCli([...w.args(join(theirs, 'archive')), '--unlink']);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain(`${theirs}, a folder above the archive ${join(theirs, 'archive')}, is owned by uid ${USER!.uid}`);
    expect(readdirSync(theirs)).toEqual([]);

    const sticky = join(w.root, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    expect((await runCli(w.args(join(sticky, 'archive')))).code).toBe(0);
    chownSync(sticky, USER!.uid, USER!.gid);
    expect((await runCli(w.args(join(sticky, 'archive')))).stderr).toMatch(/sticky, a folder above the archive .* is owned by uid/);
  });

  it('a symbolic link in any component of --archive is not followed', async () => {
    const w = world('trust-link');
    const real = join(w.root, 'real');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, join(w.root, 'link'));
    const r = await runCli([...w.args(join(w.root, 'link', 'sub', 'archive')), '--unlink']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crashlog: the folder above the archive ${join(w.root, 'link')} is a symbolic link; not followed (name the real folder)\n`);
    expect(readdirSync(real)).toEqual([]);
    expect(hashes(w.src)).toEqual(w.before);
  });

  it.runIf(ROOT && USER)('a second user swapping staging folders with symlinks in a loop gets nothing written outside', async () => {
    const w = world('trust-swap');
    mkdirSync(w.archive);
    chmodSync(w.archive, 0o777); // a "shared" archive
    chownSync(w.outside, USER!.uid, USER!.gid);
    const loop = `cd '${w.archive}' || exit 1; while :; do for d in .tmp-*; do [ -d "$d" ] && [ ! -L "$d" ] && mv "$d" "x$d" 2>/dev/null && ln -s '${w.outside}' "$d"; done; done`;
    const swapper = spawn('setpriv', [`--reuid=${USER!.uid}`, `--regid=${USER!.gid}`, '--clear-groups', 'sh', '-c', loop], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await crashlog(built!, [...w.args(), '--unlink'], { timeoutMs: HANG_MS });
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/is writable by others/);
      }
    } finally {
      swapper.kill('SIGKILL');
    }
    expect(readdirSync(w.outside)).toEqual(['secret']);
    expect(hashes(w.src)).toEqual(w.before);
  });
});

describe('nothing in the archive is read unless it is a regular file', () => {
  it('FIFOs named manifest.json, report.json, .pruned, .lock or a record: no hang in collect, list or report --archive', async () => {
    const w = world('trust-fifo');
    expect((await crashlog(built!, w.args(), { timeoutMs: HANG_MS })).code).toBe(0);
    const [id] = entries(w.archive);
    const entry = join(w.archive, id!);
    const run = async (args: string[]) => {
      const r = await crashlog(built!, args, { timeoutMs: HANG_MS });
      expect(r.timedOut, `crashlog ${args.join(' ')} hung`).toBe(false);
      return r;
    };

    const fake = join(w.archive, '20200101T000000Z-00000000');
    mkdirSync(fake, { mode: 0o700 });
    mkfifo(join(fake, 'manifest.json'));
    for (const args of [w.args(), ['list', '--archive', w.archive]]) {
      const r = await run(args);
      expect(r.stderr).toContain(`${fake}: entry without a valid manifest (${join(fake, 'manifest.json')}: not a regular file)`);
    }
    const good = await run(['report', '--archive', w.archive]);
    expect(good.code).toBe(0);
    expect(good.stdout).not.toBe('');

    renameSync(join(entry, 'report.json'), join(entry, 'report.json.real'));
    mkfifo(join(entry, 'report.json'));
    expect((await run(['list', '--archive', w.archive])).stderr).toContain(`${id}: no report (${join(entry, 'report.json')}: not a regular file)`);
    unlinkSync(join(entry, 'report.json'));
    renameSync(join(entry, 'report.json.real'), join(entry, 'report.json'));

    mkfifo(join(entry, 'pstore', 'dmesg-ramoops-9'));
    const report = await run(['report', '--archive', w.archive]);
    expect(report.code).toBe(1);
    expect(report.stderr).toContain(`${join(entry, 'pstore', 'dmesg-ramoops-9')}: not a regular file; the entry is not read`);
    unlinkSync(join(entry, 'pstore', 'dmesg-ramoops-9'));

    mkfifo(join(w.archive, '.pruned'));
    const pruned = await run([...w.args(), '--unlink']);
    expect(pruned.code).toBe(1);
    expect(pruned.stderr).toMatch(/cannot read .*\/\.pruned: .*not a regular file/);
    unlinkSync(join(w.archive, '.pruned'));

    mkfifo(join(w.archive, '.lock'));
    const lock = await run([...w.args(), '--unlink']);
    expect(lock.code).toBe(1);
    expect(lock.stderr).toContain(`the lock ${join(w.archive, '.lock')} is not a plain file`);
    expect(hashes(w.src)).toEqual(w.before);
  });
});

describe('--unlink removes a record only when its copy in this archive reads back', () => {
  it('a planted manifest naming "../../pstore/<record>" is a problem, not a path: the records are archived for real first', async () => {
    const w = world('trust-manifest');
    mkdirSync(w.archive, { mode: 0o700 });
    const fake = join(w.archive, '20200101T000000Z-0badf00d');
    mkdirSync(fake, { mode: 0o700 });
    const records = [...w.before].map(([name, hash]) => ({ source: 'pstore', path: join(w.src, name), file: `../../pstore/${name}`, size: 1, sha256: hash, mtime: '2020-01-01T00:00:00.000Z' }));
    writeFileSync(join(fake, 'manifest.json'), JSON.stringify({ version: 1, id: '20200101T000000Z-0badf00d', host: 'x', collectedAt: 'x', collector: 'x', records }));
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.stderr).toContain(`${fake}: entry without a valid manifest (${join(fake, 'manifest.json')}: record 0: file "../../pstore/dmesg-ramoops-0": not in the folder of its source pstore); ignored`);
    expect(r.stdout).toMatch(/archived 2 record\(s\) as /);
    removedOnlyWhenArchived(w.before, w.src, w.archive);
    expect(readdirSync(w.src)).toEqual([]);
  });

  it('a copy that is the source file itself (a hard link) does not count', async () => {
    const w = world('trust-hardlink');
    expect((await runCli(w.args())).code).toBe(0);
    const [id] = entries(w.archive);
    const copy = join(w.archive, id!, 'pstore', 'dmesg-ramoops-0');
    unlinkSync(copy);
    linkSync(join(w.src, 'dmesg-ramoops-0'), copy);
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(w.src, 'dmesg-ramoops-0')}: its archived copy ${copy} is the source file itself; left in place`);
    expect(readdirSync(w.src)).toEqual(['dmesg-ramoops-0']);
  });
});

describe('leftovers are known by what they hold', () => {
  it('an entry renamed to .tmp-<anything> is moved aside and reported, never deleted', async () => {
    const w = world('trust-leftover');
    expect((await runCli([...w.args(), '--unlink'])).code).toBe(0);
    expect(readdirSync(w.src)).toEqual([]);
    const [id] = entries(w.archive);
    const held = hashes(join(w.archive, id!, 'pstore'));
    renameSync(join(w.archive, id!), join(w.archive, '.tmp-anything'));
    const r = await runCli(w.args());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\.tmp-anything: named like collect's staging but not marked as collect's own; moved aside to .*\/moved-aside\/tmp-anything-\d+, not deleted/);
    const [aside] = readdirSync(join(w.archive, 'moved-aside'));
    expect(hashes(join(w.archive, 'moved-aside', aside!, 'pstore'))).toEqual(held);
    expect(lstatSync(join(w.archive, 'moved-aside')).mode & 0o777).toBe(0o700);
  });

  it('a staging folder whose marker names another id is moved aside; one marked as its own is removed', async () => {
    const w = world('trust-marker');
    mkdirSync(w.archive, { mode: 0o700 });
    const own = join(w.archive, '.tmp-20200101T000000Z-11111111');
    mkdirSync(join(own, 'pstore'), { recursive: true });
    writeFileSync(join(own, 'pstore', 'dmesg-ramoops-0'), 'half');
    writeFileSync(join(own, '.crashlog-staging'), 'crashlog staging entry 20200101T000000Z-11111111 pid 4242\n');
    const forged = join(w.archive, '.tmp-20200101T000000Z-22222222');
    mkdirSync(forged);
    writeFileSync(join(forged, 'keep-me'), 'data');
    writeFileSync(join(forged, '.crashlog-staging'), 'crashlog staging entry 20200101T000000Z-11111111 pid 4242\n');
    const r = await runCli(w.args());
    expect(r.stderr).toContain(`removed ${own}, an unfinished entry of a stopped collect (pid 4242)`);
    expect(r.stderr).toMatch(/\.tmp-20200101T000000Z-22222222: named like collect's staging but not marked as collect's own; moved aside/);
    expect(existsSync(own)).toBe(false);
    expect(walk(join(w.archive, 'moved-aside')).some((p) => p.endsWith('/keep-me'))).toBe(true);
  });
});

describe('the lock is held by the kernel, not named by a pid', () => {
  it('a .lock naming pid 1 with its start time does not stop collect', async () => {
    const w = world('trust-lock-forged');
    mkdirSync(w.archive, { mode: 0o700 });
    const start = readFileSync('/proc/1/stat', 'latin1').split(') ')[1]!.split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim();
    writeFileSync(join(w.archive, '.lock'), `1 ${start} ${boot}\n`);
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.code).toBe(0);
    expect(readdirSync(w.src)).toEqual([]);
    expect(existsSync(join(w.archive, '.lock'))).toBe(false);
  });

  it('a live holder: exit 75, nothing done; killed with -9: the next collect goes ahead', async () => {
    const w = world('trust-lock-live');
    mkdirSync(w.archive, { mode: 0o700 });
    const lock = join(w.archive, '.lock');
    writeFileSync(lock, '');
    const holder = spawn('flock', ['-o', lock, 'sleep', '60'], { stdio: 'ignore' });
    for (let i = 0; i < 100 && spawnSync('flock', ['-n', lock, 'true']).status === 0; i++) spawnSync('sleep', ['0.05']);
    const busy = await runCli([...w.args(), '--unlink']);
    expect(busy).toEqual({ code: 75, stdout: '', stderr: `crashlog: another crashlog collect is running on ${w.archive}\n` });
    expect(hashes(w.src)).toEqual(w.before);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const r = await runCli([...w.args(), '--unlink']);
    expect(r.code).toBe(0);
    expect(readdirSync(w.src)).toEqual([]);
  });
});

describe('two collectors at once', () => {
  it('one at a time: the other waits out its retries or finds the work done; nothing lost, nothing archived twice', async () => {
    const child = join(import.meta.dirname, 'child.mjs');
    for (let round = 0; round < 4; round++) {
      const w = world('trust-two');
      const slow = (step: string) => runAs(process.execPath, [child, join(built!.root, 'src', 'collect', 'index.js'), w.archive, w.src, step], { timeoutMs: 60_000 });
      const [a, b] = await Promise.all([slow('0.3'), slow('0.3')]);
      for (const r of [a, b]) {
        expect(r.timedOut).toBe(false);
        if (r.code !== 0) expect(r.stderr).toMatch(/another crashlog collect \(pid \d+\) is running on /);
      }
      expect([a.code, b.code]).toContain(0);
      expect(readdirSync(w.src)).toEqual([]);
      expect(entries(w.archive)).toHaveLength(1);
      removedOnlyWhenArchived(w.before, w.src, w.archive);
      expect(walk(w.archive).filter((p) => p.includes('.tmp-') || p === '.lock')).toEqual([]);
    }
  });
});

describe('modes whatever the umask', () => {
  it('root under umask 0777: folders 0700, files 0600', async () => {
    const w = world('trust-umask');
    const archive = join(w.root, 'made', 'archive');
    const r = await crashlog(built!, w.args(archive), { umask: 0o777, timeoutMs: HANG_MS });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const p of [join(w.root, 'made'), archive, ...walk(archive).map((p) => join(archive, p))]) {
      const st = lstatSync(p);
      expect(st.mode & 0o777, p).toBe(st.isDirectory() ? 0o700 : 0o600);
    }
  });

  it.runIf(ROOT && USER)('a user under umask 0777 collects into a folder of their own; where they cannot, the hint says so and nothing is left', async () => {
    const w = world('trust-user');
    const home = join(w.root, 'home');
    mkdirSync(home, { mode: 0o755 });
    chownSync(home, USER!.uid, USER!.gid);
    for (const p of [w.src, ...readdirSync(w.src).map((n) => join(w.src, n))]) chownSync(p, USER!.uid, USER!.gid);
    const archive = join(home, 'archive');
    const r = await crashlog(built!, [...w.args(archive), '--unlink'], { user: USER, umask: 0o777, timeoutMs: HANG_MS });
    expect(r.stderr).toBe('crashlog: removed 2 archived record(s) from their sources\n');
    expect(r.code).toBe(0);
    expect(readdirSync(w.src)).toEqual([]);
    const [id] = entries(archive);
    expect(lstatSync(archive).uid).toBe(USER!.uid);
    for (const p of [archive, join(archive, id!), join(archive, id!, 'pstore')]) expect(lstatSync(p).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(archive, id!, 'manifest.json')).mode & 0o777).toBe(0o600);

    const denied = join(w.root, 'denied', 'archive');
    const no = await crashlog(built!, w.args(denied), { user: USER, timeoutMs: HANG_MS });
    expect(no.code).toBe(1);
    expect(no.stderr).toBe(`crashlog: cannot create the archive ${denied}: EACCES: permission denied, mkdir '${join(w.root, 'denied')}' (as a user, name a folder of your own with --archive)\n`);
    expect(existsSync(join(w.root, 'denied'))).toBe(false);
  });
});

describe('names and contents reach the terminal escaped', () => {
  it('a record name holding a newline and escape sequences cannot forge a line of output', async () => {
    const w = world('trust-escape');
    const name = 'dmesg-ramoops-9\ncrashlog: removed 99 archived record(s) from their sources\x1b[2K\r';
    writeFileSync(join(w.src, name), 'x');
    const r = await runCli(w.args());
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stderr.split('\n').filter(Boolean).every((l) => l.startsWith('crashlog: '))).toBe(true);
    expect(r.stderr).not.toContain('\ncrashlog: removed 99');
    expect(r.stderr).toContain('dmesg-ramoops-9\\x0acrashlog: removed 99 archived record(s) from their sources\\x1b[2K\\x0d: name holds characters outside');
    rmSync(join(w.src, name));
  });

  it('list escapes what report.json says; --json too, for what JSON leaves raw', async () => {
    const w = world('trust-escape-list');
    expect((await runCli(w.args())).code).toBe(0);
    const [id] = entries(w.archive);
    const file = join(w.archive, id!, 'report.json');
    const report = JSON.parse(readFileSync(file, 'utf8')) as { incidents: { title: string; time?: string }[] };
    report.incidents[0]!.title = 'evil\x1b]0;owned\x07\nforged line\u009b2J\u202e';
    writeFileSync(file, JSON.stringify(report));
    const text = await runCli(['list', '--archive', w.archive]);
    expect(text.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(text.stdout).toContain('evil\\x1b]0;owned\\x07\\x0aforged line\\x9b2J\\u{202e}');
    const json = await runCli(['list', '--json', '--archive', w.archive]);
    expect(json.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(JSON.parse(json.stdout.split('\n')[0]!).title).toBe(report.incidents[0]!.title);
  });
});

describe('runAs', () => {
  it('reports a hang as a hang', async () => {
    expect((await runAs('sleep', ['5'], { timeoutMs: 200 })).timedOut).toBe(true);
  });
});
