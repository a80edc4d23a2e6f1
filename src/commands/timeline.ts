import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { addInputOptions, parseReadOptions } from './options.js';
import { ApplicationError } from '../util/errors.js';

export function register(program: Command, io: RunIO): void {
  addInputOptions(
    program
      .command('timeline')
      .description('print the merged timeline of all inputs, boot by boot, with the source of each line')
      .argument('<inputs...>', 'files or directories'),
  )
    .option('--no-sources', 'leave out where each line came from')
    .action(async (inputs: string[], opts: { as?: string; opt?: string[]; sources: boolean }) => {
      if (inputs.length === 0) throw new ApplicationError('timeline: name at least one input', 2);
      const [{ analyze }, { timelineText }] = await Promise.all([import('../analyze.js'), import('../report/timeline.js')]);
      const a = await analyze(inputs, { as: opts.as, options: parseReadOptions(opts.opt) });
      for (const text of timelineText(a.timeline, { sources: opts.sources })) io.stdout(text);
      for (const i of a.inputs) for (const p of i.problems) io.stderr(`crashlog: ${p.path}${p.offset !== undefined ? `+0x${p.offset.toString(16)}` : ''}: ${p.message}\n`);
    });
}
