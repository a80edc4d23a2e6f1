import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { addInputOptions, parseReadOptions, readStreams, textOut, withProgress } from './options.js';
import { ApplicationError } from '../util/errors.js';
import type { ColorWhen } from '../util/color.js';
import { addSymbolOptions, symbolizeIncidents, type SymbolFlags } from './symbolize.js';

/** The inputs of archived entries (`--archive [ID|PATH]`); the archive code loads only then. */
async function archivedInputs(spec: string | true): Promise<string[]> {
  const { loadConfig, reportInputs } = await import('../collect/index.js');
  return reportInputs(spec, () => loadConfig().archive);
}

export function register(program: Command, io: RunIO): void {
  addSymbolOptions(addInputOptions(
    program
      .command('report')
      .description('say why the machine crashed, from any inputs (pstore dirs, ramoops/MTD images, vmcores, logs, journals, MCE records)')
      .argument('[inputs...]', "files or directories, recognised by content; '-' or a pipe reads a stream"),
  ))
    .option('--json', 'print the JSON report (schema in the README)')
    .option('--html', 'print a self-contained HTML page')
    .option('--bundle <out>', 'also write a ticket bundle OUT.tar.gz: report.html, .json, .txt, the inputs, a manifest with sha256')
    .option('--archive [id]', 'report what crashlog collect archived, again: every entry, entry ID, or an archive or entry folder')
    .option('--dimm-ce-threshold <n/window>', 'corrected errors on one DIMM within a window past which the verdict says to replace it (mcelog\'s [dimm] ce-error-threshold; default 10/24h)')
    .action(async (named: string[], opts: { as?: string; opt?: string[]; json?: boolean; html?: boolean; color: ColorWhen; archive?: string | true; bundle?: string; dimmCeThreshold?: string } & SymbolFlags) => {
      // Loaded when the command runs: every other command starts without the whole pipeline.
      const [{ analyze }, { renderHtml }, { renderText }, { stringifyJson, toJsonReport }, { parseThreshold }] = await Promise.all([
        import('../analyze.js'), import('../report/html.js'), import('../report/text.js'), import('../report/json.js'), import('../correlate/dimm-history.js'),
      ]);
      const archived = opts.archive === undefined ? [] : await archivedInputs(opts.archive);
      const inputs = [...named, ...archived];
      if (inputs.length === 0) {
        if (opts.archive === undefined) throw new ApplicationError('report: name at least one input (a pstore directory, an image, a vmcore, a log)', 2);
        throw new ApplicationError('report: the archive holds no entries', 1);
      }
      const options = parseReadOptions(opts.opt);
      const dimmThreshold = opts.dimmCeThreshold === undefined ? undefined : parseThreshold(opts.dimmCeThreshold);
      if (opts.dimmCeThreshold !== undefined && !dimmThreshold) throw new ApplicationError(`--dimm-ce-threshold ${opts.dimmCeThreshold}: expected COUNT/WINDOW, e.g. 10/24h (units s, m, h, d)`, 2);
      // A bar on a terminal's stderr for a long read; none for JSON, which scripts read.
      const a = await withProgress(io, !opts.json, () => readStreams(inputs, opts.as, async (paths) => {
        // Text and JSON need no boot once judged; HTML draws each boot's lines (src/analyze.ts keep).
        const keep = opts.html || opts.bundle ? 'boots' : 'incidents';
        const r = await analyze(paths, { as: opts.as, options, keep, ...(dimmThreshold && { dimmThreshold }) });
        await symbolizeIncidents(r.incidents, opts, io);
        // Inside: the bundle carries the input files, and a stream input is a temporary file.
        if (opts.bundle) await (await import('../report/bundle.js')).bundleReport(opts.bundle, r, io);
        return r;
      }));
      if (opts.json) {
        // Two writes: a newline concatenated to a report of tens of MB is one more copy of it.
        io.stdout(stringifyJson(toJsonReport(a)));
        io.stdout('\n');
      }
      else if (opts.html) io.stdout(renderHtml(a));
      else {
        const out = textOut(io, opts.color);
        out.write(renderText(a, { color: out.color }));
      }
      // Exit 1 when nothing could be read at all; problems beside good records are reported, not fatal.
      if (a.inputs.every((i) => i.records === 0)) process.exitCode = 1;
    });
}
