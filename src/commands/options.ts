// Options shared by the commands that read inputs.
import type { Command } from 'commander';
import type { ReadOptions } from '../backend.js';
import { ApplicationError } from '../util/errors.js';

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
