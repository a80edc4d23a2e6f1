// Builds the command-line program. Each subcommand lives in src/commands/<name>.ts and
// registers itself; `run(argv)` is what main.ts and the tests call.
import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.js';
import { ApplicationError } from './util/errors.js';

export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export const processIO: RunIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
};

export function buildProgram(io: RunIO): Command {
  const program = new Command('crashlog')
    .description('Why did this Linux machine crash? Reads what the kernel left behind and says.')
    .option('--verbose', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of commands) register(program, io);
  return program;
}

/** Run the program on argv (without "node crashlog"); resolves to the exit code. */
export async function run(argv: string[], io: RunIO = processIO): Promise<number> {
  const program = buildProgram(io);
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv, { from: 'user' });
    // Commands set process.exitCode for "ran, but found problems" outcomes.
    const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
    process.exitCode = undefined;
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof ApplicationError) {
      io.stderr(`crashlog: ${err.message}\n`);
      if (program.opts().verbose) io.stderr(`${err.stack}\n`);
      return err.exitCode;
    }
    io.stderr(`crashlog: ${err instanceof Error ? (program.opts().verbose ? err.stack : err.message) : String(err)}\n`);
    return 2;
  }
}
