// `crashlog completion bash|zsh`: the shell completion script, from the command definitions.
import type { Command } from 'commander';
import { Argument } from 'commander';
import type { RunIO } from '../cli.js';
import { completionScript, SHELLS, type Shell } from '../util/completion.js';

export function register(program: Command, io: RunIO): void {
  program
    .command('completion')
    .description('print the shell completion script (bash: source <(crashlog completion bash); zsh: save as _crashlog in $fpath)')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(SHELLS))
    .action((shell: Shell) => {
      io.stdout(completionScript(program, shell));
    });
}
