// For tests that must run crashlog in another process (as another user, under a umask, or
// where the old code would hang the test worker): a private tsc build of the current sources
// (not the shared dist/, which other builds may be rewriting), readable by every user, and a
// runner with a timeout; and a throwaway unprivileged user when the machine allows one.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../corpus.js';

export interface Built {
  main: string;
  root: string;
}

/** Asynchronous: a build takes seconds, and the test worker must keep answering meanwhile. */
export async function buildPrivate(): Promise<Built> {
  const out = mkdtempSync(join(tmpdir(), 'crashlog-private-build-'));
  chmodSync(out, 0o755);
  symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'));
  const tsc = await runAs(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.json'), '--outDir', out], { timeoutMs: 300_000 });
  const main = join(out, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`crashlog could not be compiled: ${tsc.stdout}${tsc.stderr}`);
  return { main, root: out };
}

export function removeBuild(b: Built | undefined): void {
  if (b) rmSync(b.root, { recursive: true, force: true });
}

export interface User {
  name: string;
  uid: number;
  gid: number;
}

/** An unprivileged user made for these tests, or undefined when this process cannot make one. */
export function testUser(name = 'crashlog-t17'): User | undefined {
  if (process.geteuid?.() !== 0) return undefined;
  const ids = () => {
    const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
    return r.status === 0 && g.status === 0 ? { name, uid: Number(r.stdout), gid: Number(g.stdout) } : undefined;
  };
  const known = ids();
  if (known) return known;
  spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
  return ids();
}

export interface RunOptions {
  user?: User;
  umask?: number;
  timeoutMs?: number;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed by the timeout: it hung. */
  timedOut: boolean;
}

/**
 * `command ...args` (as `user`, under `umask`), killed after the timeout. Asynchronous, so
 * the test worker stays responsive while it runs.
 */
export function runAs(command: string, args: string[], o: RunOptions = {}): Promise<Ran> {
  let argv = [command, ...args];
  if (o.user) argv = ['setpriv', `--reuid=${o.user.uid}`, `--regid=${o.user.gid}`, '--clear-groups', '--', ...argv];
  if (o.umask !== undefined) argv = ['sh', '-c', `umask ${o.umask.toString(8).padStart(3, '0')} && exec "$@"`, 'sh', ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd: '/', stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The built crashlog CLI. */
export function crashlog(b: Built, args: string[], o: RunOptions = {}): Promise<Ran> {
  return runAs(process.execPath, [b.main, ...args], o);
}
