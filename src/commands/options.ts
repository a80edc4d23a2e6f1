// Options shared by the commands that read inputs.
import type { Command } from 'commander';
import type { ReadOptions } from '../backend.js';
import type { RunIO } from '../cli.js';
import { ApplicationError } from '../util/errors.js';
import { wantColor, type ColorWhen } from '../util/color.js';
import { escapeControl, escapeControlKeepSgr } from '../util/escape.js';
import { fitWidth } from '../report/wrap.js';
import { watchWork } from '../input/work.js';

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('--as <backend>', 'read every input with this backend instead of probing')
    .option('-o, --opt <key=value>', 'backend option, e.g. record_size=0x10000 (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
}

/** "--opt record_size=0x10000" -> { record_size: 65536 }; numbers stay numbers. */
export function parseReadOptions(opts: string[] | undefined): ReadOptions {
  const out: ReadOptions = {};
  for (const o of opts ?? []) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ApplicationError(`--opt ${o}: expected key=value`, 2);
    const key = o.slice(0, eq);
    const value = o.slice(eq + 1);
    out[key] = /^(0x[0-9a-f]+|\d+)$/i.test(value) ? Number(value) : value === 'true' ? true : value === 'false' ? false : value;
  }
  return out;
}

/**
 * Run `read` on the inputs with every stream among them ("-", a pipe, /dev/fd/N) made
 * readable first (src/input/stream.ts), and its temporary copy removed afterwards.
 */
export async function readStreams<T>(inputs: string[], as: string | undefined, read: (paths: string[]) => Promise<T>): Promise<T> {
  const { prepareInputs } = await import('../input/stream.js');
  const prepared = await prepareInputs(inputs, as);
  try {
    return await read(prepared.paths);
  } finally {
    await prepared.dispose();
  }
}

/** Text output for a person: coloured as `--color` and the terminal say, and no control
 * byte from an input in it (the renderer's own colours pass). */
export function textOut(io: RunIO, when: ColorWhen): { color: boolean; write(s: string): void } {
  const tty = io.stdoutIsTTY ?? process.stdout.isTTY;
  const color = wantColor(when, tty);
  // On a terminal, long lines fold to its width (report/wrap.ts); a pipe gets them whole.
  const width = tty ? (io.stdoutColumns ?? process.stdout.columns) : undefined;
  return { color, write: (s) => io.stdout(fitWidth(color ? escapeControlKeepSgr(s) : escapeControl(s, true), width)) };
}

/**
 * Run `fn` with the work of its reads shown as a progress bar on stderr (src/report/progress.ts),
 * when stderr is a terminal and `show` (the output is for a person: not --json). Messages
 * written to stderr meanwhile go through `io.stderr` of the result, which takes the bar off
 * the line first.
 */
export async function withProgress<T>(io: RunIO, show: boolean, fn: (io: RunIO) => Promise<T>): Promise<T> {
  const meter = show && io.progress?.isTTY ? await (await import('../report/progress.js')).TerminalProgress.on(io.progress) : undefined;
  if (!meter) return fn(io);
  const around: RunIO = { ...io, stderr: (s) => { meter.hide(); io.stderr(s); } };
  try {
    return await watchWork(meter, () => fn(around));
  } finally {
    meter.close();
  }
}
