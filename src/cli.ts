// Builds the command-line program. Each subcommand lives in src/commands/<name>.ts and
// registers itself; `run(argv)` is what main.ts and the tests call.
// Exit status, for every command: 0 done, 1 nothing could be read (or the work failed),
// 2 a usage error (commander's own included).
import { Command, CommanderError, Option } from 'commander';
import { commands } from './commands/index.js';
import { ApplicationError } from './util/errors.js';
import { COLOR_WHEN } from './util/color.js';
import { escapeControl, escapeOutput } from './util/escape.js';
import { crashlogVersion } from './util/version.js';
import type { ProgressStream } from './report/progress.js';

export interface RunIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether stdout is a terminal (`--color=auto`); process.stdout's when not given. */
  stdoutIsTTY?: boolean;
  /** The terminal's width, for text that fits it; process.stdout's when not given. */
  stdoutColumns?: number;
  /** Where progress bars may go (drawn only if it is a terminal); none when not given. */
  progress?: ProgressStream;
}

export const processIO: RunIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  get progress() {
    return process.stderr;
  },
};

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Commander's outcomes that are not errors (help or version asked for). */
const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version']);

/** Every command, subcommands included, that runs an action (has no subcommands). */
export function leafCommands(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leafCommands);
}

export function buildProgram(io: RunIO): Command {
  const program = new Command('crashlog')
    .description('Why did this Linux machine crash? Reads what the kernel left behind and says.')
    .version(crashlogVersion(), '-V, --version', 'print the version')
    .option('--verbose', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  for (const register of commands) register(program, io);
  // --color on every command (one that has its own keeps it).
  for (const cmd of leafCommands(program)) {
    if (cmd.options.some((o) => o.long === '--color')) continue;
    cmd.addOption(colorOption());
  }
  // Subcommands inherit exitOverride only when set before they are added: set it on all.
  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/** `--color[=WHEN]`: auto (the default: a terminal, as NO_COLOR/FORCE_COLOR allow), always, never. */
export function colorOption(): Option {
  return new Option('--color <when>', 'colour the text output: auto (on a terminal), always, never; a bare --color is always').choices(COLOR_WHEN).default('auto');
}

/**
 * A bare `--color` means `--color=always` (as GNU ls). Commander would take the next word
 * as its value (`report --color /sys/fs/pstore`), so it is rewritten before parsing,
 * unless a WHEN follows; words after `--` are left alone.
 */
export function bareColor(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '--color' && (end < 0 || i < end) && !(COLOR_WHEN as readonly string[]).includes(argv[i + 1] ?? '') ? '--color=always' : a));
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/** Run the program on argv (without "node crashlog"); resolves to the exit code. */
export async function run(argv: string[], io: RunIO = processIO): Promise<number> {
  // No control byte from an input reaches a terminal: stderr is text for a person; stdout
  // is escaped by each command for its format (textOut), and guarded here whatever it is.
  const safe: RunIO = { ...io, stdout: (s) => io.stdout(escapeOutput(s)), stderr: (s) => io.stderr(escapeControl(s, true)) };
  const program = buildProgram(safe);
  process.exitCode = undefined;
  try {
    await program.parseAsync(bareColor(argv), { from: 'user' });
    // Commands set process.exitCode for "ran, but found problems" outcomes.
    const code = typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
    process.exitCode = undefined;
    return code;
  } catch (err) {
    process.exitCode = undefined;
    // `crashlog help` exits 0 ('commander.help'), `crashlog` alone shows the help as an error.
    if (err instanceof CommanderError) return COMMANDER_OK.has(err.code) || (err.code === 'commander.help' && err.exitCode === 0) ? EXIT_OK : EXIT_USAGE;
    const verbose = program.opts().verbose === true;
    if (err instanceof ApplicationError) {
      safe.stderr(`crashlog: ${escapeControl(err.message)}\n`);
      if (verbose) safe.stderr(`${err.stack}\n`);
      return err.exitCode;
    }
    safe.stderr(`crashlog: ${err instanceof Error ? (verbose ? err.stack : escapeControl(err.message)) : String(err)}\n`);
    return EXIT_FAILURE;
  }
}
