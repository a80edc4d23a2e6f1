import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { addInputOptions, parseReadOptions, readStreams, textOut, withProgress } from './options.js';
import type { ColorWhen } from '../util/color.js';
import { ApplicationError } from '../util/errors.js';
import type { Boot } from '../timeline/types.js';

export function register(program: Command, io: RunIO): void {
  addInputOptions(
    program
      .command('timeline')
      .description('print the merged timeline of all inputs, boot by boot, with the source of each line')
      .argument('<inputs...>', "files or directories; '-' or a pipe reads a stream"),
  )
    .option('--no-sources', 'leave out where each line came from')
    .action(async (inputs: string[], opts: { as?: string; opt?: string[]; sources: boolean; color: ColorWhen }) => {
      if (inputs.length === 0) throw new ApplicationError('timeline: name at least one input', 2);
      const [{ analyze }, { timelineText }] = await Promise.all([import('../analyze.js'), import('../report/timeline.js')]);
      const options = parseReadOptions(opts.opt);
      const out = textOut(io, opts.color);
      // Each boot printed once read whole: a single log of any size is held a boot at a time.
      const onBoot = (b: Boot) => { for (const text of timelineText({ boots: [b], problems: [] }, { sources: opts.sources })) out.write(text); };
      const a = await withProgress(io, true, () => readStreams(inputs, opts.as, (paths) => analyze(paths, { as: opts.as, options, onBoot })));
      for (const i of a.inputs) for (const p of i.problems) io.stderr(`crashlog: ${p.path}${p.offset !== undefined ? `+0x${p.offset.toString(16)}` : ''}: ${p.message}\n`);
      // As report: exit 1 when nothing could be read at all.
      if (a.inputs.every((i) => i.records === 0)) process.exitCode = 1;
    });
}
