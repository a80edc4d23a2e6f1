// What the man page and the shell completions say, read from the commander definitions
// (src/cli.ts, src/commands/*): every command, its arguments and options, so the docs
// follow the code.
import type { Command, Option } from 'commander';

export interface OptionDoc {
  flags: string;
  names: string[];
  description: string;
  /** Takes a value (`<x>` required, `[x]` optional). */
  takesValue: boolean;
  choices?: readonly string[];
}

export interface CommandDoc {
  /** Words after "crashlog": [] for the program, ['mce', 'decode'] for a subcommand. */
  path: string[];
  description: string;
  usage: string;
  options: OptionDoc[];
  subcommands: string[];
  /** The command reads files (it has positional arguments). */
  takesFiles: boolean;
}

function optionDoc(o: Option): OptionDoc {
  const doc: OptionDoc = {
    flags: o.flags,
    names: [o.short, o.long].filter((n): n is string => typeof n === 'string'),
    description: o.description ?? '',
    takesValue: o.required || o.optional,
  };
  if (o.argChoices) doc.choices = o.argChoices;
  return doc;
}

export function commandDocs(program: Command): CommandDoc[] {
  const out: CommandDoc[] = [];
  const walk = (cmd: Command, path: string[]) => {
    const options = cmd.options.filter((o) => !o.hidden).map(optionDoc);
    options.push({ flags: '-h, --help', names: ['-h', '--help'], description: 'display help for command', takesValue: false });
    out.push({
      path,
      description: cmd.description(),
      usage: cmd.usage(),
      options,
      subcommands: cmd.commands.map((c) => c.name()),
      takesFiles: cmd.registeredArguments.length > 0,
    });
    for (const c of cmd.commands) walk(c, [...path, c.name()]);
  };
  walk(program, []);
  return out;
}
