// --journal: the native-protocol entry, handed to logger --journald when the journal's
// socket is there (a fake socket here), else to systemd-cat; fakes of both on PATH.
import { createServer, type Server } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultSender, journalFallbackLine, journalFields, MESSAGE_ID, sendToJournal } from '../../src/collect/index.js';
import { tempDir } from './helpers.js';

const incident = { id: '20261122T234705Z-cfe221b1', cause: 'software', kind: 'panic', title: 'kernel panic: sysrq\ntriggered crash', signature: 'ab'.repeat(32) };

/** A folder of fake programs on PATH, each recording its args and stdin, exiting `code`. */
function fakes(root: string, programs: Record<string, { code: number; stderr?: string }>): string {
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const [name, p] of Object.entries(programs)) {
    const err = p.stderr ? `echo "${p.stderr}" >&2\n` : '';
    writeFileSync(join(bin, name), `#!/bin/sh\necho "$@" > ${root}/${name}.args\ncat > ${root}/${name}.in\n${err}exit ${p.code}\n`, { mode: 0o755 });
  }
  return bin;
}

let servers: Server[] = [];
afterEach(() => {
  for (const s of servers) s.close();
  servers = [];
});

async function fakeSocket(path: string): Promise<string> {
  const s = createServer();
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(path, resolve));
  return path;
}

function withPath<T>(bin: string, fn: () => T): T {
  const path = process.env.PATH;
  process.env.PATH = `${bin}:${path}`;
  try {
    return fn();
  } finally {
    process.env.PATH = path;
  }
}

describe('journal entry', () => {
  it('carries MESSAGE_ID and the CRASHLOG_ fields, one per line, no value holding a newline', () => {
    const lines = journalFields(incident).trimEnd().split('\n');
    expect(lines).toContain(`MESSAGE_ID=${MESSAGE_ID}`);
    expect(lines).toContain('CRASHLOG_CAUSE=software');
    expect(lines).toContain('CRASHLOG_TITLE=kernel panic: sysrq triggered crash');
    expect(lines).toContain(`CRASHLOG_SIGNATURE=${'ab'.repeat(32)}`);
    expect(lines.every((l) => /^[A-Z_]+=[^\n]*$/.test(l))).toBe(true);
    expect(journalFallbackLine(incident)).toMatch(/^crashlog: software crash: kernel panic: sysrq triggered crash \(archive 20261122T234705Z-cfe221b1\) \[MESSAGE_ID=\w+ .*CRASHLOG_SIGNATURE=(ab){32}\]\n$/);
  });

  it('with the journal socket there: handed whole to logger --journald', async () => {
    const root = tempDir('journal');
    const socket = await fakeSocket(join(root, 'socket'));
    const bin = fakes(root, { logger: { code: 0 }, 'systemd-cat': { code: 0 } });
    expect(withPath(bin, () => sendToJournal(incident, { ...defaultSender, socket }))).toBeUndefined();
    expect(readFileSync(join(root, 'logger.args'), 'utf8')).toBe('--journald\n');
    expect(readFileSync(join(root, 'logger.in'), 'utf8')).toBe(journalFields(incident));
    expect(() => readFileSync(join(root, 'systemd-cat.in'))).toThrow(/ENOENT/);
  });

  it('logger failing, or warning and exiting 0: systemd-cat gets the line with the fields', async () => {
    const root = tempDir('journal-warn');
    const socket = await fakeSocket(join(root, 'socket'));
    const bin = fakes(root, { logger: { code: 0, stderr: 'logger: journald entry could not be written' }, 'systemd-cat': { code: 0 } });
    expect(withPath(bin, () => sendToJournal(incident, { ...defaultSender, socket }))).toBeUndefined();
    expect(readFileSync(join(root, 'systemd-cat.args'), 'utf8')).toBe('-t crashlog -p crit\n');
    expect(readFileSync(join(root, 'systemd-cat.in'), 'utf8')).toBe(journalFallbackLine(incident));
  });

  it('no journal socket: logger is not tried (it would exit 0 and write nothing); systemd-cat is', () => {
    const root = tempDir('journal-nosock');
    const bin = fakes(root, { logger: { code: 0 }, 'systemd-cat': { code: 0 } });
    expect(withPath(bin, () => sendToJournal(incident, { ...defaultSender, socket: join(root, 'nope') }))).toBeUndefined();
    expect(() => readFileSync(join(root, 'logger.in'))).toThrow(/ENOENT/);
    expect(readFileSync(join(root, 'systemd-cat.in'), 'utf8')).toBe(journalFallbackLine(incident));
  });

  it('no way to the journal at all: one clear message with each reason', () => {
    const root = tempDir('journal-none');
    const err = sendToJournal(incident, { socket: join(root, 'nope'), logger: '/nonexistent/logger', systemdCat: '/nonexistent/systemd-cat' });
    expect(err).toBe(`cannot write to the systemd journal: no journal socket at ${join(root, 'nope')} (is systemd-journald running?); systemd-cat: spawnSync /nonexistent/systemd-cat ENOENT`);
  });
});
